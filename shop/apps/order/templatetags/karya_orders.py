from django import template

from shop.apps.order import statuses

register = template.Library()


@register.filter
def status_label(value):
    """An order or line status (stored as Oscar's English text) in the reader's language."""
    return statuses.label(value) if value else value
