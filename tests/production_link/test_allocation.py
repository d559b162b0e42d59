import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.models import Allocation, Batch, BatchStock
from production_link.services import (
    InsufficientStock,
    allocation_restock_line,
    batch_recall,
)
from production_link.tasks import recall_notify_buyers
from shop.apps.order import statuses
from shop.apps.order.services import order_cancel
from tests.factories import place_order, released_batch

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def buy(product, quantity, email="pembeli@example.test"):
    basket = create_basket(empty=True)
    basket.add_product(product, quantity)
    order = place_order(basket=basket)
    order.guest_email = email
    order.save()
    return order


def units(batch):
    return sum(BatchStock.objects.filter(batch=batch).values_list("quantity", flat=True))


def test_an_order_takes_the_first_expiring_batch_first(bread):
    late = released_batch(product=bread, quantity=5, production_date=days(-5), expiry_date=days(9))
    soon = released_batch(product=bread, quantity=5, production_date=days(-1), expiry_date=days(3))

    order = buy(bread, 7)

    taken = {a.batch_id: a.quantity for a in Allocation.objects.filter(line__order=order)}
    assert taken == {soon.pk: 5, late.pk: 2}
    assert units(soon) == 0 and units(late) == 3
    soon.refresh_from_db()
    assert soon.status == Batch.Status.SOLD_OUT
    assert StockRecord.objects.get(product=bread).num_in_stock == 3


def test_with_the_same_expiry_the_oldest_batch_goes_first(bread):
    newer = released_batch(product=bread, quantity=4, production_date=days(-1), expiry_date=days(5))
    older = released_batch(product=bread, quantity=4, production_date=days(-3), expiry_date=days(5))

    order = buy(bread, 2)

    assert [a.batch_id for a in Allocation.objects.filter(line__order=order)] == [older.pk]
    assert units(newer) == 4


def test_expired_stock_is_never_sold_nor_counted(bread):
    released_batch(product=bread, quantity=10, production_date=days(-9), expiry_date=days(-1))
    fresh = released_batch(product=bread, quantity=2, expiry_date=days(4))

    assert StockRecord.objects.get(product=bread).num_in_stock == 2
    with pytest.raises(InsufficientStock) as error:
        buy(bread, 3)

    assert "Roti Tawar" in str(error.value)
    assert not Order.objects.exists()
    assert units(fresh) == 2


def test_a_short_line_places_no_order_at_all(bread, product):
    released_batch(product=bread, quantity=1)
    basket = create_basket(empty=True)
    basket.add_product(product, 1)
    basket.add_product(bread, 2)

    with pytest.raises(InsufficientStock):
        place_order(basket=basket)

    assert not Order.objects.exists()
    assert not Allocation.objects.exists()
    assert StockRecord.objects.get(product=product).num_in_stock == 5


def test_cancelling_gives_the_units_back_once(bread, central_admin):
    batch = released_batch(product=bread, quantity=3)
    order = buy(bread, 3)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.SOLD_OUT

    assert order_cancel(order_id=order.pk, user=central_admin) is True
    assert order_cancel(order_id=order.pk, user=central_admin) is False

    order.refresh_from_db()
    batch.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert units(batch) == 3
    assert batch.status == Batch.Status.RELEASED
    assert StockRecord.objects.get(product=bread).num_in_stock == 3
    assert Allocation.objects.get(line__order=order).returned_quantity == 3


def test_returned_goods_are_restocked_to_their_batch(bread):
    batch = released_batch(product=bread, quantity=5)
    order = buy(bread, 4)
    line = order.lines.get()

    allocation_restock_line(line=line, quantity=1)

    assert units(batch) == 2
    with pytest.raises(ValueError):
        allocation_restock_line(line=line, quantity=4)


def test_recall_withdraws_stock_lists_sales_and_emails_each_buyer_once(bread, kalapas):
    batch = released_batch(product=bread, quantity=10)
    first = buy(bread, 2, email="satu@example.test")
    second = buy(bread, 1, email="dua@example.test")
    mail.outbox.clear()

    affected = batch_recall(batch_id=batch.pk, reason="Jamur pada roti", user=kalapas)
    recall_notify_buyers.delay(batch.pk)  # a retried task sends nothing twice

    batch.refresh_from_db()
    assert batch.status == Batch.Status.RECALLED
    assert {a.line.order_id for a in affected} == {first.pk, second.pk}
    assert StockRecord.objects.get(product=bread).num_in_stock == 0
    assert units(batch) == 7  # still recorded where it is, but unsellable
    assert sorted(m.to[0] for m in mail.outbox) == ["dua@example.test", "satu@example.test"]
    assert batch.code in mail.outbox[0].subject
    with pytest.raises(InsufficientStock):
        buy(bread, 1)


