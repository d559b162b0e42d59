"""Operations: request ids in logs and tasks, JSON logs, Sentry reports without buyers'
personal data, Prometheus metrics behind a token, liveness and readiness."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kombu
import kombu.pools
import pytest
from django.urls import reverse

from shop.celery import app as celery_app
from shop.ops import request_id as rid
from shop.ops.log_config import json_logging
from shop.ops.sentry import REDACTED, before_send

from .conftest import ROOT

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis: `make test` starts one and sets REDIS_URL"
)
TOKEN = "metrics-" + "t0k3n" * 6
pytestmark = pytest.mark.django_db


# --- Request ids ---------------------------------------------------------------------------


def test_a_request_keeps_the_load_balancers_request_id(client):
    response = client.get(reverse("healthz-live"), HTTP_X_REQUEST_ID="lb-4f1c.77")

    assert response["X-Request-ID"] == "lb-4f1c.77"


def test_a_request_without_a_usable_id_gets_one(client):
    first = client.get(reverse("healthz-live"))
    odd = client.get(reverse("healthz-live"), HTTP_X_REQUEST_ID="<script>" + "x" * 300)

    assert len(first["X-Request-ID"]) == 32
    assert len(odd["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != odd["X-Request-ID"]


@pytest.fixture
def redis_broker():
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = REDIS_URL
    kombu.pools.reset()
    celery_app._after_fork()
    yield REDIS_URL
    celery_app.conf.update(saved)
    kombu.pools.reset()
    celery_app._after_fork()


@needs_redis
def test_a_task_queued_during_a_request_carries_its_id_to_the_worker(redis_broker):
    from cms.tasks import impact_figures_refresh

    queue = f"ops-test-{uuid.uuid4().hex}"
    token = rid.request_id_var.set("req-1234")
    try:
        impact_figures_refresh.apply_async(queue=queue)
    finally:
        rid.request_id_var.reset(token)

    with kombu.Connection(REDIS_URL) as conn:
        message = conn.SimpleQueue(queue).get(timeout=5)
        message.ack()
        conn.SimpleQueue(queue).queue.delete()
    assert message.headers["request_id"] == "req-1234"

    # The worker side: the task runs with the id, and leaves it behind when done.
    seen = []

    @celery_app.task(name=f"tests.ops.seen-{uuid.uuid4().hex}", bind=True)
    def record(self):
        seen.append(rid.current())

    record.apply(headers={"request_id": message.headers["request_id"]})
    assert seen == ["req-1234"]
    assert rid.current() == ""


def test_production_logs_are_json_lines_with_the_request_id():
    config = json_logging("INFO")
    factory = config["formatters"]["json"]
    from pythonjsonlogger.json import JsonFormatter

    json_formatter = JsonFormatter(factory["fmt"], rename_fields=factory["rename_fields"])
    record = logging.LogRecord(
        "shop.orders", logging.WARNING, __file__, 1, "paid %s", ("K1",), None
    )
    token = rid.request_id_var.set("req-9")
    try:
        rid.RequestIdFilter().filter(record)
    finally:
        rid.request_id_var.reset(token)

    line = json.loads(json_formatter.format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "shop.orders"
    assert line["message"] == "paid K1"
    assert line["request_id"] == "req-9"


# --- Sentry ----------------------------------------------------------------------------------


def test_before_send_blanks_buyers_contact_details():
    event = {
        "user": {"email": "siti@example.id", "ip_address": "10.0.0.5"},
        "request": {
            "url": "https://karya.example/checkout/",
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "x"},
            "data": {"email": "siti@example.id", "line1": "Jl. Melati 3", "quantity": "2"},
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "no order for siti@example.id (0812-3456-7890)",
                    "stacktrace": {
                        "frames": [{"vars": {"phone_number": "+6281234567890", "order_id": 7}}]
                    },
                }
            ]
        },
    }

    scrubbed = before_send(event, {})

    text = json.dumps(scrubbed)
    assert "siti@example.id" not in text
    assert "0812-3456-7890" not in text and "6281234567890" not in text
    assert "Melati" not in text and "sessionid" not in text
    assert "user" not in scrubbed
    assert scrubbed["request"]["data"]["quantity"] == "2"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]["order_id"] == 7
    assert scrubbed["request"]["data"]["email"] == REDACTED


class Collector(BaseHTTPRequestHandler):
    """Stands in for Sentry or GlitchTip: keeps every envelope posted to it."""

    received: list[bytes] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_production_reports_an_error_to_sentry_without_the_buyers_email():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Collector.received = []
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        SECRET_KEY="k4rya-" + "x7Q9pL2mZ8vB3nR6tY1wE5uI0oA4sD" * 2,
        ALLOWED_HOSTS="karya.example",
        DATABASE_URL="sqlite:////tmp/karya-sentry-check.sqlite3",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/1",
    )
    script = (
        "import sentry_sdk\n"
        "try:\n"
        "    raise ValueError('payment failed for siti@example.id')\n"
        "except ValueError as exc:\n"
        "    sentry_sdk.capture_exception(exc)\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    try:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()

    assert result.returncode == 0, result.stderr
    envelopes = b"".join(Collector.received)
    assert b"payment failed for" in envelopes
    assert b"siti@example.id" not in envelopes


# --- Metrics ---------------------------------------------------------------------------------


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get(reverse("metrics")).status_code == 404


def test_metrics_refuse_a_missing_or_wrong_token(client, settings):
    settings.METRICS_TOKEN = TOKEN

    assert client.get(reverse("metrics")).status_code == 401
    wrong = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401


def test_metrics_report_requests_latency_and_the_business_gauges(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get(reverse("healthz-live"))

    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'karya_http_requests_total{method="GET",status="2xx",view="healthz-live"}' in body
    assert "karya_http_request_duration_seconds_bucket" in body
    assert "karya_pnbp_entries_overdue 0.0" in body
    assert "karya_pos_conflicts_open 0.0" in body


@needs_redis
def test_metrics_report_the_celery_queue_length(client, settings, redis_broker):
    from cms.tasks import impact_figures_refresh

    settings.METRICS_TOKEN = TOKEN
    with kombu.Connection(REDIS_URL) as conn:
        conn.SimpleQueue("celery").queue.purge()
    impact_figures_refresh.delay()
    impact_figures_refresh.delay()

    try:
        body = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content
    finally:
        with kombu.Connection(REDIS_URL) as conn:
            conn.SimpleQueue("celery").queue.purge()

    assert b'karya_celery_queue_length{queue="celery"} 2.0' in body


# --- Health ----------------------------------------------------------------------------------


def test_liveness_touches_nothing(client, settings):
    # Even with the cache gone, the process itself is alive.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    assert client.get(reverse("healthz-live")).status_code == 200


def test_readiness_checks_database_cache_and_broker(client, settings):
    assert set(client.get(reverse("healthz-ready")).json()["checks"]) == {
        "database",
        "cache",
        "broker",
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    assert client.get(reverse("healthz-ready")).status_code == 503
    assert client.get(reverse("healthz")).status_code == 503
