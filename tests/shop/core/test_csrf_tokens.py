"""The page caches' CSRF tokens: Django's format, Django's middleware accepts them, and
every one is new."""

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from shop.apps.core.csrf_tokens import get_token


def test_a_new_visitor_gets_a_secret_and_a_masked_token_of_it():
    request = RequestFactory().get("/")

    token = get_token(request)

    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert len(token) == 2 * CSRF_SECRET_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_a_returning_visitor_keeps_their_secret_and_every_token_differs():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * CSRF_SECRET_LENGTH

    tokens = {get_token(request) for _ in range(50)}

    assert len(tokens) == 50
    assert {_unmask_cipher_token(t) for t in tokens} == {"a" * CSRF_SECRET_LENGTH}


def test_every_character_is_drawn():
    request = RequestFactory().get("/")
    seen = set()
    for _ in range(60):
        seen |= set(get_token(request))
    assert seen == set(CSRF_ALLOWED_CHARS)
