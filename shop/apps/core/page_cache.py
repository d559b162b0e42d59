"""Whole storefront pages for anonymous visitors, served from the cache.

Most visitors of a shop are anonymous and look at the same listings, categories, search
results and marketing pages. For them a page is the same for everyone but for one thing:
the CSRF token in its forms (add to basket, newsletter). So a page is rendered once with a
placeholder where the token goes, stored, and every visitor gets a copy with their own
token put in, and their own CSRF cookie set, exactly as if the page had been rendered for
them.

Who gets a cached page: a GET with no session, basket or messages cookie (so no signed-in
user, no basket, no pending message), for a page whose URL name is listed in
``KARYA_PAGE_CACHE_URL_NAMES``. Everyone else, and every other page, is rendered as usual.

Freshness: entries live ``KARYA_PAGE_CACHE_SECONDS`` at most, and every key carries a
generation number that any change to what these pages show (a product, its price or
images, a category, a segment, a Lapas or workshop, a product selling out or coming back
in stock, a Wagtail page published) moves on, so such a change shows at once. A unit sold
that leaves some in stock does not move it on: under a run of orders the listings stay
cached, and the basket and checkout always check the real stock anyway.

``KARYA_PAGE_CACHE_SECONDS = 0`` turns the cache off (the test settings do).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from . import shared_cache

# As long as a masked CSRF token (64 characters), so a cached page has the size of a
# rendered one. It is only ever replaced on the server.
CSRF_PLACEHOLDER = "KaryaPageCacheCsrfTokenPlaceholder" + "0" * 30
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()

PAGES = shared_cache.Generation("karya:page-cache:generation")
# Headers a cached copy must not repeat: they belong to one response.
_SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}


def _seconds() -> int:
    return getattr(settings, "KARYA_PAGE_CACHE_SECONDS", 0)


def page_cache_invalidate() -> None:
    """Forget every cached page at once (they are keyed by the generation)."""
    if _seconds():
        PAGES.replace()


def _is_candidate(request) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
    )


def _key(request, generation: str) -> str:
    address = f"{request.get_host()}|{translation.get_language()}|{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"karya:page:{generation}:{digest}"


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is rendered to be stored, its forms get the
    placeholder instead of this visitor's token (listed after Django's own csrf one)."""
    if getattr(request, "_karya_page_cache_render", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


# --- What moves the generation on

# Stock counts change with every unit sold; only a change of availability (see
# production_link.services.stock.stockrecord_sync) or of anything else moves it on.
_STOCK_COUNT_FIELDS = frozenset({"num_in_stock", "num_allocated", "date_updated"})
WATCHED_MODELS = (
    "catalogue.Product",
    "catalogue.ProductImage",
    "catalogue.ProductCategory",
    "catalogue.Category",
    "catalogue.Segment",
    "catalogue.ProductPriceTier",
    "partner.StockRecord",
    "partner.Partner",
    "production_link.Workshop",
    "wagtailcore.Page",
)


def _on_change(sender, instance=None, update_fields=None, **kwargs):
    counts_only = update_fields and set(update_fields) <= _STOCK_COUNT_FIELDS
    if sender._meta.label == "partner.StockRecord" and counts_only:
        return
    page_cache_invalidate()


def _on_segments_change(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        page_cache_invalidate()


def connect_invalidation() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed
    from wagtail.signals import page_published, page_unpublished

    models = []
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        models += (
            shared_cache.concrete_subclasses(model) if label == "wagtailcore.Page" else [model]
        )
    shared_cache.connect_writes(models, _on_change, uid="karya-page-cache")
    product = apps.get_model("catalogue.Product")
    m2m_changed.connect(
        _on_segments_change, sender=product.segments.through, dispatch_uid="page-cache-segments"
    )
    page_published.connect(_on_change, dispatch_uid="page-cache-published")
    page_unpublished.connect(_on_change, dispatch_uid="page-cache-unpublished")


class AnonymousPageCacheMiddleware:
    """Sits after CsrfViewMiddleware (which then sets the visitor's CSRF cookie) and
    before authentication, sessions being read, the basket and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if not seconds or not _is_candidate(request):
            return self.get_response(request)

        key = _key(request, PAGES.current())
        entry = cache.get(key)
        if entry is not None:
            return self._serve(request, entry)

        request._karya_page_cache_render = True
        response = self.get_response(request)
        if self._storable(request, response):
            entry = {
                "content": response.content,
                "status": response.status_code,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in _SKIPPED_HEADERS
                ],
            }
            cache.set(key, entry, timeout=seconds)
        return self._with_token(request, response)

    def _storable(self, request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in settings.KARYA_PAGE_CACHE_URL_NAMES:
            return False
        if response.status_code != 200 or response.streaming:
            return False
        if response.has_header("Cache-Control") and "private" in response["Cache-Control"]:
            return False
        # A cookie other than the CSRF one means the page was made for this visitor.
        return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)

    def _serve(self, request, entry) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        return self._with_token(request, response)

    def _with_token(self, request, response):
        """Put this visitor's own CSRF token where the page has the placeholder."""
        if response.streaming or _PLACEHOLDER_BYTES not in response.content:
            return response
        # get_token also marks the CSRF cookie to be set on the way out.
        token = get_token(request).encode()
        response.content = response.content.replace(_PLACEHOLDER_BYTES, token)
        return response
