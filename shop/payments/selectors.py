from decimal import Decimal

from django.db.models import Sum

from .models import Refund, RefundLine


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
