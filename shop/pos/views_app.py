"""The point-of-sale web app: its page, its service worker and its manifest.

All three live under /pos/ (outside the language prefixes) so that one service worker
scope covers the whole app. The page is deliberately not the shop's layout: a cashier's
tablet on a weak connection should load a few kilobytes, and the shop's context
processors (menus from the catalogue and the CMS) would cost queries for nothing.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from shop.apps.core.policy import policy_required
from shop.pos.language import device_language

# What the service worker stores on install, so the app starts without a network.
# The JS modules import each other, so every one of them must be here.
APP_ASSETS = (
    "pos/pos.css",
    "pos/app.js",
    "pos/api.js",
    "pos/cart.js",
    "pos/catalogue.js",
    "pos/camera.js",
    "pos/db.js",
    "pos/money.js",
    "pos/sync.js",
    # The Print button of receipts and Z-reports (no inline handlers under the CSP).
    "pos/print.js",
    "pos/icons/icon-192.png",
    "pos/icons/icon-512.png",
    "pos/icons/icon-maskable-512.png",
)

# The theme of static/css/karya.css (--karya-indigo, --karya-cream), for the installed
# app's title bar and splash screen; tests compare them with the stylesheet.
THEME_COLOR = "#1f3a5f"
BACKGROUND_COLOR = "#faf7f2"

# Notes and coins a cashier counts at closing, largest first (rupiah).
DENOMINATIONS = (
    ("100000", "note"),
    ("50000", "note"),
    ("20000", "note"),
    ("10000", "note"),
    ("5000", "note"),
    ("2000", "note"),
    ("1000", "note"),
    ("1000", "coin"),
    ("500", "coin"),
    ("200", "coin"),
    ("100", "coin"),
)

# Texts the scripts put on screen. They are translated here, in the page's language, and
# handed to the scripts in a JSON script tag: no second translation catalogue to load
# (and cache) for the offline app. "{n}" and "{x}" are filled in by the scripts.
JS_STRINGS = {
    "offline_waiting_one": _("Offline — {n} sale waiting to be sent"),
    "offline_waiting_other": _("Offline — {n} sales waiting to be sent"),
    "offline_none": _("Offline — cash sales can still be recorded"),
    "sending_one": _("Sending {n} sale…"),
    "sending_other": _("Sending {n} sales…"),
    "sync_failed": _("Not sent yet: {x}. Retrying automatically."),
    "login_needed": _("Your login has ended. Log in again so the waiting sales can be sent."),
    "log_in": _("Log in"),
    "added": _("Added: {x}"),
    "not_found": _("Nothing found for “{x}”."),
    "matches": _("{n} products found. Choose one."),
    "no_stock": _("Not enough stock of {x} at this location."),
    "batch_expired": _("Batch {x} has expired and cannot be sold."),
    "removed": _("Removed: {x}"),
    "in_stock": _("{n} in stock"),
    "quantity": _("{x}: quantity {n}"),
    "cart_empty": _("The cart is empty."),
    "tendered_short": _("The amount tendered is less than the total."),
    "reference_needed": _("Enter the payment reference."),
    "qris_confirm_needed": _("Confirm that the QRIS payment has been received."),
    "status_queued": _("Waiting to be sent"),
    "status_recorded": _("Recorded"),
    "status_conflict": _("Conflict: a supervisor will resolve it"),
    "status_rejected": _("Rejected"),
    "saved_offline": _("Saved on this device. It will be sent when the connection is back."),
    "saved_sending": _("Saved. Sending…"),
    "receipt_number": _("Receipt {x}"),
    "method_cash": _("Cash"),
    "method_qris": _("QRIS"),
    "method_card_terminal": _("Card"),
    "catalogue_cached": _("Offline catalogue from {x}"),
    "catalogue_missing": _(
        "The catalogue of this location is not on this device yet. Connect once to load it."
    ),
    "locations_missing": _("Connect to the internet to choose a location and open a session."),
    "no_locations": _("You are not assigned to any sales location. Ask your supervisor."),
    "open_since": _("session open since {x}"),
    "continue_session": _("Continue session"),
    "open_session": _("Open session"),
    "float_needed": _("Enter the opening float (0 if the drawer is empty)."),
    "needs_online": _("This needs a connection to the server."),
    # Only when the server answered with no message of its own (never its status code).
    "server_busy": _("The server is busy. Your sales stay on this device; trying again soon."),
    "server_error": _(
        "The server could not complete this. Your sales stay on this device; try again "
        "in a moment, and tell your supervisor if it goes on."
    ),
    "unknown_item": _("an item no longer in this location's catalogue"),
    "close_queued": _(
        "{n} sales are still waiting on this device. Reconnect and let them be sent "
        "before closing the session."
    ),
    "camera_error": _("The camera could not be started: {x}"),
    "void_nothing": _("Choose at least one item to give back."),
    "voided": _("Voided: {x}"),
}


def _api_root() -> str:
    return reverse("api-v1:api-root")


def _config(request) -> dict:
    api = _api_root() + "pos/"
    return {
        "lang": get_language(),
        "user": {
            "id": request.user.pk,
            "name": request.user.get_full_name() or request.user.get_username(),
        },
        # The cookie is read first (it follows a login in another tab); this token is
        # the fallback when the cookie cannot be read.
        "csrf": get_token(request),
        "csrfCookie": settings.CSRF_COOKIE_NAME,
        "urls": {
            "shell": reverse("pos_app:shell"),
            "sw": reverse("pos_app:sw"),
            "login": resolve_url(settings.LOGIN_URL) + "?next=" + reverse("pos_app:shell"),
            # The API paths of the POS contract; "{id}" is filled in by the scripts.
            "locations": api + "locations",
            "catalogue": api + "locations/{id}/catalogue",
            "sessions": api + "sessions",
            "sessionClose": api + "sessions/{id}/close",
            "sync": api + "sales/sync",
            "void": api + "sales/{number}/void",
        },
        "strings": JS_STRINGS,
    }


@never_cache
@ensure_csrf_cookie
@policy_required
@require_GET
@device_language
def shell(request):
    """The app. Never cached by the browser's HTTP cache: it carries the CSRF token and
    the user; the service worker keeps its own copy for offline starts. Who may open it
    is the policy's (selectors.user_may_use_pos; others get pos/app/forbidden.html)."""
    html = render_to_string(
        "pos/app/index.html",
        {
            "config": _config(request),
            "csrf_token": get_token(request),
            "denominations": [
                (value, kind, "Rp" + f"{int(value):,}".replace(",", "."))
                for value, kind in DENOMINATIONS
            ],
            "user": request.user,
            "logout_url": reverse("customer:logout"),
            "theme_color": THEME_COLOR,
        },
    )
    return HttpResponse(html)


