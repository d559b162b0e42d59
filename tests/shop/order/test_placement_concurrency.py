"""Placement on PostgreSQL under real concurrency: split checkouts, single-Lapas checkouts
and point-of-sale syncs race for the units of one batch and oversell nothing; a lock held
too long is retried once and then the buyer or cashier is told to try again."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.models import Allocation, BatchStock, StockLocation
from production_link.services import InsufficientStock, stockrecord_sync
from shop.apps.order.placement import StockBusy
from shop.pos.models import PosLocation
from shop.pos.services import sale_record, session_open
from tests.factories import (
    LapasFactory,
    ProductFactory,
    WorkshopFactory,
    place_checkout,
    place_order,
    released_batch,
)
from tests.shop.pos.conftest import role_user, sale

Checkout = get_model("order", "Checkout")
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
        except InsufficientStock:
            result = "short"
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    return outcomes


@pytest.fixture
def one_batch_two_places():
    """A batch of 4 units in the Lapas's warehouse (online) and 3 more of it at its gallery
    (the till), beside the goods of a second Lapas for split baskets."""
    lapas, other = LapasFactory(), LapasFactory()
    product = ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("50000"),
        stockrecord__num_in_stock=0,
    )
    batch = released_batch(product=product, quantity=4)
    gallery = StockLocation.objects.create(lapas=lapas, kind="gallery", name="Galeri")
    BatchStock.objects.create(batch=batch, location=gallery, quantity=3)
    stockrecord_sync(product_id=product.pk)
    location = PosLocation.objects.create(stock_location=gallery)
    sessions = []
    for n in range(3):
        cashier = role_user(f"kasir.{n}", "cashier", lapas)
        location.cashiers.add(cashier)
        sessions.append(session_open(user=cashier, location=location, opening_float=0)[0])
    elsewhere = ProductFactory(workshop=WorkshopFactory(lapas=other), stockrecord__num_in_stock=50)
    return product, batch, sessions, elsewhere


def _basket(*items):
    basket = create_basket(empty=True)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def test_split_checkouts_single_checkouts_and_tills_never_oversell_one_batch(
    one_batch_two_places,
):
    product, batch, sessions, elsewhere = one_batch_two_places
    split = [_basket((product, 1), (elsewhere, 1)) for _ in range(4)]
    single = [_basket((product, 1)) for _ in range(4)]
    calls = [lambda b=b: place_checkout(basket=b) and "bought" for b in split]
    calls += [lambda b=b: place_order(basket=b) and "bought" for b in single]
    calls += [
        lambda s=s: sale_record(user=s.cashier, data=sale(s, (product, batch.code, 1, 50000)))[
            "status"
        ]
        for s in sessions * 2
    ]

    outcomes = _race(calls)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("bought") == 4, outcomes
    assert outcomes.count("short") == 4
    assert outcomes.count("recorded") == 3 and outcomes.count("conflict") == 3
    units = dict(BatchStock.objects.filter(batch=batch).values_list("location__kind", "quantity"))
    assert units == {"warehouse": 0, "gallery": 0}
    assert sum(Allocation.objects.filter(batch=batch).values_list("quantity", flat=True)) == 7
    # A split checkout placed both its orders or (losing the race) neither.
    for checkout in Checkout.objects.all():
        orders = list(checkout.orders.all())
        assert len(orders) == len({o.lapas_id for o in orders})
        assert all(line.partner_id == o.lapas_id for o in orders for line in o.lines.all())
    split_placed = Checkout.objects.filter(orders__lines__product=elsewhere).count()
    assert Order.objects.filter(lines__product=elsewhere).count() == split_placed
    assert Order.objects.filter(checkout__isnull=False).count() == 4 + split_placed


def test_two_clicks_on_place_order_with_one_basket_place_it_once(one_batch_two_places):
    from shop.apps.order.placement import BasketAlreadyPlaced, checkout_place
    from shop.payments.providers import get_provider

    product, batch, _sessions, _elsewhere = one_batch_two_places
    basket = _basket((product, 1))
    Basket = type(basket)

    def click(number):
        # Each request reads the basket itself, before either placement commits.
        mine = Basket.objects.get(pk=basket.pk)
        mine.strategy = basket.strategy
        try:
            checkout_place(
                basket=mine,
                number=number,
                provider=get_provider("bank_transfer"),
                submit_basket=True,
            )
        except BasketAlreadyPlaced:
            return "already"
        return "placed"

    outcomes = _race([lambda: click("100951"), lambda: click("100952")])

    assert sorted(outcomes) == ["already", "placed"], outcomes
    assert Checkout.objects.count() == 1
    assert sum(Allocation.objects.filter(batch=batch).values_list("quantity", flat=True)) == 1


def _hold_stock_lock(product, locked: threading.Event, release: threading.Event):
    try:
        with transaction.atomic():
            list(BatchStock.objects.select_for_update().filter(batch__product=product))
            locked.set()
            release.wait(30)
    finally:
        connections.close_all()


@override_settings(KARYA_STOCK_LOCK_TIMEOUT="200ms")
def test_a_lock_held_too_long_is_retried_once_then_the_buyer_is_told_to_try_again(
    one_batch_two_places, caplog
):
    product, _batch, sessions, _elsewhere = one_batch_two_places
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_stock_lock, args=(product, locked, release))
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(StockBusy) as busy:
            place_order(basket=_basket((product, 1)))
    finally:
        release.set()
        holder.join(10)

    assert "coba lagi" in str(busy.value)  # "try again", in the buyer's Indonesian
    assert len([r for r in caplog.records if "lock timeout" in r.getMessage()]) == 2
    assert not Order.objects.exists()
    # Once the other sale is done, the same basket goes through.
    assert place_order(basket=_basket((product, 1))).lines.get().quantity == 1


@override_settings(KARYA_STOCK_LOCK_TIMEOUT="200ms")
def test_a_till_whose_stock_stays_locked_is_answered_503_and_keeps_its_sale(
    one_batch_two_places, client
):
    product, batch, sessions, _elsewhere = one_batch_two_places
    session = sessions[0]
    client.force_login(session.cashier)
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_stock_lock, args=(product, locked, release))
    holder.start()
    try:
        assert locked.wait(10)
        response = client.post(
            "/api/v1/pos/sales/sync",
            {"sales": [sale(session, (product, batch.code, 1, 50000))]},
            content_type="application/json",
        )
    finally:
        release.set()
        holder.join(10)

    assert response.status_code == 503
    assert response.json()["code"] == "busy" and "coba lagi" in response.json()["detail"]
    assert not Order.objects.exists()


def _hold_sold_out_check(batch, locked: threading.Event, release: threading.Event):
    """A placement that emptied a batch's last row: it checks the batch sold out (locking
    the batch row) and is still busy (its stock record lock comes next)."""
    from production_link.services.batches import batch_mark_sold_out_if_empty

    try:
        with transaction.atomic():
            batch_mark_sold_out_if_empty(batch_id=batch.pk)
            locked.set()
            release.wait(30)
    finally:
        connections.close_all()


def test_a_sold_out_check_does_not_hold_up_another_placements_commit(one_batch_two_places):
    """Another placement's allocations point at the batch; at its COMMIT PostgreSQL checks
    that foreign key with FOR KEY SHARE. The sold-out check locks the batch FOR NO KEY
    UPDATE, which lets that commit through: with FOR UPDATE the commit waited for the
    check's transaction, which itself waited for the committer's stock record lock — the
    deadlock the race of split checkouts and tills once met."""
    product, batch, _sessions, _elsewhere = one_batch_two_places
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_sold_out_check, args=(batch, locked, release))
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            order = place_order(basket=_basket((product, 1)))
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join(10)

    assert Allocation.objects.get(line__order=order).batch == batch
