"""Every call Karya makes to Stripe, behind one small module.

A ``StripeClient`` is built from the settings on each use rather than by setting the
library's module globals (``stripe.api_key``, ``stripe.api_base``): nothing else in the
process can change where our calls go, and a test that points ``STRIPE_API_BASE`` at the
fake server affects only itself.
"""

import time

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .money import STRIPE_CURRENCY

# The API version the installed library (stripe 16.1) was generated for. Pinned, so
# upgrading the library or changing the account's default version in Stripe's dashboard
# never silently changes the shape of what we read. Create the webhook endpoint with the
# same version (README, "Card payments (Stripe)").
STRIPE_API_VERSION = "2026-10-28.endive"

StripeError = stripe.StripeError
InvalidRequestError = stripe.InvalidRequestError
IdempotencyError = stripe.IdempotencyError
SignatureVerificationError = stripe.SignatureVerificationError


def stripe_is_configured() -> bool:
    """Card payments need both keys: the secret one here, the publishable one in Stripe.js."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("STRIPE_SECRET_KEY is not set: card payments are off.")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=STRIPE_API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def payment_intent_create(
    *,
    amount_minor: int,
    idempotency_key: str,
    metadata: dict,
    description: str = "",
    transfer_group: str = "",
) -> stripe.PaymentIntent:
    """A PaymentIntent on the platform's account; ``transfer_group`` ties the transfers
    that carry its money on to connected accounts (Stripe Connect, separate charges and
    transfers) to it."""
    params = {
        "amount": amount_minor,
        "currency": STRIPE_CURRENCY,
        "automatic_payment_methods": {"enabled": True},
        "metadata": metadata,
    }
    if description:
        params["description"] = description
    if transfer_group:
        params["transfer_group"] = transfer_group
    return stripe_client().v1.payment_intents.create(
        params=params, options={"idempotency_key": idempotency_key}
    )


def payment_intent_retrieve(intent_id: str) -> stripe.PaymentIntent:
    return stripe_client().v1.payment_intents.retrieve(intent_id)


def refund_create(
    *, payment_intent_id: str, amount_minor: int, idempotency_key: str, metadata: dict
) -> stripe.Refund:
    return stripe_client().v1.refunds.create(
        params={
            "payment_intent": payment_intent_id,
            "amount": amount_minor,
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )


def refunds_list(*, payment_intent_id: str) -> list[stripe.Refund]:
    """Every refund of a PaymentIntent, newest first (auto-paging past Stripe's pages)."""
    page = stripe_client().v1.refunds.list(
        params={"payment_intent": payment_intent_id, "limit": 100}
    )
    return list(page.auto_paging_iter())


def refund_retrieve(refund_id: str) -> stripe.Refund:
    return stripe_client().v1.refunds.retrieve(refund_id)


def transfer_create(
    *,
    amount_minor: int,
    destination: str,
    source_transaction: str,
    transfer_group: str,
    idempotency_key: str,
    metadata: dict,
) -> stripe.Transfer:
    """Carry part of a charge on to a connected account (acct_...). ``source_transaction``
    (the charge id) lets the transfer wait for the charge's funds instead of needing them
    in the platform's available balance."""
    return stripe_client().v1.transfers.create(
        params={
            "amount": amount_minor,
            "currency": STRIPE_CURRENCY,
            "destination": destination,
            "source_transaction": source_transaction,
            "transfer_group": transfer_group,
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )


def transfer_retrieve(transfer_id: str) -> stripe.Transfer:
    return stripe_client().v1.transfers.retrieve(transfer_id)


def transfer_reversal_create(
    *, transfer_id: str, amount_minor: int, idempotency_key: str, metadata: dict
) -> stripe.TransferReversal:
    """Take back ``amount_minor`` of a transfer from the connected account (at most what is
    left of it, and only while the account's balance covers it)."""
    return stripe_client().v1.transfers.reversals.create(
        transfer_id,
        params={"amount": amount_minor, "metadata": metadata},
        options={"idempotency_key": idempotency_key},
    )


# How far a webhook's signature time may be from ours, either way (Stripe's own default).
WEBHOOK_TOLERANCE_SECONDS = 300


def webhook_event_construct(*, payload: bytes, signature: str) -> stripe.Event:
    """Verify the ``Stripe-Signature`` of a webhook's raw body and parse the event.

    Raises SignatureVerificationError for a missing or wrong signature, or one timestamped
    more than WEBHOOK_TOLERANCE_SECONDS before or after now, and ValueError for a body that
    is not an event. The library checks only the past: a signature dated in the future
    would let a captured request be replayed for as long as its date lies ahead.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET or None
    stripe.WebhookSignature.verify_header(payload, signature, secret, WEBHOOK_TOLERANCE_SECONDS)
    timestamp = _signature_timestamp(signature)
    if timestamp > time.time() + WEBHOOK_TOLERANCE_SECONDS:
        raise SignatureVerificationError(
            f"Timestamp outside the tolerance zone ({timestamp}, in the future)", signature
        )
    return stripe.Webhook.construct_event(
        payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
    )


def _signature_timestamp(signature: str) -> int:
    """The ``t=`` of a Stripe-Signature header that verify_header has accepted."""
    for part in signature.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            return int(value)
    raise SignatureVerificationError("No timestamp in the signature", signature)
