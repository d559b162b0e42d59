from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.core.loading import get_model

from production_link.services import allocation_release_order
from shop.apps.order import statuses
from shop.apps.order.status_actor import status_changes_by

Order = get_model("order", "Order")


@transaction.atomic
def order_cancel(*, order_id: int, user=None, reason: str = "") -> bool:
    """Cancel an order and give its units back to their batches. Once only.

    Returns False when the order was already cancelled (a second click).
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status == statuses.CANCELLED:
        return False
    if statuses.CANCELLED not in order.available_statuses():
        raise InvalidOrderStatus(
            _("An order that is %(status)s can no longer be cancelled.")
            % {"status": statuses.label(order.status)}
        )
    released = allocation_release_order(order=order)
    with status_changes_by(user):
        order.set_status(statuses.CANCELLED)
    who = (user.get_full_name() or user.get_username()) if user else _("the system")
    message = _("Order cancelled by %(who)s; %(units)d unit(s) returned to stock.") % {
        "who": who,
        "units": released,
    }
    if reason:
        message += " " + reason
    order.notes.create(user=user, note_type="System", message=message)
    return True


def order_expire_unpaid(*, order_id: int, placed_before) -> bool:
    """Cancel an order still unpaid since before ``placed_before``, releasing its stock.

    Re-checked under the order's lock: a payment recorded meanwhile wins, and a second
    run (a retried task) finds nothing to do.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != statuses.AWAITING_PAYMENT or order.date_placed >= placed_before:
            return False
        return order_cancel(
            order_id=order.pk,
            reason=_("It was not paid in time, so its items are available to others again."),
        )
