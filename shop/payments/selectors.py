from decimal import Decimal

from django.db.models import Sum
from oscar.core.loading import get_model

from .models import OrderPayment, Refund, RefundLine

Order = get_model("order", "Order")

PAID_EVENT = "Paid"


def user_may_record_payment(*, user, order) -> bool:
    """Central admins, or a treasurer or Kalapas of the order's own Lapas.

    An order kept from before orders were split by Lapas has no Lapas: only a central
    admin may record its payment.
    """
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("payment.change_source") or order.lapas_id is None:
        return False
    return user.partners.filter(pk=order.lapas_id).exists()


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
    """Whether the order's payment has been recorded by shop.payments.services (its
    OrderPayment), whatever its status is now. Payment events do not decide it: one added
    by another path (Oscar's dashboard, the admin) neither pays an order nor blocks its
    real payment."""
    return OrderPayment.objects.filter(order_id=order.pk).exists()


STRIPE_SOURCE_TYPE = "Stripe card"


def stripe_payment_intent_id(*, order) -> str:
    """The PaymentIntent an order was placed with ("" for an order not paid by card)."""
    source = order.sources.filter(source_type__name=STRIPE_SOURCE_TYPE).first()
    return source.reference if source else ""


def orders_for_stripe_payment_intent(*, intent_id: str) -> list:
    """The orders a PaymentIntent pays (all the card orders of one checkout), found through
    our own record of it, in id order."""
    if not intent_id:
        return []
    return list(
        Order.objects.filter(
            sources__source_type__name=STRIPE_SOURCE_TYPE, sources__reference=intent_id
        )
        .select_related("lapas", "checkout")
        .order_by("pk")
        .distinct()
    )


def checkout_card_orders(*, checkout) -> list:
    """The orders of a checkout that are paid by card, in id order."""
    return list(
        checkout.orders.filter(sources__source_type__name=STRIPE_SOURCE_TYPE)
        .select_related("lapas")
        .order_by("pk")
        .distinct()
    )


def checkout_for_card_payment_page(*, checkout_number: str, user, session_checkout_number):
    """A checkout paid by card, for its pay and return pages, or None.

    Only its buyer (signed in) or the browser session that placed it may see it; for
    anyone else the checkout does not exist.
    """
    Checkout = get_model("order", "Checkout")
    checkout = Checkout.objects.filter(
        number=checkout_number, orders__sources__source_type__name=STRIPE_SOURCE_TYPE
    ).first()
    if checkout is None:
        return None
    # Oscar's number generator hands out ints, which the session keeps as they are.
    placed_in_this_session = bool(session_checkout_number) and (
        str(session_checkout_number) == checkout.number
    )
    owner = checkout.user_id is not None and user.is_authenticated and user.pk == checkout.user_id
    return checkout if (owner or placed_in_this_session) else None


def order_payment(*, order) -> OrderPayment | None:
    return OrderPayment.objects.filter(order_id=order.pk).first()
