from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import health_status


@never_cache
@require_GET
def healthz(request):
    healthy, body = health_status()
    return JsonResponse(body, status=200 if healthy else 503)
