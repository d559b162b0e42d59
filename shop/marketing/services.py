"""Writes of the marketing app: the attribution of orders (product feeds: feeds.py)."""

import datetime

from django.db import transaction

from .models import OrderAttribution
from .touch import Touch


@transaction.atomic
def order_attribution_record(*, order_id: int, touch: Touch) -> OrderAttribution:
    """Credit an order to a touch, once: a second call (a replayed signal, the thank-you
    page reloaded) returns the first record unchanged."""
    touched_at = (
        datetime.datetime.fromtimestamp(float(touch.at), tz=datetime.UTC) if touch.at else None
    )
    attribution, _created = OrderAttribution.objects.get_or_create(
        order_id=order_id,
        defaults={
            "channel": touch.channel,
            "source": touch.source,
            "medium": touch.medium,
            "campaign": touch.campaign,
            "content": touch.content,
            "term": touch.term,
            "referrer_host": touch.referrer_host,
            "landing_path": touch.landing_path,
            "touched_at": touched_at,
        },
    )
    return attribution
