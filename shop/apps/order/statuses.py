"""Order statuses: the stored values (Oscar keeps them as text) and their labels."""

from django.utils.translation import gettext_lazy as _

AWAITING_PAYMENT = "Awaiting payment"
PAID = "Paid"
BEING_PREPARED = "Being prepared"
SHIPPED = "Shipped"
READY_FOR_PICKUP = "Ready for pickup"
COMPLETED = "Completed"
CANCELLED = "Cancelled"

LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAID: _("Paid"),
    BEING_PREPARED: _("Being prepared"),
    SHIPPED: _("Shipped"),
    READY_FOR_PICKUP: _("Ready for pickup"),
    COMPLETED: _("Completed"),
    CANCELLED: _("Cancelled"),
}


def label(status: str) -> str:
    return str(LABELS.get(status, status))