def _precache_urls() -> list[str]:
    return [
        reverse("pos_app:shell"),
        reverse("pos_app:manifest"),
        *(static(name) for name in APP_ASSETS),
    ]


def _assets_version() -> str:
    """Changes whenever an asset's content or URL changes, so browsers install the new
    worker, which fetches the new files (unhashed static URLs in development included)."""
    digest = hashlib.sha256()
    for url in _precache_urls():
        digest.update(url.encode())
    for name in APP_ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as f:
                digest.update(f.read())
    digest.update(render_to_string("pos/app/sw.js", {"version": "", "precache": "[]"}).encode())
    return digest.hexdigest()[:16]


_cached_version = lru_cache(maxsize=1)(_assets_version)


@never_cache
@require_GET
def service_worker(request):
    """The worker script from /pos/ itself (its scope is the folder it is served from);
    never cached, so a new version is found on the next visit."""
    version = _assets_version() if settings.DEBUG else _cached_version()
    script = render_to_string(
        "pos/app/sw.js",
        {
            "version": version,
            "shell_url": reverse("pos_app:shell"),
            "precache": json.dumps(_precache_urls()),
            "data_prefix": _api_root() + "pos/locations",
        },
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("pos_app:shell")
    return response


@require_GET
@device_language
def manifest(request):
    """The web app manifest that makes the POS installable on a tablet or phone."""
    shell_url = reverse("pos_app:shell")
    data = {
        "id": shell_url,
        "name": str(_("Karya point of sale")),
        "short_name": str(_("Karya POS")),
        "description": str(_("Sell Karya goods at galleries and exhibitions, also offline.")),
        "lang": get_language(),
        "start_url": shell_url,
        "scope": shell_url,
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("pos/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pos/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pos/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")
