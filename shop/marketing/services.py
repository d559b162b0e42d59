"""Writes of the marketing app: the attribution of orders (product feeds: feeds.py)."""

import datetime

from .models import OrderAttribution
from .touch import Touch


def order_attribution_record(*, order_id: int, touch: Touch) -> None:
    """Credit an order to a touch, once: a second call (a replayed signal, the thank-you
    page reloaded) leaves the first record unchanged.

    One INSERT ... ON CONFLICT DO NOTHING on the unique order, in autocommit: every online
    checkout runs it right after placing its orders, and get_or_create's transaction,
    read and savepoint cost six round trips to the database where one does."""
    touched_at = (
        datetime.datetime.fromtimestamp(float(touch.at), tz=datetime.UTC) if touch.at else None
    )
    OrderAttribution.objects.bulk_create(
        [
            OrderAttribution(
                order_id=order_id,
                channel=touch.channel,
                source=touch.source,
                medium=touch.medium,
                campaign=touch.campaign,
                content=touch.content,
                term=touch.term,
                referrer_host=touch.referrer_host,
                landing_path=touch.landing_path,
                touched_at=touched_at,
            )
        ],
        ignore_conflicts=True,
    )
