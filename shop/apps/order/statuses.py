"""Order statuses: the stored values (Oscar keeps them as text) and their labels."""

from django.utils.translation import gettext_lazy as _

AWAITING_PAYMENT = "Awaiting payment"
PAID = "Paid"
BEING_PREPARED = "Being prepared"
SHIPPED = "Shipped"
READY_FOR_PICKUP = "Ready for pickup"
COMPLETED = "Completed"
CANCELLED = "Cancelled"
PARTLY_REFUNDED = "Partly refunded"
REFUNDED = "Refunded"

LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAID: _("Paid"),
    BEING_PREPARED: _("Being prepared"),
    SHIPPED: _("Shipped"),
    READY_FOR_PICKUP: _("Ready for pickup"),
    COMPLETED: _("Completed"),
    CANCELLED: _("Cancelled"),
    PARTLY_REFUNDED: _("Partly refunded"),
    REFUNDED: _("Refunded"),
}

# Only the refund service moves an order into these: they follow money actually returned.
REFUND_STATUSES = (PARTLY_REFUNDED, REFUNDED)
# Money has arrived: these orders can be refunded (not cancelled: a paid order's money
# must go back through a refund, which also reverses its PNBP).
PAID_STATUSES = (PAID, BEING_PREPARED, SHIPPED, READY_FOR_PICKUP, COMPLETED, PARTLY_REFUNDED)

# The allowed transitions (settings.OSCAR_ORDER_STATUS_PIPELINE); anything else is refused
# by Order.set_status. A partly refunded order goes on being prepared and delivered.
PIPELINE = {
    AWAITING_PAYMENT: (PAID, CANCELLED),
    PAID: (BEING_PREPARED, PARTLY_REFUNDED, REFUNDED),
    BEING_PREPARED: (SHIPPED, READY_FOR_PICKUP, PARTLY_REFUNDED, REFUNDED),
    SHIPPED: (COMPLETED, PARTLY_REFUNDED, REFUNDED),
    READY_FOR_PICKUP: (COMPLETED, PARTLY_REFUNDED, REFUNDED),
    COMPLETED: (PARTLY_REFUNDED, REFUNDED),
    PARTLY_REFUNDED: (BEING_PREPARED, SHIPPED, READY_FOR_PICKUP, COMPLETED, REFUNDED),
    REFUNDED: (),
    CANCELLED: (),
}
# A status set on the order is set on its lines too, except "partly refunded": only some
# lines were refunded.
CASCADE = {status: status for status in PIPELINE if status != PARTLY_REFUNDED}


def label(status: str) -> str:
    return str(LABELS.get(status, status))
