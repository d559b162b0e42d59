"""Helpers for the PNBP tests: place real orders, pay them, refund them."""

import itertools
from decimal import Decimal

from django.utils import timezone
from oscar.apps.shipping.methods import FixedPrice
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from shop.payments.models import Refund, RefundLine
from shop.payments.services import order_mark_paid
from tests.factories import place_order

Order = get_model("order", "Order")
Line = get_model("order", "Line")

_keys = itertools.count(1)


def place(*items, channel="online", shipping=Decimal("0")):
    """An order placed through the shop's placement service (so its units are allocated
    to batches), awaiting payment. ``items`` are (product, quantity) pairs of one Lapas."""
    basket = create_basket(empty=True)
    for product, quantity in items:
        basket.add_product(product, quantity)
    method = FixedPrice(shipping, shipping) if shipping else None
    return place_order(
        basket=basket, shipping_method=method, channel=channel, guest_email="pembeli@example.test"
    )


def pay(order, user):
    order_mark_paid(order_id=order.pk, user=user)
    order.refresh_from_db()
    return order


def refund(order, *, amount=None, shipping=Decimal("0"), lines=(), status="succeeded"):
    """A refund as the payment code records it; ``lines`` are (order line, quantity, amount)."""
    lines = list(lines)
    if amount is None:
        amount = sum((a for _l, _q, a in lines), Decimal("0")) + shipping
    made = Refund.objects.create(
        order=order,
        provider="bank_transfer",
        amount=amount,
        shipping_amount=shipping,
        status=status,
        completed_at=timezone.now() if status == "succeeded" else None,
        idempotency_key=f"test-refund-{next(_keys)}",
    )
    for line, quantity, line_amount in lines:
        RefundLine.objects.create(refund=made, line=line, quantity=quantity, amount=line_amount)
    return made


def line_of(order, product):
    return order.lines.get(product=product)


def pay_unbooked(order, user, when=None):
    """Plant a fault: the order is paid but its sale never reaches the ledger (as if the
    booking had been skipped), for reconciliation to find."""
    from unittest import mock

    from django.utils import timezone

    with (
        mock.patch("shop.payments.services.pnbp_record_sale"),
        mock.patch("shop.payments.services.pnbp_record_sales"),
    ):
        if when is None:
            return pay(order, user)
        with mock.patch.object(timezone, "now", lambda: when):
            return pay(order, user)


def paid_on(order, user, when):
    """Pay an order as if ``when`` were now (a sale received in the past): the payment
    books the ledger entry at once, and entries cannot be changed afterwards."""
    from unittest import mock

    from django.utils import timezone

    with mock.patch.object(timezone, "now", lambda: when):
        pay(order, user)
    return order


def role_user(username, role, lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(user=UserFactory(username=username), role_code=role, lapas=lapas)
