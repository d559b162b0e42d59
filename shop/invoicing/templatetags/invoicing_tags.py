from django import template

from ..models import Invoice

register = template.Library()


@register.simple_tag
def order_invoice(order):
    """The invoice of an order on terms, or None (most orders have none)."""
    return Invoice.objects.filter(order_id=order.pk).first()
