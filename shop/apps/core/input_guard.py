"""Refuses NUL characters in query strings and JSON API bodies before any view sees them.

PostgreSQL cannot store or even compare text with a NUL (0x00) in it: a search for
``?q=%00`` reached the database and came back as a DataError, an HTTP 500. Django's
form fields already refuse NUL (ProhibitNullCharactersValidator); query parameters read
by views and API schemas, and strings in JSON bodies, are checked here, once for all.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.path.startswith(API_PREFIX) and request.content_type == "application/json":
        # JSON writes NUL as \u0000; only strings can hold it.
        return b"\\u0000" in request.body
    return False


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = _("The request contains a NUL character, which no field may hold.")
            if request.path.startswith(API_PREFIX):
                # The API's one error shape (shop/api_errors.py), documented as its 422.
                return JsonResponse(
                    {
                        "detail": message,
                        "code": "invalid",
                        "errors": [{"field": "", "message": message}],
                    },
                    status=422,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(json.dumps(message, ensure_ascii=False)[1:-1])
        return self.get_response(request)
