"""A visitor's marketing *touch*: the campaign link (UTM parameters) or outside site that
brought them, kept in their session for the attribution window.

Last non-direct touch wins: a later campaign link or outside referrer replaces the
earlier one; a visit typed in or from a bookmark (no UTM, no referrer, or our own site)
changes nothing. Payment pages the buyer comes back from (Stripe's checkout) are not a
touch either (settings.KARYA_ATTRIBUTION_IGNORED_REFERRERS).

This module reads the request and the session only: no database, so the middleware
that calls it costs nothing on a cached page.
"""

import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings

from .models import Channel

SESSION_KEY = "karya_touch"
UTM_FIELDS = ("source", "medium", "campaign", "content", "term")
MAX_LENGTH = 100

SEARCH_ENGINES = {
    "google": "google",
    "bing": "bing",
    "yahoo": "yahoo",
    "duckduckgo": "duckduckgo",
    "yandex": "yandex",
    "ecosia": "ecosia",
    "baidu": "baidu",
}
SOCIAL_SITES = {
    "facebook": "facebook",
    "fb": "facebook",
    "instagram": "instagram",
    "t": "twitter",  # t.co
    "twitter": "twitter",
    "x": "twitter",
    "tiktok": "tiktok",
    "linkedin": "linkedin",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "youtube": "youtube",
    "pinterest": "pinterest",
}
EMAIL_MEDIUMS = {"email", "e-mail", "newsletter"}
FEED_MEDIUMS = {"feed", "product_feed", "shopping"}
PAID_MEDIUMS = {"cpc", "ppc", "paid", "paidsocial", "paid_social", "display", "ads"}
SOCIAL_MEDIUMS = {"social", "social-media", "social_media"}


@dataclass(frozen=True)
class Touch:
    channel: str
    source: str = ""
    medium: str = ""
    campaign: str = ""
    content: str = ""
    term: str = ""
    referrer_host: str = ""
    landing_path: str = ""
    at: float = 0.0  # unix time of the visit

    def as_session(self) -> dict:
        return asdict(self)


DIRECT = Touch(channel=Channel.DIRECT)


def _clean(value: str) -> str:
    # Lower case so "Newsletter" and "newsletter" count together; cut to the column.
    return (value or "").strip().lower()[:MAX_LENGTH]


def _site_name(host: str) -> str:
    """The registrable name of a host, roughly: www.google.co.id -> google, t.co -> t."""
    labels = [label for label in host.split(".") if label and label != "www"]
    if len(labels) >= 3 and labels[-2] in {"co", "com", "ac", "go", "or", "net"}:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def channel_for(*, source: str, medium: str) -> str:
    if medium in EMAIL_MEDIUMS:
        return Channel.EMAIL
    if medium in FEED_MEDIUMS:
        return Channel.SHOPPING_FEED
    if medium in PAID_MEDIUMS:
        return Channel.PAID
    if medium in SOCIAL_MEDIUMS or (not medium and source in SOCIAL_SITES.values()):
        return Channel.SOCIAL
    if medium == "organic":
        return Channel.SEARCH
    if medium == "referral":
        return Channel.REFERRAL
    return Channel.CAMPAIGN


def _ignored(host: str, own_host: str) -> bool:
    if not host or host == own_host:
        return True
    ignored = getattr(settings, "KARYA_ATTRIBUTION_IGNORED_REFERRERS", ())
    return any(host == name or host.endswith("." + name) for name in ignored)


def touch_from_request(request, *, now: float | None = None) -> Touch | None:
    """The touch this request makes, or None when it makes none (a direct visit)."""
    params = request.GET
    now = time.time() if now is None else now
    path = request.path[:500]
    referrer = request.META.get("HTTP_REFERER", "")
    host = (urlsplit(referrer).hostname or "").lower() if referrer else ""
    own_host = request.get_host().split(":")[0].lower()
    referrer_host = "" if _ignored(host, own_host) else host[:255]

    utm = {field: _clean(params.get(f"utm_{field}", "")) for field in UTM_FIELDS}
    if utm["source"] or utm["medium"] or utm["campaign"]:
        return Touch(
            channel=channel_for(source=utm["source"], medium=utm["medium"]),
            referrer_host=referrer_host,
            landing_path=path,
            at=now,
            **utm,
        )
    # Ad clicks that carry only the ad network's click id.
    if params.get("gclid"):
        return Touch(channel=Channel.PAID, source="google", medium="cpc", landing_path=path, at=now)
    if not referrer_host:
        return None
    name = _site_name(referrer_host)
    if name in SEARCH_ENGINES:
        source, medium = SEARCH_ENGINES[name], "organic"
    elif name in SOCIAL_SITES:
        source, medium = SOCIAL_SITES[name], "social"
    else:
        source, medium = referrer_host, "referral"
    return Touch(
        channel=channel_for(source=source, medium=medium),
        source=source[:MAX_LENGTH],
        medium=medium,
        referrer_host=referrer_host,
        landing_path=path,
        at=now,
    )


def touch_remember(session, touch: Touch) -> None:
    session[SESSION_KEY] = touch.as_session()


def touch_from_session(session, *, now: float | None = None) -> Touch:
    """The session's touch if it is still inside the attribution window, else DIRECT."""
    data = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(data, dict):
        return DIRECT
    now = time.time() if now is None else now
    window = getattr(settings, "KARYA_ATTRIBUTION_DAYS", 30) * 86400
    try:
        touch = Touch(**{key: data[key] for key in Touch.__dataclass_fields__ if key in data})
    except TypeError:
        return DIRECT
    if not touch.at or now - float(touch.at) > window:
        return DIRECT
    return touch


class AttributionMiddleware:
    """Records the touch of a landing into the session. Sits after SessionMiddleware and
    before the page cache, so a landing page served from the cache records it too; only
    a request that makes a touch writes the session (and so gets a session cookie):
    every other anonymous visitor keeps getting cached pages without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and hasattr(request, "session"):
            touch = touch_from_request(request)
            if touch is not None:
                touch_remember(request.session, touch)
        return self.get_response(request)
