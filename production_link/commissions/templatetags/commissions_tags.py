from django import template

from .. import selectors

register = template.Library()


@register.filter
def is_bookable(product) -> bool:
    return selectors.product_is_bookable(product)


@register.simple_tag
def order_commissions(order):
    return selectors.commissions_of_order(order)
