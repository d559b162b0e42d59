"""Voids and refunds at the till: a supervisor's PIN, within the open session, units back
to their batch, the refund recorded through the shop's refund service."""

import pytest
from oscar.core.loading import get_model

from production_link.models import BatchStock
from shop.apps.order import statuses
from shop.payments.models import Refund
from shop.pos.models import PosVoid
from shop.pos.services import sale_record, session_close

from .conftest import post, sale

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(session, cashier, bag, bag_batch, supervisor):
    return sale_record(user=cashier, data=sale(session, (bag, bag_batch.code, 3, 140000)))


def void_url(result):
    return f"/api/v1/pos/sales/{result['order_number']}/void"


def units_at_gallery(batch, gallery):
    return BatchStock.objects.get(batch=batch, location=gallery.stock_location).quantity


def test_a_void_with_the_right_pin_returns_money_and_units(
    api, recorded, bag_batch, gallery, supervisor
):
    assert units_at_gallery(bag_batch, gallery) == 2

    response = post(api, void_url(recorded), {"pin": "2468", "reason": "Pembeli batal"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["order_status"] == statuses.REFUNDED and body["amount"] == "420000"
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.SUCCEEDED and refund.created_by == supervisor
    assert refund.provider == "cash" and refund.reason == "Pembeli batal"
    assert units_at_gallery(bag_batch, gallery) == 5
    void = PosVoid.objects.get()
    assert void.supervisor == supervisor and void.cashier.username == "kasir.tangerang"
    order = Order.objects.get(number=recorded["order_number"])
    assert order.payment_events.filter(event_type__name="Refunded").exists()


def test_a_wrong_pin_changes_nothing(api, recorded, bag_batch, gallery):
    response = post(api, void_url(recorded), {"pin": "1111", "reason": "Pembeli batal"})

    assert response.status_code == 403 and response.json()["code"] == "wrong_pin"
    assert not Refund.objects.exists() and units_at_gallery(bag_batch, gallery) == 2
    assert Order.objects.get(number=recorded["order_number"]).status == statuses.COMPLETED


def test_five_wrong_pins_lock_the_till_for_a_while(api, recorded):
    for _attempt in range(5):
        assert post(api, void_url(recorded), {"pin": "0000", "reason": "x"}).status_code == 403

    locked = post(api, void_url(recorded), {"pin": "2468", "reason": "x"})

    assert locked.status_code == 429 and not Refund.objects.exists()


def test_a_pin_of_another_lapas_supervisor_is_wrong(api, recorded, other_lapas):
    from shop.pos.services import supervisor_pin_set

    from .conftest import role_user

    supervisor_pin_set(user=role_user("kalapas.cipinang", "kalapas", other_lapas), pin="1357")

    response = post(api, void_url(recorded), {"pin": "1357", "reason": "x"})

    assert response.status_code == 403


def test_some_lines_partly_refund_and_a_token_voids_once(api, recorded, bag_batch, gallery):
    line_id = recorded["lines"][0]["line_id"]
    body = {
        "pin": "2468",
        "reason": "Satu rusak",
        "lines": [{"line_id": line_id, "quantity": 1}],
        "token": "abc",
    }

    first = post(api, void_url(recorded), body)
    again = post(api, void_url(recorded), body)

    assert first.status_code == 200 and again.status_code == 200
    assert first.json()["refund_id"] == again.json()["refund_id"]
    assert first.json()["order_status"] == statuses.PARTLY_REFUNDED
    assert Refund.objects.count() == 1 and units_at_gallery(bag_batch, gallery) == 3


def test_no_void_after_the_session_closed(api, recorded, session, cashier):
    session_close(user=cashier, session=session, counted={"100000": 6, "20000": 1}, reason="x")

    response = post(api, void_url(recorded), {"pin": "2468", "reason": "x"})

    assert response.status_code == 409 and not Refund.objects.exists()


def test_a_void_needs_a_reason(api, recorded):
    response = post(api, void_url(recorded), {"pin": "2468", "reason": " "})

    assert response.status_code == 400 and not Refund.objects.exists()


def test_a_void_writes_the_pnbp_reversal(api, recorded):
    from production_link.models import LedgerEntry

    post(api, void_url(recorded), {"pin": "2468", "reason": "Pembeli batal"})

    refund = Refund.objects.get()
    [reversal] = LedgerEntry.objects.filter(refund=refund, kind="reversal")
    assert reversal.gross == -refund.amount
