"""Prometheus metrics at /metrics, for a scraper that presents the METRICS_TOKEN.

Requests and their latencies are counted by a middleware in each process; with several
gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty folder per node, emptied at start)
so a scrape of any worker reports the whole node (prometheus_client's multiprocess mode).
The business gauges (Celery queue length, PNBP entries overdue, POS conflicts open) are
read when scraped, from the broker and the database.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "karya_http_requests_total",
    "HTTP requests answered, by method, view and status class.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "karya_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution: the anonymous page cache, a redirect, a 404.
        return "unresolved"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        view = _view_label(request)
        LATENCY.labels(request.method, view).observe(time.perf_counter() - start)
        REQUESTS.labels(request.method, view, f"{response.status_code // 100}xx").inc()
        return response


def celery_queue_lengths() -> dict[str, int]:
    """Messages waiting in each Celery queue on the Redis broker ({} for another broker)."""
    from shop.celery import app

    url = app.conf.broker_url or ""
    if app.conf.task_always_eager or not url.startswith("redis"):
        return {}
    import redis

    queues = {app.conf.task_default_queue or "celery"}
    queues |= {q.name for q in (app.conf.task_queues or ())}
    client = redis.Redis.from_url(url, socket_timeout=2)
    return {name: int(client.llen(name)) for name in sorted(queues)}


class BusinessCollector:
    """Gauges read at scrape time."""

    def collect(self):
        from oscar.core.loading import get_model

        from production_link.pnbp.selectors import pnbp_overdue_entries

        queue = GaugeMetricFamily(
            "karya_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for name, length in celery_queue_lengths().items():
            queue.add_metric([name], length)
        yield queue
        yield GaugeMetricFamily(
            "karya_pnbp_entries_overdue",
            "PNBP sale entries not deposited by their deadline.",
            value=len(pnbp_overdue_entries()),
        )
        conflicts = get_model("pos", "PosConflict").objects.filter(resolved_at__isnull=True)
        yield GaugeMetricFamily(
            "karya_pos_conflicts_open",
            "Point-of-sale sales in conflict that nobody has resolved yet.",
            value=conflicts.count(),
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(BusinessCollector())
    return registry


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request):
    if not settings.METRICS_TOKEN:
        # No token configured: the endpoint does not exist.
        return HttpResponseNotFound()
    if not _authorised(request):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
