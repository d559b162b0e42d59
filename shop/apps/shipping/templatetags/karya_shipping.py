from django import template

from shop.apps.shipping import selectors

register = template.Library()


@register.simple_tag
def shipping_default_weight_grams() -> int:
    return selectors.DEFAULT_WEIGHT_GRAMS


@register.simple_tag
def order_pickup_location(order):
    return selectors.order_pickup_location(order)


@register.simple_tag
def order_parcels(order):
    """The parcels of an order (courier, waybill, tracking_url), oldest first."""
    return selectors.order_parcels(order=order)
