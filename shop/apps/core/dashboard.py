"""Which dashboard menu entries a user sees: the permission policy's answer for the page."""

from .policy import user_may_open


def access_fn(user, url_name, url_args=None, url_kwargs=None):
    # A heading (no url_name) shows when one of its entries does (Oscar drops empty ones).
    return url_name is None or user_may_open(user, url_name)
