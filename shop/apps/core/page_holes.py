"""The parts of a storefront page that belong to one visitor, marked so that one shared
copy of the page can be filled in for each visitor (shop.apps.core.personal_pages).

A template marks such a part with ``{% hole "basket" %}…{% endhole %}`` (templatetags
page_holes). The part is rendered as usual between two HTML comments; a page kept by the
page cache was rendered for an anonymous visitor with an empty basket, and the text
between the comments is replaced by what this visitor should see.

The comments carry an HMAC of the SECRET_KEY, so nobody can write one into a product
description to have a visitor's own basket shown elsewhere on the page (and sanitised rich
text drops comments anyway).
"""

from functools import lru_cache

from django.utils.crypto import salted_hmac

# account: the account links of the header; basket: the header's basket count and total;
# messages: the alert messages; product-actions: a product page's add to basket, wish list
# and stock alert forms (different for a signed-in buyer).
NAMES = frozenset({"account", "basket", "messages", "product-actions"})


@lru_cache(maxsize=len(NAMES))
def markers(name: str) -> tuple[str, str]:
    tag = salted_hmac("karya.page-holes", name).hexdigest()[:16]
    return f"<!--karya-hole:{name}:{tag}-->", f"<!--/karya-hole:{name}:{tag}-->"


@lru_cache(maxsize=len(NAMES))
def _byte_markers(name: str) -> tuple[bytes, bytes]:
    start, end = markers(name)
    return start.encode(), end.encode()


def has(content: bytes, name: str) -> bool:
    return _byte_markers(name)[0] in content


def fill(content: bytes, name: str, html: str) -> bytes:
    """``content`` with the text of every ``name`` hole replaced by ``html`` (the markers
    stay, so a filled page can be told from a shared one in tests)."""
    start, end = _byte_markers(name)
    filling = html.encode()
    parts = []
    position = 0
    while True:
        begin = content.find(start, position)
        if begin < 0:
            break
        finish = content.find(end, begin)
        if finish < 0:
            break
        parts += [content[position : begin + len(start)], filling]
        position = finish
    if not parts:
        return content
    parts.append(content[position:])
    return b"".join(parts)
