import logging
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from production_link.pnbp.services import pnbp_record_sale
from shop.apps.order import statuses
from shop.apps.order.notifications import order_notify

from .selectors import PAID_EVENT, order_is_paid, user_may_record_payment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")


class PaymentStateError(PaymentError):
    """A payment that cannot be recorded; its message is shown to the staff member."""


class PaymentRecorded(StrEnum):
    """What ``order_record_payment`` did with a payment a provider reported."""

    RECORDED = "recorded"
    ALREADY_PAID = "already_paid"
    # Not marked paid: staff must look (a note is on the order, an error in the log).
    AMOUNT_MISMATCH = "amount_mismatch"
    ORDER_CLOSED = "order_closed"


@transaction.atomic
def order_mark_paid(*, order_id: int, user, reference: str = "") -> bool:
    """Staff record that an order's money has arrived, once.

    Returns True when this call recorded the payment, False when it was already
    recorded (a second click, a retried request): the order is paid exactly once.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    if not user_may_record_payment(user=user, order=order):
        raise PaymentStateError(
            _("Only the treasurer or head of the Lapas, or a central admin, may record a payment.")
        )
    if order_is_paid(order=order):
        return False
    if order.status != statuses.AWAITING_PAYMENT:
        raise PaymentStateError(
            _("Only an order awaiting payment can be marked paid (this one is %(status)s).")
            % {"status": statuses.label(order.status)}
        )
    amount = order.total_incl_tax
    who = (user.get_full_name() or user.get_username()) if user else _("the system")
    _order_pay(
        order=order,
        amount=amount,
        reference=reference,
        user=user,
        note=_("Payment of %(amount)s recorded by %(who)s.")
        % {"amount": currency(amount), "who": who},
    )
    return True


@transaction.atomic
def order_record_payment(
    *, order_id: int, amount: Decimal | None, currency_code: str, reference: str, provider: str
) -> PaymentRecorded:
    """Record a payment a provider reports (Stripe's webhook or the buyer's return), once.

    Whichever report comes first records it; later ones get ALREADY_PAID. A payment that
    does not match the order (another amount or currency; ``amount`` None when the
    provider's amount is not whole rupiah) or that arrives for an order no longer awaiting
    payment (cancelled because it stayed unpaid) is not recorded: the order keeps its
    status, and a note and an error in the log ask staff to check and refund.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    if order_is_paid(order=order):
        return PaymentRecorded.ALREADY_PAID
    # Notes for staff are in the site's language, whoever's request carried the report.
    with translation.override(settings.LANGUAGE_CODE):
        paid = _("%(amount)s (%(provider)s, reference %(reference)s)") % {
            "amount": currency(amount, currency_code.upper()) if amount is not None else "?",
            "provider": provider,
            "reference": reference,
        }
        if order.status != statuses.AWAITING_PAYMENT:
            logger.error(
                "Order %s is %s but a payment arrived (%s): not marked paid; refund it.",
                order.number,
                order.status,
                reference,
            )
            _order_note_once(
                order,
                _(
                    "A payment of %(paid)s arrived while the order is %(status)s. The order "
                    "was not marked paid: please refund the buyer."
                )
                % {"paid": paid, "status": statuses.label(order.status)},
            )
            return PaymentRecorded.ORDER_CLOSED
        if amount != order.total_incl_tax or currency_code.upper() != order.currency.upper():
            logger.error(
                "Order %s: payment %s of %s %s does not match the order total %s %s; not marked paid.",
                order.number,
                reference,
                amount,
                currency_code,
                order.total_incl_tax,
                order.currency,
            )
            _order_note_once(
                order,
                _(
                    "A payment of %(paid)s does not match the order total of %(total)s. The "
                    "order was not marked paid: please check the payment and refund it."
                )
                % {"paid": paid, "total": currency(order.total_incl_tax, order.currency)},
            )
            return PaymentRecorded.AMOUNT_MISMATCH
        _order_pay(
            order=order,
            amount=amount,
            reference=reference,
            user=None,
            note=_("Payment of %(amount)s received through %(provider)s (reference %(reference)s).")
            % {
                "amount": currency(amount, order.currency),
                "provider": provider,
                "reference": reference,
            },
        )
    return PaymentRecorded.RECORDED


def _paid_event_type():
    event_type, _created = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    return event_type


def _order_note_once(order, message: str) -> None:
    # The webhook and the buyer's return may both report the same problem.
    if not order.notes.filter(message=message).exists():
        order.notes.create(note_type="System", message=message)


def _order_pay(*, order, amount: Decimal, reference: str, user, note: str) -> None:
    """The one place an order becomes paid; the caller holds the order's row lock and has
    checked it is awaiting payment and not yet paid."""
    for source in order.sources.all():
        remaining = source.amount_allocated - source.amount_debited
        if remaining > 0:
            source.debit(remaining, reference=reference)
    event = order.payment_events.create(
        event_type=_paid_event_type(), amount=amount, reference=reference
    )
    PaymentEventQuantity.objects.bulk_create(
        [
            PaymentEventQuantity(event=event, line=line, quantity=line.quantity)
            for line in order.lines.all()
        ]
    )
    order.set_status(statuses.PAID)
    # PNBP: the ledger books the sale here, in the payment's transaction, exactly once.
    pnbp_record_sale(order=order)
    order.notes.create(user=user, note_type="System", message=note)
    # The buyer is e-mailed once this transaction has committed.
    order_notify(order_id=order.pk, event="payment_received")
