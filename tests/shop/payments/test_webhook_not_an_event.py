"""A correctly signed webhook body that is not a Stripe event is a 400, never a 500."""

import hashlib
import hmac
import time

import pytest
from django.urls import reverse

from shop.payments.models import WebhookEvent

SECRET = "whsec_karya_not_an_event_tests"


def signed(body: str) -> str:
    timestamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "[1, 2]",
        "42",
        '"event"',
        "null",
        "{}",
        '{"object": "event"}',
        '{"id": "evt_1", "object": "event"}',
        '{"id": 7, "object": "event", "type": "payment_intent.succeeded"}',
        '{"id": "evt_1", "object": "customer", "type": "payment_intent.succeeded"}',
        "not json at all",
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused(client, settings, body):
    settings.STRIPE_WEBHOOK_SECRET = SECRET

    response = client.post(
        reverse("stripe-webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signed(body)},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
