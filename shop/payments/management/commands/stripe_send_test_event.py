"""Sign an event with STRIPE_WEBHOOK_SECRET, as Stripe does, and POST it to a webhook.

For trying the webhook locally (``make demo`` carries a development webhook secret):

    .venv/bin/python manage.py stripe_send_test_event --intent pi_123
"""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_URL = "http://127.0.0.1:8000/payments/stripe/webhook/"


class Command(BaseCommand):
    help = (
        "Send a Stripe-signed test event to a Karya webhook (default "
        f"{DEFAULT_URL}), signed with STRIPE_WEBHOOK_SECRET. Prints the HTTP status."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default=DEFAULT_URL)
        parser.add_argument("--type", default="payment_intent.succeeded", dest="event_type")
        parser.add_argument("--intent", default="pi_karya_demo", help="PaymentIntent id")
        parser.add_argument("--event-id", default="", help="repeat an id to see a replay")
        parser.add_argument(
            "--age", type=int, default=0, help="seconds to back-date the signature (>300: stale)"
        )

    def handle(self, *args, url, event_type, intent, event_id, age, **options):
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise CommandError("STRIPE_WEBHOOK_SECRET is not set.")
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url must be an http(s) URL.")
        event = {
            "id": event_id or f"evt_karya_test_{secrets.token_hex(8)}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": {"id": intent, "object": "payment_intent"}},
        }
        payload = json.dumps(event).encode()
        timestamp = int(time.time()) - age
        signature = hmac.new(
            secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
        ).hexdigest()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=payload,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={timestamp},v1={signature}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        except urllib.error.URLError as error:
            raise CommandError(f"Could not reach {url}: {error.reason}") from error
        self.stdout.write(f"{event['id']} {event_type} -> HTTP {status} {body}")
