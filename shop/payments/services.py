from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop.apps.order import statuses

from .selectors import user_may_record_payment

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

PAID_EVENT = "Paid"


class PaymentStateError(PaymentError):
    """A payment that cannot be recorded; its message is shown to the staff member."""


@transaction.atomic
def order_mark_paid(*, order_id: int, user, reference: str = "") -> bool:
    """Record that an order's money has arrived, once.

    Returns True when this call recorded the payment, False when it was already
    recorded (a second click, a retried request): the order is paid exactly once.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    if not user_may_record_payment(user=user, order=order):
        raise PaymentStateError(
            _("Only the treasurer or head of the Lapas, or a central admin, may record a payment.")
        )
    event_type, _created = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    if order.payment_events.filter(event_type=event_type).exists():
        return False
    if order.status != statuses.AWAITING_PAYMENT:
        raise PaymentStateError(
            _("Only an order awaiting payment can be marked paid (this one is %(status)s).")
            % {"status": statuses.label(order.status)}
        )
    amount = order.total_incl_tax
    for source in order.sources.all():
        remaining = source.amount_allocated - source.amount_debited
        if remaining > 0:
            source.debit(remaining, reference=reference)
    event = order.payment_events.create(event_type=event_type, amount=amount, reference=reference)
    PaymentEventQuantity.objects.bulk_create(
        [
            PaymentEventQuantity(event=event, line=line, quantity=line.quantity)
            for line in order.lines.all()
        ]
    )
    order.set_status(statuses.PAID)
    who = (user.get_full_name() or user.get_username()) if user else _("the system")
    order.notes.create(
        user=user,
        note_type="System",
        message=_("Payment of %(amount)s recorded by %(who)s.")
        % {"amount": currency(amount), "who": who},
    )
    from shop.apps.order.notifications import order_notify  # issue 5: order e-mails

    order_notify(order_id=order.pk, event="payment_received")  # e-mail the buyer after commit
    return True
