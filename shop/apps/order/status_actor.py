"""Who changes an order's status, for its status history (OrderStatusChange.changed_by).

Oscar writes the history row inside ``Order.set_status``, which takes no user, and the
status is set deep inside services (mark paid, cancel, refund) that several callers share.
The person acting is therefore named once, where they act (the dashboard's event handler,
a service given a ``user``), for the duration of the change with ``status_changes_by``.
A payment carries its own record of who recorded it (payments.OrderPayment.recorded_by:
the cashier at the POS, the treasurer marking a transfer paid), which names the person
for a change to Paid. Nobody named means the system made the change (Stripe's webhook,
an unpaid order expiring).
"""

from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar = ContextVar("order_status_actor", default=None)


@contextmanager
def status_changes_by(user):
    """Status changes made inside this block are recorded as made by ``user`` (None or an
    anonymous user: by the system)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def status_change_actor_id(*, order, new_status: str):
    """The id of the user to record for a status change being written now, or None (the
    system)."""
    from shop.apps.order import statuses

    user = _actor.get()
    if user is not None:
        return user.pk
    if new_status == statuses.PAID:
        from shop.payments.models import OrderPayment

        return (
            OrderPayment.objects.filter(order=order)
            .values_list("recorded_by_id", flat=True)
            .first()
        )
    return None
