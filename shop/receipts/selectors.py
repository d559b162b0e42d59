"""Which paid order a buyer may have the receipt of, and what the receipt shows.

An order has a receipt once it is paid, i.e. once it has a payments.OrderPayment: an order
still awaiting its transfer, or cancelled unpaid, has none (404, as if it did not exist).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from production_link.labels import trace_url
from production_link.selectors import order_line_batches
from shop.payments.providers import get_provider

Order = get_model("order", "Order")
Refund = get_model("payments", "Refund")


def _paid_orders():
    return Order.objects.filter(recorded_payment__isnull=False).select_related(
        "recorded_payment", "lapas", "checkout", "user", "shipping_address", "billing_address"
    )


def receipt_order_for_user(*, user, number: str):
    """The signed-in buyer's own paid order with this number, or None."""
    if not user.is_authenticated:
        return None
    return _paid_orders().filter(user=user, number=number).first()


def receipt_order_for_guest(*, number: str, verification: str, session_email: str | None):
    """A guest's paid order, as Oscar's guest order page finds it: the number, the link's
    signed hash and the e-mail address the guest entered in this session must all match."""
    order = _paid_orders().filter(user=None, number=number).first()
    if order is None or not session_email or order.email != session_email:
        return None
    return order if order.check_verification_hash(verification) else None


@dataclass
class ReceiptLine:
    title: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    batches: list[tuple[str, str]] = field(default_factory=list)  # (code, trace URL)


@dataclass
class Receipt:
    number: str
    order: object
    lapas: object
    lapas_address: str
    buyer_name: str
    paid_at: object
    payment_method: str
    payment_reference: str
    lines: list[ReceiptLine]
    goods_total: Decimal
    shipping: Decimal
    total: Decimal
    refunded: Decimal
    currency: str


def receipt_number(order) -> str:
    return f"KWT-{order.number}"


def _lapas_address(lapas) -> str:
    address = lapas.primary_address if lapas else None
    if address is None:
        return ""
    parts = [address.line1, address.line2, address.line3, address.line4, address.state]
    parts.append(address.postcode)
    return ", ".join(p for p in parts if p)


def _buyer_name(order) -> str:
    # The name the buyer gave for the order (billing, else shipping address), else the
    # account's; after an erasure all of these are blank and the receipt shows none.
    for address in (order.billing_address, order.shipping_address):
        if address is not None:
            name = " ".join(p for p in (address.first_name, address.last_name) if p).strip()
            if name:
                return name
    if order.user_id:
        return order.user.get_full_name()
    return ""


def receipt_for_order(*, order) -> Receipt | None:
    """What the receipt of a paid order shows; None when the order is not paid."""
    payment = getattr(order, "recorded_payment", None)
    if payment is None:
        return None
    batches = order_line_batches(order=order)
    lines = []
    for line in order.lines.order_by("pk"):
        codes = []
        for allocation in batches.get(line.pk, []):
            pair = (allocation.batch.code, trace_url(allocation.batch))
            if pair not in codes:
                codes.append(pair)
        lines.append(
            ReceiptLine(
                title=line.title,
                quantity=line.quantity,
                unit_price=line.unit_price_incl_tax,
                total=line.line_price_incl_tax,
                batches=codes,
            )
        )
    provider = get_provider(payment.provider)
    refunded = Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    return Receipt(
        number=receipt_number(order),
        order=order,
        lapas=order.lapas,
        lapas_address=_lapas_address(order.lapas),
        buyer_name=_buyer_name(order),
        paid_at=timezone.localtime(payment.recorded_at),
        payment_method=str(provider.verbose_name) if provider else payment.provider,
        payment_reference=payment.reference,
        lines=lines,
        goods_total=order.basket_total_incl_tax,
        shipping=order.shipping_incl_tax,
        total=order.total_incl_tax,
        refunded=refunded,
        currency=order.currency,
    )
