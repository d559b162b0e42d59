"""Two devices sell the last unit at the same moment: one sale is recorded, the other
becomes a conflict; and one UUID sent by two requests at once is applied once."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model

from production_link.models import Allocation, BatchStock, StockLocation
from shop.pos.models import PosConflict, PosLocation, PosSale
from shop.pos.services import sale_record, session_open
from tests.factories import LapasFactory, ProductFactory, WorkshopFactory

from .conftest import batch_at, role_user, sale

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


def _race(calls):
    start = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(call):
        try:
            start.wait()
            result = call()
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            result = {"status": f"error: {error!r}"}
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def shop_with_last_unit():
    lapas = LapasFactory()
    location = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(lapas=lapas, kind="gallery", name="Galeri")
    )
    product = ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("50000"),
        stockrecord__num_in_stock=0,
    )
    batch = batch_at(location, product=product, quantity=1)
    sessions = []
    for name in ("kasir.satu", "kasir.dua"):
        cashier = role_user(name, "cashier", lapas)
        location.cashiers.add(cashier)
        sessions.append(session_open(user=cashier, location=location, opening_float=0)[0])
    return product, batch, sessions


def test_two_devices_sell_the_last_unit(shop_with_last_unit):
    product, batch, sessions = shop_with_last_unit
    calls = [
        lambda s=s: sale_record(user=s.cashier, data=sale(s, (product, batch.code, 1, 50000)))
        for s in sessions
    ]

    outcomes = _race(calls)

    assert sorted(o["status"] for o in outcomes) == ["conflict", "recorded"], outcomes
    assert Order.objects.filter(channel="pos").count() == 1
    assert PosConflict.objects.get().reason == PosConflict.Reason.INSUFFICIENT_STOCK
    assert BatchStock.objects.get(batch=batch).quantity == 0
    assert sum(Allocation.objects.values_list("quantity", flat=True)) == 1


def test_one_uuid_sent_twice_at_once_is_applied_once(shop_with_last_unit):
    product, batch, sessions = shop_with_last_unit
    data = sale(sessions[0], (product, None, 1, 50000), sale_uuid=uuid.uuid4())

    outcomes = _race([lambda: sale_record(user=sessions[0].cashier, data=data)] * 3)

    assert [o["status"] for o in outcomes] == ["recorded"] * 3, outcomes
    assert len({o["order_number"] for o in outcomes}) == 1
    assert PosSale.objects.count() == 1 and Order.objects.count() == 1
