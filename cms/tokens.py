"""Signed newsletter links: nothing to store, nothing to guess.

A confirmation link expires after a week; an unsubscribe link works for as long as the
address is on the list, because it is printed in every e-mail we send.
"""

from django.core import signing

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
MAX_AGE = {CONFIRM: 60 * 60 * 24 * 7, UNSUBSCRIBE: None}


def subscriber_token(*, subscriber, purpose: str) -> str:
    return signing.dumps(
        {"id": subscriber.pk, "email": subscriber.email}, salt=f"cms.newsletter.{purpose}"
    )


def subscriber_token_load(*, token: str, purpose: str) -> dict | None:
    """The token's {"id", "email"}, or None when it is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=f"cms.newsletter.{purpose}", max_age=MAX_AGE[purpose])
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "id" not in data or "email" not in data:
        return None
    return data
