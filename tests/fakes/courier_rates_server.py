"""A small local server that speaks a courier aggregator's rates API, as Karya calls it.

Modelled on Biteship's ``POST /v1/rates/couriers``: a JSON body with
``origin_postal_code``, ``destination_postal_code``, ``couriers`` and ``items`` (weight in
grams), the API key in the ``Authorization`` header; the answer lists ``pricing`` entries
with a ``price`` in rupiah. shop.apps.shipping.rates.AggregatorRates talks to it over real
HTTP, so the tests run our actual client offline.

Tests steer it as the real service would behave: a price per started kilogram for each
courier, ``down`` (HTTP 500), ``slow`` (answers after the client's timeout),
``garbage`` (not JSON), or no courier for a route (``no_route``).
"""

import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

API_KEY = "biteship_test_karya"
# Rupiah per started kilogram of each courier's regular service.
PRICE_PER_KG = {"jne": 11000, "sicepat": 10000, "jnt": 12000}


class FakeCourierRates:
    def __init__(self):
        self._lock = threading.Lock()
        self.server = None
        self.reset()

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._serve(self)

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
            self.requests: list[dict] = []
            self.down = False
            self.slow = 0.0
            self.garbage = False
            self.no_route = False

    def _send(self, handler, status: int, body) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _serve(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        with self._lock:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = None
            self.requests.append(
                {"path": handler.path, "auth": handler.headers.get("Authorization"), "body": body}
            )
            down, slow, garbage, no_route = self.down, self.slow, self.garbage, self.no_route
        if slow:
            time.sleep(slow)
        if handler.path != "/v1/rates/couriers":
            return self._send(handler, 404, {"success": False, "error": "Not found"})
        if handler.headers.get("Authorization") != API_KEY:
            return self._send(
                handler, 401, {"success": False, "error": "Authorization failed", "code": 40101}
            )
        if down:
            return self._send(handler, 500, {"success": False, "error": "Internal error"})
        if garbage:
            return self._send(handler, 200, b"<html>Bad gateway</html>")
        if not isinstance(body, dict) or not body.get("items"):
            return self._send(handler, 400, {"success": False, "error": "items is required"})
        for key in ("origin_postal_code", "destination_postal_code"):
            if not isinstance(body.get(key), int):
                return self._send(handler, 400, {"success": False, "error": f"{key} invalid"})
        if no_route:
            return self._send(handler, 200, {"success": True, "pricing": []})
        grams = sum(item["weight"] * item.get("quantity", 1) for item in body["items"])
        kilos = max(1, math.ceil(grams / 1000))
        pricing = [
            {
                "courier_code": code,
                "courier_service_code": "reg",
                "duration": "2 - 3 days",
                "price": PRICE_PER_KG[code] * kilos,
            }
            for code in str(body.get("couriers", "")).split(",")
            if code in PRICE_PER_KG
        ]
        return self._send(
            handler, 200, {"success": True, "object": "courier_pricing", "pricing": pricing}
        )


@pytest.fixture(scope="session")
def fake_courier_rates_server():
    fake = FakeCourierRates().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_courier_rates(fake_courier_rates_server, settings):
    """Courier rates from the fake aggregator, with fresh state for this test."""
    fake_courier_rates_server.reset()
    settings.KARYA_SHIPPING_RATES_URL = fake_courier_rates_server.url
    settings.KARYA_SHIPPING_RATES_KEY = API_KEY
    settings.KARYA_SHIPPING_RATES_COURIERS = "jne,sicepat,jnt"
    settings.KARYA_SHIPPING_RATES_TIMEOUT = 0.5
    settings.KARYA_SHIPPING_RATES_RETRY_AFTER = 60
    yield fake_courier_rates_server
    fake_courier_rates_server.reset()
