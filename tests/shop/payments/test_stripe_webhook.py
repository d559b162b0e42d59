"""Stripe's webhook: signed events, recorded once, in any order, with the state re-read
from (the fake) Stripe."""

import json
import logging
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.order import statuses
from shop.apps.order.services import order_cancel
from shop.payments.models import WebhookEvent
from shop.payments.webhooks import STRIPE_EVENT_HANDLERS
from tests.fakes.stripe_server import DECLINE_MESSAGE, send_webhook, stripe_signature
from tests.shop.payments.helpers import intent_id, place_card_order, return_url

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, product, fake_stripe):
    placed, _response = place_card_order(client, product)
    return placed


def paid_state(order):
    order.refresh_from_db()
    return (
        order.status,
        order.payment_events.count(),
        order.status_changes.filter(new_status=statuses.PAID).count(),
    )


PAID_ONCE = (statuses.PAID, 1, 1)
UNPAID = (statuses.AWAITING_PAYMENT, 0, 0)


def test_a_signed_succeeded_event_marks_the_order_paid(client, order, fake_stripe):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")

    response = send_webhook(
        client, fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))
    )

    assert response.status_code == 200
    assert response.json() == {"received": True, "result": "handled"}
    assert paid_state(order) == PAID_ONCE
    assert order.payment_events.get().amount == Decimal("150000")
    assert order.sources.get().amount_debited == Decimal("150000")
    # The intent was read again from Stripe rather than taken from the payload.
    assert fake_stripe.requests_to("GET", f"/v1/payment_intents/{intent_id(order)}")


def test_webhook_before_the_buyers_return_pays_once(client, order, fake_stripe):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    send_webhook(client, fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order)))

    back = client.get(return_url(order))

    assert back["Location"] == reverse("checkout:thank-you")
    assert paid_state(order) == PAID_ONCE


def test_webhook_after_the_buyers_return_pays_once(client, order, fake_stripe):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    assert client.get(return_url(order))["Location"] == reverse("checkout:thank-you")

    response = send_webhook(
        client, fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))
    )

    assert response.status_code == 200
    assert paid_state(order) == PAID_ONCE
    assert order.notes.count() == 1


def test_the_same_event_twice_is_processed_once(client, order, fake_stripe):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))

    first = send_webhook(client, event)
    replay = send_webhook(client, event)

    assert (first.status_code, replay.status_code) == (200, 200)
    assert replay.json()["result"] == "duplicate"
    assert WebhookEvent.objects.filter(provider="stripe", event_id=event["id"]).count() == 1
    assert paid_state(order) == PAID_ONCE
    # The replay did not even ask Stripe again.
    assert len(fake_stripe.requests_to("GET", "/v1/payment_intents/")) == 1


def test_a_failure_arriving_after_the_success_does_not_unpay(client, order, fake_stripe):
    pi = intent_id(order)
    fake_stripe.set_intent_status(pi, "requires_payment_method")
    failed = fake_stripe.event("payment_intent.payment_failed", intent_id=pi)  # the first card
    fake_stripe.set_intent_status(pi, "succeeded")  # the second card
    succeeded = fake_stripe.event("payment_intent.succeeded", intent_id=pi)

    send_webhook(client, succeeded)
    response = send_webhook(client, failed)

    assert response.status_code == 200
    assert paid_state(order) == PAID_ONCE
    assert not order.notes.filter(message__contains=DECLINE_MESSAGE).exists()


def test_a_failure_whose_payment_then_succeeded_pays_even_if_the_success_is_lost(
    client, order, fake_stripe
):
    pi = intent_id(order)
    fake_stripe.set_intent_status(pi, "requires_payment_method")
    failed = fake_stripe.event("payment_intent.payment_failed", intent_id=pi)
    fake_stripe.set_intent_status(pi, "succeeded")

    send_webhook(client, failed)

    assert paid_state(order) == PAID_ONCE


def test_a_declined_payment_leaves_a_note_and_the_order_awaiting_payment(
    client, order, fake_stripe
):
    fake_stripe.set_intent_status(intent_id(order), "requires_payment_method")

    response = send_webhook(
        client, fake_stripe.event("payment_intent.payment_failed", intent_id=intent_id(order))
    )

    assert response.status_code == 200
    assert paid_state(order) == UNPAID
    note = order.notes.get()
    assert DECLINE_MESSAGE in note.message


