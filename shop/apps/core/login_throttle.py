"""Failed logins are throttled (django-axes) on every login form: Oscar's /accounts/login/,
Wagtail's /cms/login/ and Django's /admin/login/ all call ``authenticate(request, ...)``.

After ``AXES_FAILURE_LIMIT`` failures for one account, or from one address, further attempts
are refused for ``AXES_COOLOFF_TIME`` with ``lockout_response``. Failures are counted in the
cache (Redis in production), so every app process sees the same count.

The POS supervisor PIN is not a login (the cashier is already signed in): it has its own
counter per cashier in shop.pos.services.supervisor_for_pin.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check that refuses a locked-out account or address before any password is
    hashed. First in AUTHENTICATION_BACKENDS.

    A call without a request (Django's test client, the shell, a management command) is not
    a login form: there is no address to count and nothing to throttle, so it passes through
    to the next backend instead of failing as axes' own backend does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def account_key(request, credentials) -> str | None:
    """The account a login attempt is for, whichever form it came through.

    Oscar's form takes an e-mail address (its field is still called ``username``, prefixed
    ``login-`` in the page), Wagtail's and the admin's take the username; both reach the same
    account, so both count against the same key, the account's username. Case and spaces do
    not make a new key either. An address nobody has still gets a key of its own, so
    guessing at unknown addresses is throttled too."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username") or request.POST.get("login-username")
    if not value:
        return None
    value = str(value).strip()
    if "@" in value:
        user = (
            get_user_model()
            .objects.filter(email__iexact=value)
            .order_by("pk")
            .only("username")
            .first()
        )
        if user is not None:
            return user.get_username().lower()
    return value.lower()


def client_address(request) -> str | None:
    """The address a login came from: REMOTE_ADDR, or behind KARYA_TRUSTED_PROXY_COUNT
    proxies the entry the nearest of them wrote into X-Forwarded-For. Entries further left
    are written by the client and could be anything, so they are never read."""
    hops = settings.KARYA_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login form while an account or address waits."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed logins for this account or from this address. "
        "Please wait %(minutes)d minute and try again.",
        "Too many failed logins for this account or from this address. "
        "Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
    response = render(
        request,
        "login_throttle/locked.html",
        {"message": message, "title": _("Login temporarily blocked"), "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
