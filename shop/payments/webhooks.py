"""Stripe's webhook events: verified, recorded once, handled by type.

Each handled event's id is stored in ``payments.WebhookEvent`` (unique per provider) in
the same transaction as its effect: a replayed event finds its id taken and does nothing,
and an event whose handling fails leaves no record, so Stripe's retry handles it again.

Handlers are registered by event type with ``@stripe_event_handler("type")``; an event
type without a handler is answered 200 and ignored. A handler receives the verified
event, re-reads what it needs from Stripe (the payload is only a hint of which object
changed) and runs inside the event's transaction.
"""

import logging
from collections.abc import Callable
from enum import StrEnum

from django.db import IntegrityError, transaction

from . import stripe_client
from .models import WebhookEvent
from .money import stripe_to_rupiah
from .providers import StripeProvider
from .refund_services import refund_record_from_provider
from .selectors import order_is_paid, orders_for_stripe_payment_intent
from .stripe_services import (
    decline_message,
    stripe_payment_declined_note,
    stripe_payment_intent_apply,
)

logger = logging.getLogger(__name__)

PROVIDER = "stripe"

StripeEventHandler = Callable[..., None]
STRIPE_EVENT_HANDLERS: dict[str, StripeEventHandler] = {}


def stripe_event_handler(event_type: str):
    """Register ``handler(*, event)`` for one Stripe event type."""

    def register(handler: StripeEventHandler) -> StripeEventHandler:
        STRIPE_EVENT_HANDLERS[event_type] = handler
        return handler

    return register


class WebhookRefused(Exception):
    """A request that is not a genuine, recent Stripe event: answered 400, nothing done."""


class WebhookResult(StrEnum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def stripe_webhook_receive(*, payload: bytes, signature: str) -> WebhookResult:
    """Verify the signature on the raw body, then process the event once.

    Raises WebhookRefused for a bad or stale signature or a body that is not an event,
    and stripe_client.StripeError when Stripe cannot be asked (nothing is recorded, so
    Stripe's retry processes the event again).
    """
    try:
        event = stripe_client.webhook_event_construct(payload=payload, signature=signature)
    except (stripe_client.SignatureVerificationError, ValueError) as error:
        raise WebhookRefused(str(error)) from error
    except (TypeError, AttributeError) as error:
        # Signed JSON that is a list or a bare value: the library cannot even read it.
        raise WebhookRefused(f"The body is not a Stripe event ({error}).") from error
    # Signed JSON that is an object but no event (no id or type) must be a 400, not a 500.
    if (
        getattr(event, "object", None) != "event"
        or not isinstance(getattr(event, "id", None), str)
        or not isinstance(getattr(event, "type", None), str)
    ):
        raise WebhookRefused("The body is not a Stripe event.")
    return stripe_event_process(event=event)


@transaction.atomic
def stripe_event_process(*, event) -> WebhookResult:
    handler = STRIPE_EVENT_HANDLERS.get(event.type)
    if handler is None:
        return WebhookResult.IGNORED
    try:
        # A savepoint: when the same event is delivered twice at once, the second insert
        # waits for the first transaction and then fails here, without spoiling ours.
        with transaction.atomic():
            WebhookEvent.objects.create(provider=PROVIDER, event_id=event.id, event_type=event.type)
    except IntegrityError:
        logger.info("Stripe event %s (%s) was already processed.", event.id, event.type)
        return WebhookResult.DUPLICATE
    handler(event=event)
    return WebhookResult.HANDLED


def _event_orders_and_intent(event):
    """The orders an event's PaymentIntent pays (one checkout's card orders), and the
    intent read afresh from Stripe; ([], None) for an intent that is not ours."""
    intent_id = getattr(event.data.object, "id", "")
    orders = orders_for_stripe_payment_intent(intent_id=intent_id)
    if not orders:
        # Another integration on the same Stripe account, or a test event: not ours.
        logger.info("Stripe event %s: no order was placed with %s.", event.id, intent_id)
        return [], None
    return orders, stripe_client.payment_intent_retrieve(intent_id)


@stripe_event_handler("payment_intent.succeeded")
def payment_intent_succeeded(*, event) -> None:
    orders, intent = _event_orders_and_intent(event)
    if orders:
        stripe_payment_intent_apply(orders=orders, intent=intent)


@stripe_event_handler("payment_intent.payment_failed")
def payment_intent_payment_failed(*, event) -> None:
    orders, intent = _event_orders_and_intent(event)
    if not orders:
        return
    if intent.status == "succeeded":
        # The failure is old news (events arrive in any order): a later attempt succeeded.
        stripe_payment_intent_apply(orders=orders, intent=intent)
        return
    unpaid = [order for order in orders if not order_is_paid(order=order)]
    # Never un-pay, nor confuse staff about a paid order. The state comes from Stripe
    # afresh (above); the reason is that of the attempt the event reports, from its signed
    # payload, as the intent may carry a newer attempt now.
    message = decline_message(event.data.object) or decline_message(intent)
    stripe_payment_declined_note(orders=unpaid, message=message)


@stripe_event_handler("charge.refunded")
@stripe_event_handler("charge.refund.updated")
def charge_refunded(*, event) -> None:
    """A refund was made or changed: each of the intent's refunds, read afresh from Stripe,
    is applied once to the order it refunds (ours completed, one made in Stripe's
    dashboard recorded)."""
    intent_id = getattr(event.data.object, "payment_intent", "") or ""
    orders = orders_for_stripe_payment_intent(intent_id=intent_id)
    if not orders:
        logger.info("Stripe event %s: no order was placed with %s.", event.id, intent_id)
        return
    by_number = {order.number: order for order in orders}
    for stripe_refund in stripe_client.refunds_list(payment_intent_id=intent_id):
        metadata = stripe_refund.metadata.to_dict() if stripe_refund.metadata else {}
        order = by_number.get(metadata.get("order_number", ""))
        if order is None and len(orders) == 1:
            order = orders[0]
        if order is None:
            # Made in Stripe's dashboard for a checkout of several Lapas: which order's
            # money went back cannot be told from the charge alone.
            logger.error(
                "Stripe refund %s of %s names no order of the checkout; record it on the "
                "order it refunds.",
                stripe_refund.id,
                intent_id,
            )
            continue
        refund_record_from_provider(
            order_id=order.pk,
            provider=PROVIDER,
            reference=stripe_refund.id,
            amount=stripe_to_rupiah(stripe_refund.amount),
            status=StripeProvider.REFUND_STATUSES.get(stripe_refund.status, "pending"),
            karya_refund_id=metadata.get("refund_id"),
        )
