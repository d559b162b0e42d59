from django import template

from .. import selectors

register = template.Library()


@register.filter
def buys_for_organisation(user) -> bool:
    """True for a buyer of an approved organisation (the basket offers a quote)."""
    return selectors.user_is_organisation_buyer(user)
