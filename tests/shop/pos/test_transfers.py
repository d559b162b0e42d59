"""Stock transfers move batch units exactly: sent leaves the warehouse, received arrives
(shortfall written off with a reason), returned goes back; online stock follows."""

import pytest
from oscar.core.loading import get_model

from production_link.models import BatchStock
from production_link.services import stock_location_warehouse
from shop.pos.models import StockTransfer
from shop.pos.services import PosError
from shop.pos.transfers import (
    TransferLineRequest,
    transfer_receive,
    transfer_return,
    transfer_send,
)
from tests.factories import released_batch

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse(lapas):
    return stock_location_warehouse(lapas=lapas)


@pytest.fixture
def batches(bag):
    return released_batch(product=bag, quantity=10), released_batch(product=bag, quantity=4)


def units(batch, location):
    row = BatchStock.objects.filter(batch=batch, location=location).first()
    return row.quantity if row else 0


def online(product):
    return StockRecord.objects.get(product=product).num_in_stock


def test_send_receive_with_shortfall_and_return(supervisor, warehouse, gallery, bag, batches):
    first, second = batches
    assert online(bag) == 14

    transfer = transfer_send(
        user=supervisor,
        source=warehouse,
        destination=gallery.stock_location,
        lines=[TransferLineRequest(first.pk, 6), TransferLineRequest(second.pk, 4)],
    )

    assert transfer.status == StockTransfer.Status.SENT
    assert (units(first, warehouse), units(second, warehouse)) == (4, 0)
    assert (units(first, gallery.stock_location), units(second, gallery.stock_location)) == (0, 0)
    assert online(bag) == 4
    second.refresh_from_db()
    assert second.status == "released"  # on the way, not sold out

    lines = {line.batch_id: line for line in transfer.lines.all()}
    with pytest.raises(PosError):
        transfer_receive(
            user=supervisor, transfer=transfer, received={lines[first.pk].pk: 5}, reasons={}
        )
    transfer = transfer_receive(
        user=supervisor,
        transfer=transfer,
        received={lines[first.pk].pk: 5, lines[second.pk].pk: 4},
        reasons={lines[first.pk].pk: "Satu tas sobek di jalan"},
    )

    assert transfer.status == StockTransfer.Status.RECEIVED
    assert (units(first, gallery.stock_location), units(second, gallery.stock_location)) == (5, 4)
    line = transfer.lines.get(batch=first)
    assert line.shortfall == 1 and line.shortfall_reason == "Satu tas sobek di jalan"
    assert online(bag) == 4  # gallery stock is not sold online

    # Two bags of the first batch sold at the gallery meanwhile; the rest goes back.
    BatchStock.objects.filter(batch=first, location=gallery.stock_location).update(quantity=3)
    transfer = transfer_return(user=supervisor, transfer=transfer)

    assert transfer.status == StockTransfer.Status.RETURNED
    assert (units(first, warehouse), units(second, warehouse)) == (7, 4)
    assert (units(first, gallery.stock_location), units(second, gallery.stock_location)) == (0, 0)
    assert {line.batch_id: line.quantity_returned for line in transfer.lines.all()} == {
        first.pk: 3,
        second.pk: 4,
    }
    assert online(bag) == 11


def test_cannot_send_more_than_the_warehouse_holds(supervisor, warehouse, gallery, batches):
    first, _second = batches

    with pytest.raises(PosError) as error:
        transfer_send(
            user=supervisor,
            source=warehouse,
            destination=gallery.stock_location,
            lines=[TransferLineRequest(first.pk, 11)],
        )

    assert first.code in error.value.message
    assert units(first, warehouse) == 10 and not StockTransfer.objects.exists()


def test_recalled_batches_are_not_sent(supervisor, warehouse, gallery, batches):
    from production_link.services import batch_recall

    first, _second = batches
    batch_recall(batch_id=first.pk, reason="Luntur", user=supervisor)

    with pytest.raises(PosError):
        transfer_send(
            user=supervisor,
            source=warehouse,
            destination=gallery.stock_location,
            lines=[TransferLineRequest(first.pk, 1)],
        )


def test_only_supervisors_of_the_lapas_move_stock(
    workshop_staff, cashier, warehouse, gallery, batches, other_lapas
):
    from .conftest import role_user

    first, _second = batches
    outsider = role_user("kalapas.cipinang", "kalapas", other_lapas)
    for user in (workshop_staff, cashier, outsider):
        with pytest.raises(PosError) as error:
            transfer_send(
                user=user,
                source=warehouse,
                destination=gallery.stock_location,
                lines=[TransferLineRequest(first.pk, 1)],
            )
        assert error.value.status == 403
    assert units(first, warehouse) == 10


def test_partial_return_and_no_return_before_receipt(supervisor, warehouse, gallery, batches):
    first, _second = batches
    transfer = transfer_send(
        user=supervisor,
        source=warehouse,
        destination=gallery.stock_location,
        lines=[TransferLineRequest(first.pk, 5)],
    )
    with pytest.raises(PosError):
        transfer_return(user=supervisor, transfer=transfer)
    transfer_receive(user=supervisor, transfer=transfer, received={}, reasons={})
    line = transfer.lines.get()

    with pytest.raises(PosError):
        transfer_return(user=supervisor, transfer=transfer, quantities={line.pk: 6})
    transfer_return(user=supervisor, transfer=transfer, quantities={line.pk: 2})

    assert units(first, warehouse) == 7 and units(first, gallery.stock_location) == 3
