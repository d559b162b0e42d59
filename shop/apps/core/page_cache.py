"""Whole storefront pages for anonymous visitors, served from the cache.

Most visitors of a shop are anonymous and look at the same listings, categories, product
pages, search results and marketing pages. For them a page is the same for everyone but for
a few things: the CSRF token in its forms (add to basket, newsletter) and, on a product
page, the visitor's recently viewed products. So a page is rendered once with a placeholder
where those go, stored, and every visitor gets a copy with their own put in, and their own
CSRF cookie set, exactly as if the page had been rendered for them.

A product page also counts each view and puts the product in the visitor's recently-viewed
cookie (catalog.product_views): the view does it when it renders for one visitor, this
middleware for every visitor a stored copy is served to. The count itself goes to Redis and
is folded into Oscar's analytics by a periodic task, off the request path.

Who gets a cached page: a GET with no session, basket or messages cookie (so no signed-in
user, no basket, no pending message), for a page whose URL name is listed in
``KARYA_PAGE_CACHE_URL_NAMES``. Signed-in buyers and visitors with a basket get the same
copy with their own parts filled in (shop.apps.core.personal_pages); every other page is
rendered as usual.

Freshness: entries live ``KARYA_PAGE_CACHE_SECONDS`` at most, and every key carries a
generation number that any change to what these pages show (a product, its price or
images, a category, a segment, a Lapas or workshop, a product selling out or coming back
in stock, a Wagtail page published; for product pages also the product's label facts,
price tiers and segments) moves on, so such a change shows at once. A unit sold
that leaves some in stock does not move it on: under a run of orders the listings stay
cached, and the basket and checkout always check the real stock anyway.

``KARYA_PAGE_CACHE_SECONDS = 0`` turns the cache off (the test settings do).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from . import shared_cache
from .csrf_tokens import get_token

# As long as a masked CSRF token (64 characters), so a cached page has the size of a
# rendered one. It is only ever replaced on the server.
CSRF_PLACEHOLDER = "KaryaPageCacheCsrfTokenPlaceholder" + "0" * 30
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
# Where a stored product page has the visitor's recently viewed products
# (templates/oscar/customer/history/recently_viewed_products.html writes it).
RECENTLY_VIEWED_HOLE = b"<!--karya-page-cache:recently-viewed-->"
RECENTLY_VIEWED_TEMPLATE = "oscar/customer/history/recently_viewed_products.html"

PAGES = shared_cache.Generation("karya:page-cache:generation")
# Headers a cached copy must not repeat: they belong to one response.
_SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}


def _seconds() -> int:
    return getattr(settings, "KARYA_PAGE_CACHE_SECONDS", 0)


def page_cache_invalidate() -> None:
    """Forget every cached page at once (they are keyed by the generation)."""
    if _seconds():
        PAGES.replace()


def bypassed(request) -> bool:
    """A visitor who always gets a rendered page: the bench's probes of what a render
    costs send this cookie (KARYA_PAGE_CACHE_BYPASS_COOKIE, unset outside the bench)."""
    name = getattr(settings, "KARYA_PAGE_CACHE_BYPASS_COOKIE", None)
    return bool(name) and name in request.COOKIES


def _is_candidate(request) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if bypassed(request):
        return False
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
    if getattr(request, "karya_page_cache_render", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def product_page_viewed(request, product_id: int) -> bool:
    """Called by the product page's view once rendered. While the page is rendered to be
    stored, the view is counted (and the cookie set) by the middleware instead, for this
    visitor and each one the copy is served to. Returns whether the view must do it."""
    if getattr(request, "karya_page_cache_render", False):
        request.karya_page_cache_product_id = product_id
        return False
    return True


def recently_viewed_html(request, product_id: int | None) -> str:
    """The visitor's recently viewed products (from their cookie), as Oscar's product page
    shows them, for the hole in a stored copy."""
    from django.template.loader import render_to_string
    from oscar.core.loading import get_class

    history = get_class("customer.history", "CustomerHistoryManager")
    if history.cookie_name not in request.COOKIES:
        return ""
    products = [p for p in history.get(request) if p.pk != product_id]
    if not products:
        return ""
    if not hasattr(request, "strategy"):
        # A copy is served before the authentication and basket middleware, which set the
        # user and the pricing strategy the product cards read: an anonymous visitor's.
        from django.contrib.auth.models import AnonymousUser

        request.user = getattr(request, "user", None) or AnonymousUser()
        request.strategy = get_class("partner.strategy", "Selector")().strategy(request=request)
    return render_to_string(RECENTLY_VIEWED_TEMPLATE, {"products": products}, request=request)


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

        # Rendered for everyone: without this visitor's recently viewed products, which
        # are put in afterwards, as they are into every copy served.
        history_cookie = settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME
        history = request.COOKIES.pop(history_cookie, None)
        request.karya_page_cache_render = True
        try:
            response = self.get_response(request)
        finally:
            request.karya_page_cache_render = False
            if history is not None:
                request.COOKIES[history_cookie] = history
        product_id = getattr(request, "karya_page_cache_product_id", None)
        if self._storable(request, response):
            cache.set(key, make_entry(response, product_id), timeout=seconds)
        return self._personalise(request, response, product_id)

    def _storable(self, request, response) -> bool:
        return storable(request, response)

    def _serve(self, request, entry) -> HttpResponse:
        return personalise(request, entry_response(entry), entry.get("product_id"))

    def _personalise(self, request, response, product_id):
        return personalise(request, response, product_id)


def make_entry(response, product_id) -> dict:
    return {
        "content": response.content,
        "status": response.status_code,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _SKIPPED_HEADERS
        ],
        "product_id": product_id,
        "search": getattr(response, "karya_search", None),
    }


def storable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in settings.KARYA_PAGE_CACHE_URL_NAMES:
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if response.has_header("Cache-Control") and "private" in response["Cache-Control"]:
        return False
    # A cookie other than the CSRF one means the page was made for this visitor.
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


def entry_response(entry) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if entry.get("search") is not None:
        response.karya_search = entry["search"]
    return response


def personalise(request, response, product_id):
    """Count a product page's view, and put in this visitor's recently viewed
    products and own CSRF token where the page has placeholders."""
    from catalog.product_views import product_viewed

    if product_id is not None and response.status_code == 200:
        product_viewed(request, response, product_id)
    search = getattr(response, "karya_search", None)
    if search is not None and response.status_code == 200:
        # A search page counts each search for demand insight, as a product page its view.
        from production_link.insight.counters import search_note

        search_note(query=search[0], result_count=search[1])
    if response.streaming:
        return response
    content = response.content
    if RECENTLY_VIEWED_HOLE in content:
        html = recently_viewed_html(request, product_id).encode()
        content = content.replace(RECENTLY_VIEWED_HOLE, html)
    if _PLACEHOLDER_BYTES in content:
        # get_token also marks the CSRF cookie to be set on the way out.
        content = content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    if content is not response.content:
        response.content = content
    return response
