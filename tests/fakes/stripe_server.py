"""A small local server that speaks the parts of Stripe's API Karya calls.

The real ``stripe`` library talks to it over HTTP (``STRIPE_API_BASE``), so the tests run
our actual Stripe code offline: form-encoded requests, ``Idempotency-Key`` replays,
Stripe-shaped errors. Tests steer it with a few controls (``set_intent_status``, …) the
way a buyer's card and bank would, and sign webhook events exactly as Stripe signs them.

Endpoints: POST /v1/payment_intents, GET /v1/payment_intents/{id},
POST /v1/payment_intents/{id}/cancel, POST /v1/refunds, GET /v1/refunds(?payment_intent=),
GET /v1/refunds/{id},
GET /v1/charges/{id}.
"""

import copy
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

SECRET_KEY = "sk_test_karya_fake"
PUBLISHABLE_KEY = "pk_test_karya_fake"
WEBHOOK_SECRET = "whsec_karya_tests"

DECLINE_MESSAGE = "Your card has insufficient funds."


class StripeFailure(Exception):
    def __init__(self, status, error):
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def decode_form(body: str) -> dict:
    """Stripe's form encoding back into nested dicts: ``metadata[order_number]=1``."""
    result: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def stripe_signature(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header exactly as Stripe makes it (written out here, not
    borrowed from the library whose verification the tests exercise)."""
    if isinstance(payload, bytes):
        payload = payload.decode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class FakeStripe:
    def __init__(self):
        self._lock = threading.RLock()
        self.server = None
        self.reset()

    # --- lifecycle -----------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self):
        with self._lock:
            self.intents: dict[str, dict] = {}
            self.charges: dict[str, dict] = {}
            self.refunds: dict[str, dict] = {}
            self.requests: list[dict] = []
            self._idempotent: dict[str, tuple[str, int, dict]] = {}
            self.next_refund_status = "succeeded"
            self.down = False

    # --- test controls -------------------------------------------------------------

    def set_intent_status(
        self,
        intent_id,
        status,
        *,
        decline_message=DECLINE_MESSAGE,
        decline_code="insufficient_funds",
    ):
        """Move an intent as the buyer's card, bank or 3-D Secure step would."""
        with self._lock:
            intent = self.intents[intent_id]
            intent.update(status=status, next_action=None)
            if status == "succeeded":
                intent["last_payment_error"] = None
                intent["amount_received"] = intent["amount"]
                charge = self._new_charge(intent)
                intent["latest_charge"] = charge["id"]
            elif status == "requires_payment_method":
                intent["last_payment_error"] = {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": decline_code,
                    "message": decline_message,
                }
            elif status == "requires_action":
                intent["next_action"] = {
                    "type": "redirect_to_url",
                    "redirect_to_url": {"url": f"{self.url}/3ds/{intent_id}", "return_url": ""},
                }
            elif status not in ("processing", "canceled", "requires_confirmation"):
                raise ValueError(f"the fake does not model status {status!r}")
            return copy.deepcopy(intent)

    def refund_in_dashboard(self, intent_id, amount_minor, *, status="succeeded") -> dict:
        """A refund made by someone in Stripe's own dashboard, not through Karya."""
        with self._lock:
            previous, self.next_refund_status = self.next_refund_status, status
            try:
                return copy.deepcopy(
                    self._refund_create({"payment_intent": intent_id, "amount": str(amount_minor)})
                )
            finally:
                self.next_refund_status = previous

    def set_refund_status(self, refund_id, status):
        with self._lock:
            self.refunds[refund_id]["status"] = status
            return copy.deepcopy(self.refunds[refund_id])

    def charge_of(self, intent_id) -> dict:
        with self._lock:
            return copy.deepcopy(self.charges[self.intents[intent_id]["latest_charge"]])

    def update_intent(self, intent_id, **fields):
        with self._lock:
            self.intents[intent_id].update(fields)

    def intent(self, intent_id) -> dict:
        with self._lock:
            return copy.deepcopy(self.intents[intent_id])

    def requests_to(self, method, path_prefix) -> list[dict]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r["method"] == method and r["path"].startswith(path_prefix)
            ]

    def event(self, event_type, *, obj=None, intent_id=None, event_id=None, created=None) -> dict:
        """A webhook event as Stripe sends it, carrying a snapshot of ``obj`` (or the intent)."""
        if obj is None:
            obj = self.intent(intent_id)
        return {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": created or int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }

    # --- HTTP ----------------------------------------------------------------------

    def _serve(self, handler, method):
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        params = decode_form(raw if method == "POST" else split.query)
        key = handler.headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append(
                {
                    "method": method,
                    "path": split.path,
                    "params": params,
                    "idempotency_key": key,
                    "stripe_version": handler.headers.get("Stripe-Version"),
                }
            )
            replayed = False
            try:
                if self.down:
                    raise StripeFailure(500, {"type": "api_error", "message": "Fake outage."})
                if handler.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                    raise StripeFailure(
                        401,
                        {"type": "invalid_request_error", "message": "Invalid API Key provided."},
                    )
                if method == "POST" and key:
                    fingerprint = json.dumps([split.path, params], sort_keys=True)
                    if key in self._idempotent:
                        seen, status, body = self._idempotent[key]
                        if seen != fingerprint:
                            raise StripeFailure(
                                400,
                                {
                                    "type": "idempotency_error",
                                    "message": "Keys for idempotent requests can only be used "
                                    "with the same parameters they were first used with.",
                                },
                            )
                        replayed = True
                    else:
                        status, body = self._route(method, split.path, params)
                        self._idempotent[key] = (fingerprint, status, body)
                else:
                    status, body = self._route(method, split.path, params)
            except StripeFailure as failure:
                status, body = failure.status, {"error": failure.error}
                if method == "POST" and key and failure.status < 500 and not replayed:
                    # Stripe saves 4xx results under the key too; 5xx may be retried.
                    fingerprint = json.dumps([split.path, params], sort_keys=True)
                    self._idempotent.setdefault(key, (fingerprint, status, body))
            payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
        if replayed:
            handler.send_header("Idempotent-Replayed", "true")
        handler.end_headers()
        handler.wfile.write(payload)

    def _route(self, method, path, params):
        routes = [
            ("POST", r"/v1/payment_intents", self._intent_create),
            ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", self._intent_retrieve),
            ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/cancel", self._intent_cancel),
            ("POST", r"/v1/refunds", self._refund_create),
            ("GET", r"/v1/refunds", self._refund_list),
            ("GET", r"/v1/refunds/(?P<id>[^/]+)", self._refund_retrieve),
            ("GET", r"/v1/charges/(?P<id>[^/]+)", self._charge_retrieve),
        ]
        for route_method, pattern, view in routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                return 200, copy.deepcopy(view(params, **match.groupdict()))
        raise StripeFailure(
            404, {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}
        )

    @staticmethod
    def _missing(kind, object_id, param="id"):
        return StripeFailure(
            404,
            {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "param": param,
                "message": f"No such {kind}: '{object_id}'",
            },
        )

    @staticmethod
    def _amount(params, *, required):
        value = params.get("amount")
        if value is None and not required:
            return None
        if value is None or not value.isdigit() or int(value) < 1:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "amount",
                    "message": "Invalid positive integer"
                    if value
                    else "Missing required param: amount.",
                },
            )
        return int(value)

    def _intent_create(self, params):
        amount = self._amount(params, required=True)
        if params.get("currency") != "idr":
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "currency",
                    "message": "Invalid currency.",
                },
            )
        intent_id = f"pi_{secrets.token_hex(12)}"
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0,
            "automatic_payment_methods": {
                "enabled": params.get("automatic_payment_methods", {}).get("enabled") == "true"
            },
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
            "created": int(time.time()),
            "currency": "idr",
            "description": params.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "next_action": None,
            "status": "requires_payment_method",
        }
        self.intents[intent_id] = intent
        return intent

    def _intent_retrieve(self, params, id):
        if id not in self.intents:
            raise self._missing("payment_intent", id)
        return self.intents[id]

    def _intent_cancel(self, params, id):
        intent = self._intent_retrieve(params, id)
        if intent["status"] in ("succeeded", "canceled"):
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "payment_intent_unexpected_state",
                    "message": "You cannot cancel this PaymentIntent because it has a status of "
                    f"{intent['status']}.",
                },
            )
        intent.update(status="canceled", cancellation_reason=params.get("cancellation_reason"))
        return intent

    def _new_charge(self, intent):
        charge = {
            "id": f"ch_{secrets.token_hex(12)}",
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": 0,
            "currency": intent["currency"],
            "paid": True,
            "payment_intent": intent["id"],
            "refunded": False,
            "status": "succeeded",
        }
        self.charges[charge["id"]] = charge
        return charge

    def _refund_create(self, params):
        intent_id = params.get("payment_intent")
        if not intent_id or intent_id not in self.intents:
            raise self._missing("payment_intent", intent_id, param="payment_intent")
        intent = self.intents[intent_id]
        charge = self.charges.get(intent.get("latest_charge") or "")
        if intent["status"] != "succeeded" or charge is None:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "message": f"This PaymentIntent ({intent_id}) does not have a successful "
                    "charge to refund.",
                },
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining == 0:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "charge_already_refunded",
                    "message": f"Charge {charge['id']} has already been refunded.",
                },
            )
        amount = self._amount(params, required=False) or remaining
        if amount > remaining:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "amount",
                    "message": f"Refund amount ({amount}) is greater than unrefunded amount on "
                    f"charge ({remaining})",
                },
            )
        refund = {
            "id": f"re_{secrets.token_hex(12)}",
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": charge["currency"],
            "metadata": params.get("metadata", {}),
            "payment_intent": intent_id,
            "reason": params.get("reason"),
            "status": self.next_refund_status,
        }
        if refund["status"] != "failed":
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self.refunds[refund["id"]] = refund
        return refund

    def _refund_list(self, params):
        intent_id = params.get("payment_intent")
        data = [
            r for r in self.refunds.values() if not intent_id or r["payment_intent"] == intent_id
        ]
        data.sort(key=lambda r: r["created"], reverse=True)
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}

    def _refund_retrieve(self, params, id):
        if id not in self.refunds:
            raise self._missing("refund", id)
        return self.refunds[id]

    def _charge_retrieve(self, params, id):
        if id not in self.charges:
            raise self._missing("charge", id)
        return self.charges[id]


def send_webhook(client, event, *, secret=WEBHOOK_SECRET, timestamp=None, signature=None):
    """POST an event to our webhook as Stripe does: the raw JSON body, signed."""
    from django.urls import reverse

    payload = json.dumps(event).encode()
    header = signature if signature is not None else stripe_signature(payload, secret, timestamp)
    return client.post(
        reverse("stripe-webhook"),
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )


@pytest.fixture(scope="session")
def fake_stripe_server():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_stripe(fake_stripe_server, settings):
    """Card payments on, pointed at the fake Stripe, with fresh state for this test."""
    fake_stripe_server.reset()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe_server.url
    yield fake_stripe_server
    fake_stripe_server.reset()
