"""Card payments through Stripe: bring an order in line with its PaymentIntent.

The PaymentIntent is always read from Stripe (never taken from a query string or a
webhook's payload), and what it says is recorded through order_record_payment, which
pays an order exactly once whoever reports it first.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import stripe_client
from .money import AmountError, stripe_to_rupiah
from .selectors import stripe_payment_intent_id
from .services import PaymentRecorded, order_record_payment

logger = logging.getLogger(__name__)

PROVIDER_NAME = "Stripe"


@dataclass(frozen=True)
class CardPayment:
    """Where an order's card payment stands, as Stripe reports it right now."""

    # The PaymentIntent's status: requires_payment_method, requires_action, processing,
    # succeeded, canceled, …
    status: str
    # What recording a succeeded payment did (None unless status is "succeeded").
    recorded: PaymentRecorded | None
    # For Stripe.js on the pay page only; never stored.
    client_secret: str
    # Why the last attempt failed (Stripe's words), "" when it did not.
    decline_message: str


def stripe_card_payment_refresh(*, order) -> CardPayment:
    """Read the order's PaymentIntent from Stripe and record the payment if it succeeded.

    Raises stripe_client.StripeError when Stripe cannot be asked.
    """
    intent = stripe_client.payment_intent_retrieve(stripe_payment_intent_id(order=order))
    return CardPayment(
        status=intent.status,
        recorded=stripe_payment_intent_apply(order=order, intent=intent),
        client_secret=intent.client_secret or "",
        decline_message=decline_message(intent),
    )


def stripe_payment_intent_apply(*, order, intent) -> PaymentRecorded | None:
    """Record a succeeded PaymentIntent (read from Stripe) as the order's payment, once."""
    if intent.status != "succeeded":
        return None
    try:
        amount = stripe_to_rupiah(intent.amount_received)
    except AmountError:
        # Not an amount Karya asked for: order_record_payment refuses it as a mismatch.
        amount = None
    return order_record_payment(
        order_id=order.pk,
        amount=amount,
        currency_code=intent.currency,
        reference=intent.id,
        provider=PROVIDER_NAME,
    )


def stripe_payment_declined_note(*, order, message: str) -> None:
    """Tell staff that an attempt to pay by card failed; the order keeps awaiting payment."""
    with translation.override(settings.LANGUAGE_CODE):
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
