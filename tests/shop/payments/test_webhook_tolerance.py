"""The Stripe webhook refuses signatures timestamped outside the tolerance either way: the
library checks only the past, and a signature dated ahead could be replayed until then."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from shop.payments import stripe_client
from shop.payments.models import WebhookEvent

SECRET = "whsec_karya_tolerance_tests"
EVENT = {"id": "evt_tolerance", "object": "event", "type": "customer.created", "data": {}}


def signature(body: str, timestamp: int, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


@pytest.mark.parametrize("offset", [-240, 0, 240])
def test_signatures_within_five_minutes_either_way_are_accepted(offset):
    body = json.dumps(EVENT)
    header = signature(body, int(time.time()) + offset)

    event = stripe_client.webhook_event_construct(payload=body.encode(), signature=header)

    assert event.id == "evt_tolerance"


@pytest.mark.parametrize("offset", [-301, 301, 600, 24 * 3600])
def test_signatures_outside_the_tolerance_are_refused(offset):
    body = json.dumps(EVENT)
    header = signature(body, int(time.time()) + offset)

    with pytest.raises(stripe_client.SignatureVerificationError):
        stripe_client.webhook_event_construct(payload=body.encode(), signature=header)


def test_a_future_timestamp_needs_a_valid_signature_first():
    body = json.dumps(EVENT)
    header = signature(body, int(time.time()), secret="whsec_someone_else")

    with pytest.raises(stripe_client.SignatureVerificationError, match="expected signature"):
        stripe_client.webhook_event_construct(payload=body.encode(), signature=header)


@pytest.mark.django_db
def test_a_webhook_signed_ten_minutes_ahead_is_refused_and_recorded_nowhere(client):
    body = json.dumps(EVENT)

    response = client.post(
        reverse("stripe-webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": signature(body, int(time.time()) + 600)},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
