from oscar.core.loading import get_model

from shop.apps.order import statuses

Order = get_model("order", "Order")


def transfer_instructions(*, order) -> list[dict]:
    """How to pay an order awaiting a bank transfer: its Lapas's account, its amount and
    the reference to write on the transfer (the order's number). Empty when there is
    nothing to transfer.

    Each Lapas books its own proceeds as PNBP, so each order (one per Lapas) is paid to
    its own Lapas's account. A list, so templates treat one order and a checkout alike.
    """
    if order.status != statuses.AWAITING_PAYMENT or order.lapas_id is None:
        return []
    if not order.sources.filter(source_type__name="Bank transfer").exists():
        return []
    return [
        {
            "order": order,
            "lapas": order.lapas,
            "amount": order.total_incl_tax,
            "reference": order.number,
        }
    ]


def checkout_transfer_instructions(*, checkout) -> list[dict]:
    """transfer_instructions of every order of a checkout still awaiting its transfer."""
    parts = []
    for order in checkout.orders.select_related("lapas").order_by("pk"):
        parts.extend(transfer_instructions(order=order))
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


def checkout_for_thank_you(*, session, user, requested_number: str = ""):
    """The checkout whose thank-you page a browser may see: the one its session placed
    (or paid), or for a central admin any checkout by number (Oscar's preview habit)."""
    Checkout = get_model("order", "Checkout")
    if requested_number and user.is_superuser:
        return Checkout.objects.filter(number=requested_number).first()
    number = session.get("checkout_number")
    if number:
        return Checkout.objects.filter(number=str(number)).first()
    order_id = session.get("checkout_order_id")
    if order_id:
        order = Order.objects.filter(pk=order_id).select_related("checkout").first()
        return order.checkout if order is not None else None
    return None


def checkout_first_order_id(*, number: str) -> int | None:
    """The first order of the checkout numbered ``number``, or None when there is none."""
    return (
        Order.objects.filter(checkout__number=number).order_by("pk").values_list("pk", flat=True)
    ).first()


def checkout_sections(*, checkout) -> list[dict]:
    """One section per order of a checkout (one per Lapas) for the thank-you page and the
    confirmation e-mail: its lines, status, and how it is paid (its own transfer
    instructions, or its card payment)."""
    return order_sections(orders=checkout.orders.all())


def order_sections(*, orders) -> list[dict]:
    sections = []
    orders = (
        orders.select_related("lapas", "shipping_address")
        .prefetch_related("lines", "sources__source_type")
        .order_by("pk")
    )
    for order in orders:
        sources = {source.source_type.name for source in order.sources.all()}
        sections.append(
            {
                "order": order,
                "lines": list(order.lines.all()),
                "status_label": statuses.label(order.status),
                "awaiting_payment": order.status == statuses.AWAITING_PAYMENT,
                "transfer_instructions": transfer_instructions(order=order),
                "by_card": "Stripe card" in sources,
            }
        )
    return sections
