"""Spam protection for the public forms, without an external captcha (the site may run
on a closed network): a honeypot field, a signed render time, and a rate limit per client.

Nothing here stores personal data: the client key is a salted hash kept only in the
cache for the length of the rate-limit window.
"""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TIMESTAMP_SALT = "cms.spam.rendered-at"
# A person needs more than a couple of seconds to fill a form; a script does not.
MIN_FILL_SECONDS = 3
# A form left open longer than this is sent again with a fresh timestamp.
MAX_FORM_AGE_SECONDS = 60 * 60 * 24


class FormTimestampError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "too_fast"


def form_timestamp() -> str:
    return signing.dumps(int(time.time()), salt=TIMESTAMP_SALT)


def form_timestamp_check(value: str, *, now: float | None = None) -> None:
    """Raise FormTimestampError unless the form was rendered by us, recently, and not
    a moment ago."""
    try:
        rendered_at = signing.loads(value or "", salt=TIMESTAMP_SALT, max_age=MAX_FORM_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise FormTimestampError("expired") from exc
    except signing.BadSignature as exc:
        raise FormTimestampError("invalid") from exc
    now = time.time() if now is None else now
    if now - int(rendered_at) < MIN_FILL_SECONDS:
        raise FormTimestampError("too_fast")


def client_key(request) -> str:
    """A salted hash of the client's address.

    Behind the production reverse proxy (SECURE_PROXY_SSL_HEADER set) REMOTE_ADDR is the
    proxy; the proxy appends the real client to X-Forwarded-For, so the last entry is the
    one we can trust.
    """
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        address = forwarded.split(",")[-1].strip()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; True once more than ``limit`` attempts
    fall in the current window."""
    cache_key = f"cms:ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window_seconds)
            count = 1
    return count > limit
