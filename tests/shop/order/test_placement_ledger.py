"""A property of the one sale pipeline: whatever mix of online sales (split by Lapas),
till sales, refunds and voids happens, each Lapas's PNBP ledger holds exactly what was
paid for its goods minus what was refunded of them, to the rupiah."""

import uuid
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from catalog.models import ProductChannelPrice
from production_link.models import LedgerEntry, StockLocation
from shop.payments.models import Refund, RefundLine
from shop.payments.refund_services import RefundLineRequest, refund_create
from shop.payments.services import order_mark_paid
from shop.pos.models import PosLocation
from shop.pos.services import sale_record, sale_void, session_open, supervisor_pin_set
from tests.factories import LapasFactory, ProductFactory, WorkshopFactory, place_checkout
from tests.shop.pos.conftest import batch_at, role_user, sale

Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

PRICES = (Decimal("35000"), Decimal("150000"), Decimal("275000"))


@pytest.fixture
def world(central_admin):
    lapas = [LapasFactory(short_code=code) for code in ("TNG", "CPN", "YGY")]
    goods = [
        ProductFactory(
            workshop=WorkshopFactory(lapas=one),
            stockrecord__price=price,
            stockrecord__num_in_stock=500,
        )
        for one, price in zip(lapas, PRICES, strict=True)
    ]
    gallery = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(lapas=lapas[0], kind="gallery", name="Galeri")
    )
    batch_at(gallery, product=goods[0], quantity=500)
    ProductChannelPrice.objects.create(product=goods[0], channel="gallery", price=PRICES[0])
    cashier = role_user("kasir.prop", "cashier", lapas[0])
    gallery.cashiers.add(cashier)
    supervisor = role_user("kalapas.prop", "kalapas", lapas[0])
    supervisor_pin_set(user=supervisor, pin="2468")
    session = session_open(user=cashier, location=gallery, opening_float=Decimal("0"))[0]
    return {"lapas": lapas, "goods": goods, "session": session, "admin": central_admin}


online_sale = st.tuples(
    st.just("online"),
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), min_size=1, max_size=3),
)
till_sale = st.tuples(st.just("till"), st.integers(1, 4))
refund = st.tuples(st.just("refund"), st.integers(0, 50), st.integers(1, 3))
void = st.tuples(st.just("void"), st.integers(0, 50))
steps = st.lists(st.one_of(online_sale, till_sale, refund, void), min_size=1, max_size=8)


def _online(world, items):
    basket = create_basket(empty=True)
    wanted = Counter()
    for index, quantity in items:
        wanted[index] += quantity
    for index, quantity in sorted(wanted.items()):
        basket.add_product(world["goods"][index], quantity)
    checkout = place_checkout(basket=basket)
    for order in checkout.placed_orders:
        order_mark_paid(order_id=order.pk, user=world["admin"])
    return list(checkout.placed_orders)


def _refund(world, order, quantity):
    line = order.lines.get()
    left = line.quantity - (
        RefundLine.objects.filter(line=line, refund__status="succeeded").aggregate(
            n=Sum("quantity")
        )["n"]
        or 0
    )
    if left <= 0:
        return
    refund_create(
        order_id=order.pk,
        user=world["admin"],
        token=uuid.uuid4().hex,
        lines=[RefundLineRequest(line_id=line.pk, quantity=min(quantity, left))],
        reference=f"TRF-BACK-{uuid.uuid4().hex[:6]}",
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_each_lapas_ledger_is_what_was_paid_minus_what_was_refunded(world, steps):
    with transaction.atomic():
        online, till = [], []
        session = world["session"]
        for step in steps:
            if step[0] == "online":
                online += _online(world, step[1])
            elif step[0] == "till":
                result = sale_record(
                    user=session.cashier,
                    data=sale(session, (world["goods"][0], None, step[1], PRICES[0])),
                )
                assert result["status"] == "recorded", result
                till.append(result["order_number"])
            elif step[0] == "refund" and online:
                _refund(world, online[step[1] % len(online)], step[2])
            elif step[0] == "void" and till:
                number = till.pop(step[1] % len(till))
                sale_void(
                    user=session.cashier,
                    order_number=number,
                    pin="2468",
                    reason="Pembeli batal",
                    token=uuid.uuid4().hex,
                )

        for lapas in world["lapas"]:
            paid = Line.objects.filter(
                order__lapas=lapas, order__recorded_payment__isnull=False
            ).aggregate(total=Sum("line_price_incl_tax"))["total"] or Decimal("0")
            refunded = RefundLine.objects.filter(
                refund__order__lapas=lapas, refund__status=Refund.Status.SUCCEEDED
            ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
            booked = LedgerEntry.objects.filter(lapas=lapas).aggregate(total=Sum("gross"))[
                "total"
            ] or Decimal("0")
            assert booked == paid - refunded, (lapas.short_code, steps)
        transaction.set_rollback(True)
