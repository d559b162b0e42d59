from django import template

from shop.apps.core.sanitize import sanitized

register = template.Library()


@register.filter(is_safe=True)
def sanitize(value):
    """User-written HTML cleaned by the one allow-list (shop.apps.core.sanitize); use it
    wherever a template prints stored HTML, never the safe filter."""
    return sanitized(value)
