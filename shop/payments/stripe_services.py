"""Card payments through Stripe Connect: bring a checkout's orders in line with their
PaymentIntent, and carry each order's money on to its Lapas.

The PaymentIntent is always read from Stripe (never taken from a query string or a
webhook's payload), and what it says is recorded through orders_record_payment, which
pays each order exactly once whoever reports it first. Each order paid that way then gets
a Transfer of its amount to its Lapas's connected account (``source_transaction`` = the
charge, so it waits for the charge's funds); a refund of an order reverses that order's
transfer by the refund's amount. Both go through Celery tasks queued once the payment or
refund has committed, with idempotency keys, so a retry never moves money twice.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from . import stripe_client
from .models import OrderPayment, Refund
from .money import AmountError, rupiah_to_stripe, stripe_to_rupiah
from .selectors import STRIPE_SOURCE_TYPE, checkout_card_orders
from .services import PaymentRecorded, orders_record_payment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

PROVIDER_NAME = "Stripe"
PROVIDER = "stripe"


@dataclass(frozen=True)
class CardPayment:
    """Where a checkout's card payment stands, as Stripe reports it right now."""

    # The PaymentIntent's status: requires_payment_method, requires_action, processing,
    # succeeded, canceled, …
    status: str
    # What recording a succeeded payment did (None unless status is "succeeded").
    recorded: PaymentRecorded | None
    # For Stripe.js on the pay page only; never stored.
    client_secret: str
    # Why the last attempt failed (Stripe's words), "" when it did not.
    decline_message: str


def checkout_payment_intent_id(*, checkout) -> str:
    source = (
        get_model("payment", "Source")
        .objects.filter(order__checkout=checkout, source_type__name=STRIPE_SOURCE_TYPE)
        .first()
    )
    return source.reference if source else ""


def stripe_card_payment_refresh(*, checkout) -> CardPayment:
    """Read the checkout's PaymentIntent from Stripe and record the payment if it
    succeeded. Raises stripe_client.StripeError when Stripe cannot be asked."""
    intent = stripe_client.payment_intent_retrieve(checkout_payment_intent_id(checkout=checkout))
    return CardPayment(
        status=intent.status,
        recorded=stripe_payment_intent_apply(
            orders=checkout_card_orders(checkout=checkout), intent=intent
        ),
        client_secret=intent.client_secret or "",
        decline_message=decline_message(intent),
    )


def stripe_payment_intent_apply(*, orders, intent) -> PaymentRecorded | None:
    """Record a succeeded PaymentIntent (read from Stripe) as the payment of the orders it
    was created for, once each, and queue each newly paid order's transfer.

    Returns RECORDED or ALREADY_PAID when every order is paid, otherwise what stopped the
    first order that is not (a note on it tells staff).
    """
    if intent.status != "succeeded" or not orders:
        return None
    try:
        received = stripe_to_rupiah(intent.amount_received)
    except AmountError:
        received = None
    expected = sum(order.total_incl_tax for order in orders)
    if received == expected:
        amounts = {order.pk: order.total_incl_tax for order in orders}
    else:
        # Not what the checkout asked for: no order is marked paid, each gets a note.
        amounts = {order.pk: None for order in orders}
    with transaction.atomic():
        outcome = orders_record_payment(
            amounts=amounts,
            currency_code=intent.currency,
            reference=intent.id,
            provider=PROVIDER,
            provider_name=PROVIDER_NAME,
            charge_id=_charge_id(intent),
        )
        for order_id, recorded in outcome.items():
            if recorded == PaymentRecorded.RECORDED:
                _queue_transfer(order_id)
    problems = [r for r in outcome.values() if r not in _PAID]
    if problems:
        return problems[0]
    if PaymentRecorded.RECORDED in outcome.values():
        return PaymentRecorded.RECORDED
    return PaymentRecorded.ALREADY_PAID


_PAID = (PaymentRecorded.RECORDED, PaymentRecorded.ALREADY_PAID)


def _charge_id(intent) -> str:
    charge = getattr(intent, "latest_charge", None) or ""
    return charge if isinstance(charge, str) else getattr(charge, "id", "")


def _queue_transfer(order_id: int) -> None:
    def queue():
        from .tasks import stripe_order_transfer

        stripe_order_transfer.delay(order_id=order_id)

    transaction.on_commit(queue, robust=True)


