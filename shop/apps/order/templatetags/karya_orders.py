from django import template

from shop.apps.order import statuses
from shop.payments.providers import source_type_label as _source_type_label

register = template.Library()


@register.filter
def status_label(value):
    """An order or line status (stored as Oscar's English text) in the reader's language."""
    return statuses.label(value) if value else value


@register.filter
def source_type_label(value):
    """A payment source type's stored name (Oscar's SourceType.name) in the reader's language."""
    return _source_type_label(value) if value else value
