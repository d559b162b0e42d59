from decimal import Decimal

from django.db.models import Sum
from oscar.core.loading import get_model

from .models import Refund, RefundLine

Order = get_model("order", "Order")

PAID_EVENT = "Paid"


def user_may_record_payment(*, user, order) -> bool:
    """Central admins, or a treasurer/Kalapas of every Lapas whose goods are in the order."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("payment.change_source"):
        return False
    order_lapas = set(order.lines.values_list("partner_id", flat=True))
    own_lapas = set(user.partners.values_list("pk", flat=True))
    return bool(order_lapas) and order_lapas <= own_lapas


def line_refundable(*, line) -> tuple[int, Decimal]:
    """Units and amount of an order line not yet refunded (pending refunds count)."""
    taken = RefundLine.objects.filter(
        line=line, refund__status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED)
    ).aggregate(quantity=Sum("quantity"), amount=Sum("amount"))
    return (
        line.quantity - (taken["quantity"] or 0),
        line.line_price_incl_tax - (taken["amount"] or Decimal("0")),
    )


def order_refundable_shipping(*, order) -> Decimal:
    taken = Refund.objects.filter(
        order=order, status__in=(Refund.Status.PENDING, Refund.Status.SUCCEEDED)
    ).aggregate(total=Sum("shipping_amount"))["total"] or Decimal("0")
    return order.shipping_incl_tax - taken


def order_refunds(*, order):
    return (
        Refund.objects.filter(order=order)
        .prefetch_related("lines__line")
        .select_related("created_by")
    )


def order_is_paid(*, order) -> bool:
    """Whether the order's payment has been recorded (once, by order_mark_paid or
    order_record_payment), whatever its status is now."""
    return order.payment_events.filter(event_type__name=PAID_EVENT).exists()


STRIPE_SOURCE_TYPE = "Stripe card"


def stripe_payment_intent_id(*, order) -> str:
    """The PaymentIntent an order was placed with ("" for an order not paid by card)."""
    source = order.sources.filter(source_type__name=STRIPE_SOURCE_TYPE).first()
    return source.reference if source else ""


def order_for_stripe_payment_intent(*, intent_id: str):
    """The order placed with this PaymentIntent, found through our own record of it."""
    if not intent_id:
        return None
    return Order.objects.filter(
        sources__source_type__name=STRIPE_SOURCE_TYPE, sources__reference=intent_id
    ).first()


def order_for_card_payment_page(*, order_number: str, user, checkout_order_id):
    """An order paid by card, for its pay and return pages, or None.

    Only its owner (signed in) or the browser session that placed it (Oscar keeps the
    order's id in the session for the thank-you page) may see it; for anyone else the
    order does not exist.
    """
    order = Order.objects.filter(
        number=order_number, sources__source_type__name=STRIPE_SOURCE_TYPE
    ).first()
    if order is None:
        return None
    placed_in_this_session = checkout_order_id is not None and checkout_order_id == order.pk
    owner = order.user_id is not None and user.is_authenticated and user.pk == order.user_id
    return order if (owner or placed_in_this_session) else None
