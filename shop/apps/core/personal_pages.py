"""Cached pages for signed-in buyers and visitors with a basket.

The anonymous page cache (shop.apps.core.page_cache) serves only visitors without a
session, basket or messages cookie. Everyone else used to have every listing and product
page rendered for them (50 ms for a listing). Yet such a page differs from the anonymous
one only in a few marked parts (shop.apps.core.page_holes): the header's account links and
basket count and total, the messages, and on a product page the add to basket, wish list
and stock alert forms of a signed-in buyer; plus the CSRF token and the recently viewed
products, which the anonymous cache already puts in per visitor.

So this middleware, placed after the session, authentication, messages and basket
middleware, serves the same stored copy the anonymous cache keeps (same key: host,
language, path and query, catalogue generation) and fills in those parts for this visitor,
each from a small template rendered without the page's context: no product list, no
category tree, and the basket from its cached summary (shop.apps.basket.summary).

A copy that is not in the cache yet is rendered here as an anonymous visitor would get it:
user, session, basket, pricing strategy and messages are swapped for an anonymous
visitor's for the time of the render, so nothing of this visitor can be written into it;
a render that still asked for this visitor's CSRF token, set a cookie or queued a message
is not stored. Then it is filled in like a stored one.

Staff (who see edit links and unpublished products) always get their page rendered, and
so does a page that is not stored for anonymous visitors either (a 404, a private page, an
unpublished product previewed by its Lapas): it is rendered again for this visitor.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.base import BaseStorage
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from oscar.core.loading import get_class, get_model

from shop.apps.basket.summary import basket_summary

from . import page_cache, page_holes
from .csrf_tokens import get_token

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
ProductAlertForm = get_class("customer.forms", "ProductAlertForm")
StrategySelector = get_class("partner.strategy", "Selector")

# What a render for everyone must not see of this visitor (restored afterwards).
_VISITOR_ATTRIBUTES = ("user", "session", "_messages", "basket", "_basket_cache", "strategy")


class _NoMessages(BaseStorage):
    """Messages storage of the render for everyone: it has none, and keeps what a view
    adds only to tell that the copy must not be stored."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


class SharedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or not page_cache._seconds()
            or getattr(request, "karya_page_cache_render", False)
            or page_cache._is_candidate(request)  # the anonymous cache's own visitors
            or page_cache.bypassed(request)
        ):
            return self.get_response(request)
        key = page_cache._key(request, page_cache.PAGES.current())
        entry = cache.get(key)
        if entry is None and not _listed(request):
            return self.get_response(request)
        user = request.user
        if user.is_staff or user.is_superuser:
            return self.get_response(request)
        if entry is None:
            entry = self._render_for_everyone(request)
            if entry is None:
                return self.get_response(request)
            cache.set(key, entry, timeout=page_cache._seconds())
        return self._fill(request, entry)

    def _render_for_everyone(self, request) -> dict | None:
        saved = {
            name: request.__dict__[name] for name in _VISITOR_ATTRIBUTES if name in request.__dict__
        }
        cookies = request.COOKIES
        token_asked = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        anonymous = AnonymousUser()
        no_messages = _NoMessages(request)
        request.COOKIES = {}
        request.user = anonymous
        request.session = _empty_session()
        request._messages = no_messages
        request.basket = request._basket_cache = Basket()
        request.strategy = StrategySelector().strategy(request=request, user=anonymous)
        request.karya_page_cache_render = True
        try:
            response = self.get_response(request)
        finally:
            request.karya_page_cache_render = False
            for name in _VISITOR_ATTRIBUTES:
                request.__dict__.pop(name, None)
            request.__dict__.update(saved)
            request.COOKIES = cookies
            asked = request.META["CSRF_COOKIE_NEEDS_UPDATE"]
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = token_asked
        if asked or no_messages._queued_messages or not page_cache.storable(request, response):
            return None
        return page_cache.make_entry(
            response, getattr(request, "karya_page_cache_product_id", None)
        )

    def _fill(self, request, entry):
        content = entry["content"]
        product_id = entry.get("product_id")
        user = request.user
        context = {"user": user, "csrf_token": get_token(request)}
        if page_holes.has(content, "basket"):
            # Before the messages: Oscar tells a buyer who just signed in that their
            # baskets were merged, as it loads the basket.
            summary = basket_summary(request)
            html = _render("partials/mini_basket.html", {"basket": summary})
            content = page_holes.fill(content, "basket", html)
        if user.is_authenticated and page_holes.has(content, "account"):
            html = _render("partials/account_menu.html", {**context, "perms": _menu_perms(user)})
            content = page_holes.fill(content, "account", html)
        if user.is_authenticated and product_id and page_holes.has(content, "product-actions"):
            html = _product_actions(request, product_id, context)
            if html is None:  # gone since the copy was made
                return self.get_response(request)
            content = page_holes.fill(content, "product-actions", html)
        messages = get_messages(request)
        if messages and page_holes.has(content, "messages"):
            html = _render("oscar/partials/alert_messages.html", {"messages": messages})
            content = page_holes.fill(content, "messages", html)
        response = page_cache.entry_response({**entry, "content": content})
        return page_cache.personalise(request, response, product_id)


def _menu_perms(user) -> dict:
    """The two permissions the account links show (Dashboard, CMS), as the template reads
    them from ``perms``: kept as long as a page copy, as they cost two queries. A link
    shown or missing a few minutes after a permission changed is harmless: the dashboard
    and the CMS check permissions themselves."""
    key = f"karya:account-menu:{user.pk}"
    flags = cache.get(key)
    if flags is None:
        flags = {
            "partner": {"dashboard_access": user.has_perm("partner.dashboard_access")},
            "wagtailadmin": {"access_admin": user.has_perm("wagtailadmin.access_admin")},
        }
        cache.set(key, flags, timeout=page_cache._seconds())
    return flags


def _listed(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.KARYA_PAGE_CACHE_URL_NAMES


def _empty_session():
    from importlib import import_module

    return import_module(settings.SESSION_ENGINE).SessionStore()


def _render(template_name: str, context: dict) -> str:
    # Without the request: none of the page's context processors run for a small part.
    return get_template(template_name).render(context)


def _product_actions(request, product_id: int, context: dict) -> str | None:
    product = (
        Product.objects.select_related("product_class", "parent__product_class")
        .prefetch_related("stockrecords")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        return None
    user = request.user

    def has_active_alert():
        return ProductAlert.objects.filter(
            product=product, user=user, status=ProductAlert.ACTIVE
        ).exists()

    return _render(
        # The hole's own part of product_actions.html.
        "oscar/catalogue/partials/add_to_basket_form.html",
        {
            **context,
            "request": request,
            "product": product,
            # Templates call callables: only asked when the product cannot be bought.
            "has_active_alert": has_active_alert,
            "alert_form": ProductAlertForm(user=user, product=product),
        },
    )
