from collections import OrderedDict
from decimal import Decimal

from oscar.core.loading import get_model

from shop.apps.order import statuses

Order = get_model("order", "Order")


def transfer_instructions(*, order) -> list[dict]:
    """Per Lapas in an order awaiting a bank transfer: where to pay and how much.

    Each Lapas books its own proceeds as PNBP, so the buyer pays each Lapas its part.
    """
    if order.status != statuses.AWAITING_PAYMENT:
        return []
    if not order.sources.filter(source_type__name="Bank transfer").exists():
        return []
    per_lapas: OrderedDict = OrderedDict()
    # line_price_incl_tax is after discounts (Oscar keeps the before-discount price apart).
    for line in order.lines.select_related("partner"):
        entry = per_lapas.setdefault(
            line.partner_id, {"lapas": line.partner, "amount": Decimal("0")}
        )
        entry["amount"] += line.line_price_incl_tax
    parts = list(per_lapas.values())
    if parts:
        # Shipping is collected with the first Lapas's part.
        parts[0]["amount"] += order.shipping_incl_tax
    return parts


def orders_unpaid_since(*, placed_before) -> list[int]:
    """Ids of online orders still awaiting payment that were placed before a moment."""
    return list(
        Order.objects.filter(
            status=statuses.AWAITING_PAYMENT,
            date_placed__lt=placed_before,
            channel=Order.Channel.ONLINE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def order_pay_by(*, order):
    """When an unpaid online order is cancelled (shop.payments.tasks.orders_expire_unpaid)."""
    from datetime import timedelta

    from django.conf import settings

    return order.date_placed + timedelta(hours=settings.KARYA_UNPAID_ORDER_HOURS)