def test_only_the_kalapas_or_central_admin_may_recall(bread, workshop_staff):
    batch = released_batch(product=bread, quantity=2)

    with pytest.raises(PermissionDenied):
        batch_recall(batch_id=batch.pk, reason="x", user=workshop_staff)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RELEASED


def test_the_daily_task_takes_expired_batches_off_sale(bread):
    from production_link.tasks import stock_expire_batches

    batch = released_batch(product=bread, quantity=4, expiry_date=days(1))
    assert StockRecord.objects.get(product=bread).num_in_stock == 4
    Batch.objects.filter(pk=batch.pk).update(expiry_date=days(-1))  # a day later

    stock_expire_batches.delay()
    stock_expire_batches.delay()  # idempotent

    assert StockRecord.objects.get(product=bread).num_in_stock == 0


def test_online_units_in_sql_count_what_the_sellable_selector_counts(lapas, other_lapas):
    """sellable_online_units_of is SQL (checkout runs it on every order): it must count
    exactly what sellable_stock over online_locations counts."""
    import datetime

    from production_link.models import Batch, BatchStock, StockLocation
    from production_link.selectors import (
        online_locations,
        sellable_online_units,
        sellable_online_units_of,
    )
    from tests.factories import ProductFactory, WorkshopFactory, released_batch

    bread = ProductFactory(workshop=WorkshopFactory(lapas=lapas), stockrecord__num_in_stock=0)
    chair = ProductFactory(workshop=WorkshopFactory(lapas=other_lapas), stockrecord__num_in_stock=0)
    released_batch(product=bread, quantity=4)
    expired = released_batch(
        product=bread, quantity=5, expiry_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    recalled = released_batch(product=bread, quantity=6)
    Batch.objects.filter(pk=recalled.pk).update(status=Batch.Status.RECALLED)
    at_gallery = released_batch(product=bread, quantity=7)
    gallery = StockLocation.objects.create(
        lapas=lapas, kind="gallery", name="Galeri", fulfils_online=False
    )
    BatchStock.objects.filter(batch=at_gallery).update(location=gallery)
    closed = StockLocation.objects.create(
        lapas=lapas, kind="gallery", name="Tutup", fulfils_online=True, is_active=False
    )
    BatchStock.objects.create(
        batch=released_batch(product=bread, quantity=1), location=closed, quantity=2
    )
    released_batch(product=chair, quantity=3)
    assert expired.expiry_date < datetime.date.today()

    units = sellable_online_units_of(product_ids=[bread.pk, chair.pk])

    assert units == {
        (bread.pk, lapas.pk): sellable_online_units(product=bread, lapas=lapas),
        (chair.pk, other_lapas.pk): sellable_online_units(product=chair, lapas=other_lapas),
    }
    assert units[(bread.pk, lapas.pk)] == 4 + 1
    assert list(online_locations(lapas=lapas).filter(pk=closed.pk)) == []


def test_the_locked_rows_in_sql_are_the_sellable_rows_in_fefo_order(lapas):
    """LockedStock reads its rows in SQL (every order does): the same rows, in the same
    first-expiring-first order, as sellable_stock_of."""
    import datetime

    from production_link.models import Batch, StockLocation
    from production_link.selectors import sellable_stock_of
    from production_link.services.allocation import _sellable_rows_locked
    from tests.factories import ProductFactory, WorkshopFactory, released_batch

    today = datetime.date.today()
    workshop = WorkshopFactory(lapas=lapas)
    bread = ProductFactory(workshop=workshop, stockrecord__num_in_stock=0)
    jam = ProductFactory(workshop=workshop, stockrecord__num_in_stock=0)
    released_batch(product=bread, quantity=2)  # keeps: last
    released_batch(product=bread, quantity=3, expiry_date=today + datetime.timedelta(days=9))
    released_batch(product=bread, quantity=1, expiry_date=today + datetime.timedelta(days=2))
    released_batch(product=bread, quantity=4, expiry_date=today - datetime.timedelta(days=1))
    recalled = released_batch(product=bread, quantity=5)
    Batch.objects.filter(pk=recalled.pk).update(status=Batch.Status.RECALLED)
    released_batch(product=jam, quantity=6, expiry_date=today + datetime.timedelta(days=5))
    locations = list(StockLocation.objects.filter(lapas=lapas))

    rows = _sellable_rows_locked(
        product_ids=[jam.pk, bread.pk], location_ids=[x.pk for x in locations]
    )
    expected = sellable_stock_of(product_ids=[jam.pk, bread.pk], locations=locations)

    assert [(r.pk, r.batch_id, r.quantity, r.product_key) for r in rows] == [
        (s.pk, s.batch_id, s.quantity, s.batch.product_id) for s in expected
    ]
    assert [r.quantity for r in rows if r.product_key == bread.pk] == [1, 3, 2]
