"""Thin receivers: each calls one service."""

from django.conf import settings


def order_placed_rate_fallback_note(sender, order, **kwargs):
    # Only a shop that asks a courier aggregator can have fallen back to the zone table.
    if not settings.KARYA_SHIPPING_RATES_URL:
        return
    from shop.apps.shipping.services import order_note_rate_fallback

    order_note_rate_fallback(order=order)
