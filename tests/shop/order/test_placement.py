"""The one placement service: a basket of several Lapas becomes one order per Lapas under
one checkout; no path can put two Lapas's goods in one order (service and database)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.models import Allocation, LedgerEntry
from shop.apps.order import placement, statuses
from shop.apps.shipping.methods import Courier
from shop.apps.shipping.selectors import Parcel
from shop.payments.providers import get_provider
from shop.payments.services import order_mark_paid
from tests.factories import (
    LapasFactory,
    ProductFactory,
    WorkshopFactory,
    place_checkout,
    place_order,
)

Checkout = get_model("order", "Checkout")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


def goods_of(lapas, price="100000", units=10):
    return ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal(price),
        stockrecord__num_in_stock=units,
    )


@pytest.fixture
def three_lapas():
    return [
        LapasFactory(name="Lapas Tangerang", short_code="TNG"),
        LapasFactory(name="Lapas Cipinang", short_code="CPN"),
        LapasFactory(name="Lapas Yogyakarta", short_code="YGY"),
    ]


def test_a_basket_of_three_lapas_becomes_three_orders_under_one_checkout(three_lapas):
    tng, cpn, ygy = three_lapas
    bread, batik, chair = goods_of(tng, "30000"), goods_of(cpn, "250000"), goods_of(ygy, "900000")
    basket = create_basket(empty=True)
    basket.add_product(bread, 2)
    basket.add_product(batik, 1)
    basket.add_product(chair, 1)
    parcels = [
        Parcel(lapas=lapas, weight_grams=1000, estimated=False, zone="region", charge=charge)
        for lapas, charge in (
            (tng, Decimal("20000")),
            (cpn, Decimal("18000")),
            (ygy, Decimal("40000")),
        )
    ]

    checkout = place_checkout(basket=basket, shipping_method=Courier(parcels), number="100777")

    assert Checkout.objects.get() == checkout and checkout.payment_method == "bank_transfer"
    orders = {o.lapas: o for o in checkout.orders.all()}
    assert set(orders) == {tng, cpn, ygy}
    expected = {
        tng: (bread, 2, Decimal("60000"), Decimal("20000")),
        cpn: (batik, 1, Decimal("250000"), Decimal("18000")),
        ygy: (chair, 1, Decimal("900000"), Decimal("40000")),
    }
    for lapas, (product, quantity, goods, shipping) in expected.items():
        order = orders[lapas]
        assert order.number == f"100777-{lapas.short_code}"
        assert order.status == statuses.AWAITING_PAYMENT
        assert [(line.product, line.quantity, line.partner) for line in order.lines.all()] == [
            (product, quantity, lapas)
        ]
        assert order.shipping_incl_tax == shipping
        assert order.total_incl_tax == goods + shipping
        (source,) = order.sources.all()
        # Each order is paid to its own Lapas, with its own number as the reference.
        assert source.amount_allocated == order.total_incl_tax and source.reference == order.number
        assert sum(a.quantity for a in Allocation.objects.filter(line__order=order)) == quantity


def test_each_order_of_a_split_checkout_is_paid_and_booked_on_its_own(three_lapas, central_admin):
    basket = create_basket(empty=True)
    for lapas in three_lapas:
        basket.add_product(goods_of(lapas), 1)
    checkout = place_checkout(basket=basket)

    first = checkout.orders.order_by("pk").first()
    order_mark_paid(order_id=first.pk, user=central_admin)

    assert list(LedgerEntry.objects.values_list("order_id", "lapas_id")) == [
        (first.pk, first.lapas_id)
    ]
    assert set(checkout.orders.values_list("status", flat=True)) == {
        statuses.PAID,
        statuses.AWAITING_PAYMENT,
    }


def test_a_basket_of_one_lapas_keeps_the_checkout_number(product):
    basket = create_basket(empty=True)
    basket.add_product(product, 1)

    order = place_order(basket=basket, number="100888")

    assert order.number == "100888" and order.checkout.number == "100888"
    assert order.lapas == product.stockrecords.get().partner


def test_the_service_refuses_a_draft_holding_goods_of_another_lapas(product, other_lapas):
    record = product.stockrecords.get()
    draft = placement.OrderDraft(
        number="MIX-1",
        lapas=other_lapas,
        lines=[
            placement.LineDraft(
                product=product, quantity=1, unit_price_incl_tax=record.price, stockrecord=record
            )
        ],
    )

    with pytest.raises(placement.MixedLapasError):
        placement.orders_place(drafts=[draft], provider=get_provider("bank_transfer"))

    assert not Order.objects.exists() and not Allocation.objects.exists()


@postgres_only
def test_the_database_refuses_a_line_of_another_lapas(product, other_lapas):
    basket = create_basket(empty=True)
    basket.add_product(product, 1)
    order = place_order(basket=basket)
    line = order.lines.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.create(
            order=order,
            partner=other_lapas,
            partner_name=other_lapas.name,
            title="Barang Lapas lain",
            quantity=1,
            line_price_incl_tax=Decimal("1000"),
            line_price_excl_tax=Decimal("1000"),
            line_price_before_discounts_incl_tax=Decimal("1000"),
            line_price_before_discounts_excl_tax=Decimal("1000"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.filter(pk=line.pk).update(partner=other_lapas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(lapas=other_lapas)

    assert order.lines.get().partner_id == order.lapas_id


@postgres_only
def test_an_order_from_before_the_split_takes_no_line_of_a_second_lapas(product, other_lapas):
    basket = create_basket(empty=True)
    basket.add_product(product, 1)
    order = place_order(basket=basket)
    # As the migration leaves an old order whose Lapas it could not tell.
    Order.objects.filter(pk=order.pk).update(lapas=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.create(
            order=order,
            partner=other_lapas,
            partner_name=other_lapas.name,
            title="Barang Lapas lain",
            quantity=1,
            line_price_incl_tax=Decimal("1000"),
            line_price_excl_tax=Decimal("1000"),
            line_price_before_discounts_incl_tax=Decimal("1000"),
            line_price_before_discounts_excl_tax=Decimal("1000"),
        )

    assert order.lines.count() == 1


def test_a_basket_is_submitted_in_the_placement_and_never_placed_twice(product):
    basket = create_basket(empty=True)
    basket.add_product(product, 1)

    checkout = placement.checkout_place(
        basket=basket,
        number="100901",
        provider=get_provider("bank_transfer"),
        submit_basket=True,
    )
    basket.refresh_from_db()
    assert basket.status == basket.SUBMITTED and basket.date_submitted is not None

    # A second click on "Place order" with the same basket (it was read before the first
    # placement committed, so it still looks open).
    basket.status = basket.OPEN
    with pytest.raises(placement.BasketAlreadyPlaced):
        placement.checkout_place(
            basket=basket,
            number="100902",
            provider=get_provider("bank_transfer"),
            submit_basket=True,
        )
    assert list(Checkout.objects.values_list("number", flat=True)) == [checkout.number]
    assert Allocation.objects.filter(line__order__checkout=checkout).count() == 1


def test_a_placement_that_fails_leaves_the_basket_open(product):
    basket = create_basket(empty=True)
    basket.add_product(product, 500)

    with pytest.raises(placement.InsufficientStock):
        placement.checkout_place(
            basket=basket,
            number="100903",
            provider=get_provider("bank_transfer"),
            submit_basket=True,
        )
    basket.refresh_from_db()
    assert basket.status == basket.OPEN
    assert not Checkout.objects.exists()


def test_a_made_to_order_line_takes_no_stock_and_waits_for_its_batch(product):
    record = product.stockrecords.get()
    desk = goods_of(record.partner, "1500000", units=0)
    desk_record = desk.stockrecords.get()
    draft = placement.OrderDraft(
        number="MTO-1",
        lapas=record.partner,
        lines=[
            placement.LineDraft(
                product=product, quantity=2, unit_price_incl_tax=record.price, stockrecord=record
            ),
            placement.LineDraft(
                product=desk,
                quantity=40,
                unit_price_incl_tax=Decimal("1500000"),
                stockrecord=desk_record,
                made_to_order=True,
            ),
        ],
    )

    with transaction.atomic():
        (order,) = placement.orders_place(drafts=[draft], provider=get_provider("bank_transfer"))

    bread_line, desk_line = order.lines.order_by("pk")
    assert (bread_line.num_allocated, desk_line.num_allocated) == (2, 0)
    assert Allocation.objects.filter(line=bread_line).count() >= 1
    assert not Allocation.objects.filter(line=desk_line).exists()
    assert order.total_incl_tax == record.price * 2 + Decimal("1500000") * 40
