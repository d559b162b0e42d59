from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import health_status


@never_cache
@require_GET
def healthz(request):
    healthy, body = health_status()
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz_live(request):
    """Liveness: the process answers. Touches nothing else, so a database outage makes the
    load balancer stop sending traffic (readiness) without the orchestrator restarting
    every web node (liveness)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz_ready(request):
    """Readiness: the database, the cache and the broker answer (the same checks as /healthz)."""
    return healthz(request)
