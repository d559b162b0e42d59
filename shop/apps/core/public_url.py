"""The shop's public address, for links that leave the browser: the QR code of a printed
label, a printed POS receipt's trace links, links in e-mails.

``KARYA_PUBLIC_URL`` wins when it is set (production: the one name buyers should see).
Without it the address the current request came in on is used, so a demo running on
another host or port prints links that work there; outside any request (a Celery worker,
a management command) ``WAGTAILADMIN_BASE_URL``.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request: ContextVar = ContextVar("karya_public_url_request", default=None)


def public_base_url() -> str:
    """The public base URL, without a trailing slash."""
    configured = (settings.KARYA_PUBLIC_URL or "").strip()
    if configured:
        return configured.rstrip("/")
    request = _request.get()
    if request is not None:
        try:
            return request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            pass
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def public_url(path: str) -> str:
    return public_base_url() + path


class PublicUrlMiddleware:
    """Makes the current request's address known to ``public_base_url`` while it is served
    (a context variable: each request thread or task sees its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
