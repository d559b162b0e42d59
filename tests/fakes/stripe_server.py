"""A small local server that speaks the parts of Stripe's API Karya calls.

The real ``stripe`` library talks to it over HTTP (``STRIPE_API_BASE``), so the tests run
our actual Stripe code offline: form-encoded requests, ``Idempotency-Key`` replays,
Stripe-shaped errors. Tests steer it with a few controls (``set_intent_status``, …) the
way a buyer's card and bank would, and sign webhook events exactly as Stripe signs them.

Endpoints: POST /v1/payment_intents, GET /v1/payment_intents/{id},
POST /v1/payment_intents/{id}/cancel, POST /v1/refunds, GET /v1/refunds(?payment_intent=),
GET /v1/refunds/{id},
GET /v1/charges/{id},
POST /v1/transfers, GET /v1/transfers(?transfer_group=&destination=), GET /v1/transfers/{id},
POST /v1/transfers/{id}/reversals, GET /v1/transfers/{id}/reversals.

Stripe Connect as the real API has it: a transfer moves platform money to a connected
account (``destination``, which must be one the test connected with ``connect_account``),
optionally tied to the charge it is paid from (``source_transaction``: no more than that
charge's amount); a reversal takes back at most what remains of the transfer, and only
while the connected account's balance covers it. Every object belongs to the account
whose ``Stripe-Account`` header created it (none: the platform), and is "No such …"
when read under another account's header.
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
            self.transfers: dict[str, dict] = {}
            # Connected accounts and their balance (minor units) from our transfers.
            self.accounts: dict[str, int] = {}
            # Which account (None: the platform) each object was created under.
            self.owner: dict[str, str | None] = {}
            self.requests: list[dict] = []
            self._idempotent: dict[str, tuple[str, int, dict]] = {}
            self.next_refund_status = "succeeded"
            self.down = False
            # The Stripe-Account header of the request being served (None: the platform).
            self._account = None

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
            self._account = None
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

    def connect_account(self, account_id, *, balance=0) -> str:
        """A connected account of the platform (as onboarding in Stripe would create it)."""
        with self._lock:
            self.accounts[account_id] = balance
            return account_id

    def account_balance(self, account_id) -> int:
        with self._lock:
            return self.accounts[account_id]

    def set_account_balance(self, account_id, balance):
        """The connected account paid its money out (or received other money)."""
        with self._lock:
            self.accounts[account_id] = balance

    def transfer(self, transfer_id) -> dict:
        with self._lock:
            return copy.deepcopy(self.transfers[transfer_id])

    def transfers_to(self, account_id) -> list[dict]:
        with self._lock:
            return [
                copy.deepcopy(t) for t in self.transfers.values() if t["destination"] == account_id
            ]

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
                    "stripe_account": handler.headers.get("Stripe-Account"),
                }
            )
            self._account = handler.headers.get("Stripe-Account") or None
            replayed = False
            try:
                if self.down:
                    raise StripeFailure(500, {"type": "api_error", "message": "Fake outage."})
                if handler.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                    raise StripeFailure(
                        401,
                        {"type": "invalid_request_error", "message": "Invalid API Key provided."},
                    )
                if self._account is not None and self._account not in self.accounts:
                    raise StripeFailure(
                        403,
                        {
                            "type": "invalid_request_error",
                            "code": "account_invalid",
                            "message": "The provided key does not have access to account "
                            f"'{self._account}' (or that account does not exist).",
                        },
                    )
                if method == "POST" and key:
                    fingerprint = json.dumps([split.path, params, self._account], sort_keys=True)
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
                    fingerprint = json.dumps([split.path, params, self._account], sort_keys=True)
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
            ("POST", r"/v1/transfers", self._transfer_create),
            ("GET", r"/v1/transfers", self._transfer_list),
            ("GET", r"/v1/transfers/(?P<id>[^/]+)", self._transfer_retrieve),
            ("POST", r"/v1/transfers/(?P<id>[^/]+)/reversals", self._reversal_create),
            ("GET", r"/v1/transfers/(?P<id>[^/]+)/reversals", self._reversal_list),
        ]
        for route_method, pattern, view in routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                body = view(params, **match.groupdict())
                if body.get("id") and body["id"] not in self.owner:
                    self.owner[body["id"]] = self._account
                return 200, copy.deepcopy(body)
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
            "transfer_group": params.get("transfer_group"),
        }
        self.intents[intent_id] = intent
        return intent

    def _visible(self, object_id) -> bool:
        # An object is seen only under the account it was created under.
        return self.owner.get(object_id, self._account) == self._account

    def _intent_retrieve(self, params, id):
        if id not in self.intents or not self._visible(id):
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
            "transfer_group": intent.get("transfer_group"),
        }
        self.charges[charge["id"]] = charge
        self.owner[charge["id"]] = self.owner.get(intent["id"])
        return charge

    def _refund_create(self, params):
        intent_id = params.get("payment_intent")
        if not intent_id or intent_id not in self.intents or not self._visible(intent_id):
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
        if id not in self.refunds or not self._visible(id):
            raise self._missing("refund", id)
        return self.refunds[id]

    def _charge_retrieve(self, params, id):
        if id not in self.charges or not self._visible(id):
            raise self._missing("charge", id)
        return self.charges[id]

    # --- Connect: transfers and their reversals -----------------------------------------

    def _transfer_create(self, params):
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
        destination = params.get("destination")
        if not destination:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "destination",
                    "message": "Missing required param: destination.",
                },
            )
        if destination not in self.accounts or self._account is not None:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "destination",
                    "message": f"No such destination: '{destination}'",
                },
            )
        source = params.get("source_transaction")
        if source:
            charge = self.charges.get(source)
            if charge is None or not self._visible(source):
                raise self._missing("charge", source, param="source_transaction")
            already = sum(
                t["amount"] for t in self.transfers.values() if t["source_transaction"] == source
            )
            if already + amount > charge["amount"]:
                raise StripeFailure(
                    400,
                    {
                        "type": "invalid_request_error",
                        "param": "amount",
                        "message": f"Transfers using this transaction as a source must not exceed "
                        f"the source amount of {charge['amount']}.",
                    },
                )
        transfer_id = f"tr_{secrets.token_hex(12)}"
        transfer = {
            "id": transfer_id,
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "balance_transaction": f"txn_{secrets.token_hex(12)}",
            "created": int(time.time()),
            "currency": "idr",
            "description": params.get("description"),
            "destination": destination,
            "destination_payment": f"py_{secrets.token_hex(12)}",
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "reversals": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/transfers/{transfer_id}/reversals",
            },
            "reversed": False,
            "source_transaction": source or None,
            "source_type": "card",
            "transfer_group": params.get("transfer_group"),
        }
        self.transfers[transfer_id] = transfer
        self.accounts[destination] += amount
        return transfer

    def _transfer_retrieve(self, params, id):
        if id not in self.transfers or not self._visible(id):
            raise self._missing("transfer", id)
        return self.transfers[id]

    def _transfer_list(self, params):
        data = [
            t
            for t in self.transfers.values()
            if self._visible(t["id"])
            and (
                not params.get("transfer_group") or t["transfer_group"] == params["transfer_group"]
            )
            and (not params.get("destination") or t["destination"] == params["destination"])
        ]
        data.sort(key=lambda t: t["created"], reverse=True)
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/transfers"}

    def _reversal_create(self, params, id):
        transfer = self._transfer_retrieve(params, id)
        remaining = transfer["amount"] - transfer["amount_reversed"]
        if remaining == 0:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "message": f"Transfer {id} has already been reversed.",
                },
            )
        amount = self._amount(params, required=False) or remaining
        if amount > remaining:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "param": "amount",
                    "message": f"Amount requested ({amount}) is greater than the amount left to "
                    f"reverse on this transfer ({remaining}).",
                },
            )
        if self.accounts[transfer["destination"]] < amount:
            raise StripeFailure(
                400,
                {
                    "type": "invalid_request_error",
                    "code": "balance_insufficient",
                    "message": "Insufficient funds in the connected account's balance to "
                    "reverse this transfer.",
                },
            )
        reversal = {
            "id": f"trr_{secrets.token_hex(12)}",
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": f"txn_{secrets.token_hex(12)}",
            "created": int(time.time()),
            "currency": transfer["currency"],
            "destination_payment_refund": f"pyr_{secrets.token_hex(12)}",
            "metadata": params.get("metadata", {}),
            "source_refund": None,
            "transfer": id,
        }
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].insert(0, reversal)
        transfer["reversals"]["total_count"] += 1
        self.accounts[transfer["destination"]] -= amount
        return reversal

    def _reversal_list(self, params, id):
        transfer = self._transfer_retrieve(params, id)
        return {
            "object": "list",
            "data": transfer["reversals"]["data"],
            "has_more": False,
            "url": f"/v1/transfers/{id}/reversals",
        }


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
    # The Lapas already given a connected account (as Stripe's onboarding would have
    # created it) are the fake's connected accounts.
    from oscar.core.loading import get_model

    for account in (
        get_model("partner", "Partner")
        .objects.exclude(stripe_account_id="")
        .values_list("stripe_account_id", flat=True)
    ):
        fake_stripe_server.connect_account(account)
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe_server.url
    yield fake_stripe_server
    fake_stripe_server.reset()