def test_a_success_in_the_payload_is_not_believed_without_stripe(client, order, fake_stripe):
    # A genuine, signed event, but the intent is no longer (or not yet) succeeded at Stripe.
    forged = fake_stripe.event(
        "payment_intent.succeeded",
        obj={**fake_stripe.intent(intent_id(order)), "status": "succeeded"},
    )

    response = send_webhook(client, forged)

    assert response.status_code == 200
    assert paid_state(order) == UNPAID


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "stale timestamp", "no signature", "tampered body", "not json"],
)
def test_a_bad_or_stale_signature_is_refused_and_changes_nothing(client, order, fake_stripe, how):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))
    payload = json.dumps(event)
    if how == "wrong secret":
        response = send_webhook(client, event, secret="whsec_someone_else")
    elif how == "stale timestamp":
        response = send_webhook(client, event, timestamp=int(time.time()) - 301)
    elif how == "no signature":
        response = send_webhook(client, event, signature="")
    elif how == "tampered body":
        header = stripe_signature(
            payload.replace("payment_intent.succeeded", "x"), "whsec_karya_tests"
        )
        response = send_webhook(client, event, signature=header)
    else:
        body = "not an event"
        response = client.post(
            reverse("stripe-webhook"),
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": stripe_signature(body, "whsec_karya_tests")},
        )

    assert response.status_code == 400
    assert paid_state(order) == UNPAID
    assert not WebhookEvent.objects.exists()
    assert not fake_stripe.requests_to("GET", "/v1/payment_intents/")


def test_a_recent_signature_within_the_tolerance_is_accepted(client, order, fake_stripe):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))

    response = send_webhook(client, event, timestamp=int(time.time()) - 240)

    assert response.status_code == 200
    assert paid_state(order) == PAID_ONCE


def test_without_a_webhook_secret_every_event_is_refused(client, order, fake_stripe, settings):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))

    # Signed with an empty key, as someone guessing would.
    response = send_webhook(client, event, secret="")

    assert response.status_code == 400
    assert paid_state(order) == UNPAID


def test_an_unknown_event_type_is_acknowledged_and_ignored(client, order, fake_stripe):
    response = send_webhook(client, fake_stripe.event("customer.created", obj={"id": "cus_1"}))

    assert response.status_code == 200
    assert response.json()["result"] == "ignored"
    assert not WebhookEvent.objects.exists()
    assert "customer.created" not in STRIPE_EVENT_HANDLERS


def test_an_event_for_an_intent_that_is_not_ours_is_acknowledged(client, fake_stripe):
    intent = fake_stripe._intent_create({"amount": "100", "currency": "idr"})
    fake_stripe.set_intent_status(intent["id"], "succeeded")

    response = send_webhook(
        client, fake_stripe.event("payment_intent.succeeded", intent_id=intent["id"])
    )

    assert response.status_code == 200
    assert not fake_stripe.requests_to("GET", "/v1/payment_intents/")


def test_when_stripe_cannot_be_asked_the_event_is_left_for_stripes_retry(
    client, order, fake_stripe
):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))
    fake_stripe.down = True

    refused = send_webhook(client, event)

    assert refused.status_code == 503
    assert not WebhookEvent.objects.exists()  # rolled back with the effect
    assert paid_state(order) == UNPAID
    fake_stripe.down = False
    assert send_webhook(client, event).status_code == 200
    assert paid_state(order) == PAID_ONCE


def test_the_webhook_takes_only_post(client, fake_stripe):
    assert client.get(reverse("stripe-webhook")).status_code == 405
    assert reverse("stripe-webhook") == "/payments/stripe/webhook/"


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 14000000, "amount_received": 14000000},
        {"currency": "usd"},
        {"amount_received": 15000050},
    ],
)
def test_a_payment_that_does_not_match_the_order_is_not_marked_paid(
    client, order, fake_stripe, caplog, change
):
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    fake_stripe.update_intent(intent_id(order), **change)
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))

    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        response = send_webhook(client, event)
        back = client.get(return_url(order))

    assert response.status_code == 200
    assert paid_state(order) == UNPAID
    assert order.sources.get().amount_debited == 0
    assert order.notes.count() == 1  # the webhook and the return both saw it; one note
    assert any(
        r.levelno == logging.ERROR and order.number in r.getMessage() for r in caplog.records
    )
    assert back["Location"] == reverse("checkout:thank-you")


def test_a_payment_for_an_order_already_cancelled_is_not_recorded(
    client, order, fake_stripe, caplog
):
    order_cancel(order_id=order.pk)  # e.g. the unpaid-order expiry ran
    fake_stripe.set_intent_status(intent_id(order), "succeeded")

    with caplog.at_level(logging.ERROR, logger="shop.payments"):
        response = send_webhook(
            client, fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))
        )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert not order.payment_events.exists()
    assert order.notes.filter(note_type="System").count() == 2  # cancelled; payment arrived
    assert intent_id(order) in order.notes.order_by("-pk").first().message
    assert any("refund" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