def stripe_order_transfer_send(*, order_id: int) -> str:
    """Transfer a card-paid order's amount to its Lapas's connected account, once.

    Returns the transfer's id ("" when the order's Lapas has no connected account: the
    money stays on the platform's account and a note asks staff to pay the Lapas). The
    idempotency key is the order's: a retried task gets the first transfer back from
    Stripe. Raises stripe_client.StripeError when Stripe cannot be asked (the task
    retries).
    """
    payment = OrderPayment.objects.select_related("order__lapas", "order__checkout").get(
        order_id=order_id, provider=PROVIDER
    )
    if payment.transfer_id:
        return payment.transfer_id
    order = payment.order
    account = order.lapas.stripe_account_id if order.lapas_id else ""
    if not account or not payment.charge_id:
        logger.error(
            "Order %s: paid by card but %s; its money stays on the platform's Stripe account.",
            order.number,
            "its Lapas has no connected account" if not account else "no charge is recorded",
        )
        with translation.override(settings.LANGUAGE_CODE):
            note = _(
                "The card payment could not be transferred to the Lapas's Stripe account "
                "(none is connected). The money is on the platform's account: a central admin "
                "must pay it to the Lapas."
            )
            if not order.notes.filter(message=note).exists():
                order.notes.create(note_type="System", message=note)
        return ""
    group = order.checkout.number if order.checkout_id else order.number
    transfer = stripe_client.transfer_create(
        amount_minor=rupiah_to_stripe(payment.amount),
        destination=account,
        source_transaction=payment.charge_id,
        transfer_group=group,
        idempotency_key=f"karya-order-{order.number}-transfer",
        metadata={"order_number": order.number, "checkout_number": group},
    )
    with transaction.atomic():
        updated = OrderPayment.objects.filter(pk=payment.pk, transfer_id="").update(
            transfer_id=transfer.id, transfer_destination=account
        )
        if updated:
            # Beside the order's payment source, where Oscar's order page lists its
            # transactions.
            source = order.sources.filter(source_type__name=STRIPE_SOURCE_TYPE).first()
            if source is not None:
                source.transactions.create(
                    txn_type="Transfer", amount=payment.amount, reference=transfer.id, status="paid"
                )
            with translation.override(settings.LANGUAGE_CODE):
                order.notes.create(
                    note_type="System",
                    message=_(
                        "%(amount)s transferred to the Lapas's Stripe account %(account)s (%(transfer)s)."
                    )
                    % {
                        "amount": currency(payment.amount, order.currency),
                        "account": account,
                        "transfer": transfer.id,
                    },
                )
    return transfer.id


def queue_transfer_reversal(*, refund) -> None:
    """After a card refund has committed, take its amount back from the Lapas."""
    if refund.provider != PROVIDER:
        return
    refund_id = refund.pk

    def queue():
        from .tasks import stripe_refund_transfer_reversal

        stripe_refund_transfer_reversal.delay(refund_id=refund_id)

    transaction.on_commit(queue, robust=True)


def stripe_refund_reversal_send(*, refund_id: int) -> str:
    """Reverse the refunded order's transfer by the refund's amount (partial for a partial
    refund), once. Returns the reversal's id, "" when there is nothing to reverse (the
    order's money was never transferred). Raises stripe_client.StripeError when Stripe
    cannot be asked or refuses (e.g. the Lapas's balance no longer covers it): the task
    retries, and a refusal is noted on the order for staff."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.transfer_reversal_id or refund.status != Refund.Status.SUCCEEDED:
        return refund.transfer_reversal_id
    payment = OrderPayment.objects.filter(order_id=refund.order_id).first()
    if payment is None or not payment.transfer_id:
        return ""
    order = refund.order
    try:
        reversal = stripe_client.transfer_reversal_create(
            transfer_id=payment.transfer_id,
            amount_minor=rupiah_to_stripe(refund.amount),
            idempotency_key=f"karya-refund-{refund.pk}-reversal",
            metadata={"order_number": order.number, "refund_id": str(refund.pk)},
        )
    except stripe_client.InvalidRequestError as error:
        logger.error(
            "Refund %s of order %s: Stripe refused the reversal: %s", refund.pk, order.number, error
        )
        with translation.override(settings.LANGUAGE_CODE):
            note = _(
                "The refund of %(amount)s could not be taken back from the Lapas's Stripe "
                "account: %(reason)s A central admin must settle it with the Lapas."
            ) % {
                "amount": currency(refund.amount, order.currency),
                "reason": error.user_message or str(error),
            }
            if not order.notes.filter(message=note).exists():
                order.notes.create(note_type="System", message=note)
        raise
    with transaction.atomic():
        updated = Refund.objects.filter(pk=refund.pk, transfer_reversal_id="").update(
            transfer_reversal_id=reversal.id
        )
        if updated:
            source = order.sources.filter(source_type__name=STRIPE_SOURCE_TYPE).first()
            if source is not None:
                source.transactions.create(
                    txn_type="Transfer reversal",
                    amount=refund.amount,
                    reference=reversal.id,
                    status="reversed",
                )
    return reversal.id


def stripe_payment_declined_note(*, orders, message: str) -> None:
    """Tell staff that an attempt to pay by card failed; the orders keep awaiting payment."""
    with translation.override(settings.LANGUAGE_CODE):
        for order in orders:
            order.notes.create(
                note_type="System",
                message=_(
                    "A card payment attempt was declined: %(reason)s The order still awaits "
                    "payment; the buyer may try again with another card."
                )
                % {"reason": message or _("no reason given.")},
            )


def decline_message(intent) -> str:
    error = getattr(intent, "last_payment_error", None)
    return (getattr(error, "message", None) or "") if error else ""
