"""What the header shows of a visitor's basket (how many items, what they cost), without
loading the basket.

Oscar's basket, loaded in full, costs about ten queries (the basket, its lines, their
products and stock records, vouchers, offers) on every page that shows the header. A page
served from the page cache to a buyer with a basket needs only its count and total, so they
are kept in the cache under the basket's *version*: a token that every write to the basket
(a line added, changed or removed, a voucher, the basket submitted or merged) replaces once
the write is committed, and under the page cache's generation, which every change of a
price or of stock availability moves on. A version missing from the cache (evicted,
restarted) is simply a new one: the summary is computed again from the full basket.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.db import transaction
from oscar.core.loading import get_model

from shop.apps.core import page_cache
from shop.apps.core.shared_cache import get_local

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")

# A version or summary nobody reads any more only waits to expire.
TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class BasketSummary:
    """The attributes of a basket the header's template reads."""

    num_items: int
    total_incl_tax: Decimal
    total_excl_tax: Decimal
    is_tax_known: bool
    currency: str


def _empty() -> BasketSummary:
    zero = Decimal("0.00")
    return BasketSummary(0, zero, zero, True, settings.OSCAR_DEFAULT_CURRENCY)


def _version_key(basket_id: int) -> str:
    return f"karya:basket:{basket_id}:version"


def basket_version(basket_id: int) -> str:
    key = _version_key(basket_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add, not set: two requests starting a version at once agree on one.
        if not cache.add(key, version, timeout=TIMEOUT):
            version = cache.get(key, version)
    return version


def basket_changed(basket_id: int) -> None:
    """Called on every write to a basket. Replaced at once (this request's own next read)
    and again once committed: a request that read the basket before the commit may have
    stored its summary under the first replacement."""

    def replace():
        cache.set(_version_key(basket_id), uuid.uuid4().hex, timeout=TIMEOUT)

    replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(replace)


def summarise(basket) -> BasketSummary:
    """The summary of a fully loaded basket (offers applied, lines priced)."""
    if basket.is_empty:
        return _empty()
    return BasketSummary(
        num_items=basket.num_items,
        total_incl_tax=basket.total_incl_tax if basket.is_tax_known else Decimal("0"),
        total_excl_tax=basket.total_excl_tax,
        is_tax_known=basket.is_tax_known,
        currency=basket.currency or settings.OSCAR_DEFAULT_CURRENCY,
    )


def _basket_id(request) -> int | None:
    """The id of the visitor's open basket if it can be told cheaply, else None (no
    basket), or raises _Unclear when only Oscar's own loading can tell."""
    cookie_name = settings.OSCAR_BASKET_COOKIE_OPEN
    if request.user.is_authenticated:
        if cookie_name in request.COOKIES:
            # Just signed in with a basket from before: Oscar merges the two.
            raise _Unclear
        ids = list(Basket.open.filter(owner=request.user).values_list("pk", flat=True)[:2])
        if len(ids) > 1:
            raise _Unclear  # Oscar merges several open baskets into one
        return ids[0] if ids else None
    if cookie_name not in request.COOKIES:
        return None
    try:
        return int(Signer().unsign(request.COOKIES[cookie_name]))
    except (BadSignature, ValueError):
        raise _Unclear from None  # Oscar drops the cookie


class _Unclear(Exception):
    pass


def basket_summary(request) -> BasketSummary:
    """The visitor's basket count and total: from the cache under the basket's version and
    the page generation, else from Oscar's fully loaded ``request.basket``."""
    try:
        basket_id = _basket_id(request)
    except _Unclear:
        return summarise(request.basket)
    if basket_id is None:
        return _empty()
    owner = request.user.pk if request.user.is_authenticated else "anonymous"
    key = (
        f"karya:basket:{basket_id}:summary:{basket_version(basket_id)}:"
        f"{page_cache.PAGES.current()}:{owner}"
    )
    summary = cache.get(key)
    if summary is None:
        basket = request.basket
        summary = summarise(basket)
        # An anonymous visitor's cookie may name a basket that is no longer theirs (now
        # signed in or submitted): Oscar then gives a new one, which is not stored here.
        if basket.id == basket_id:
            cache.set(key, summary, timeout=TIMEOUT)
    return summary


# --- What replaces a basket's version


def _on_basket_write(sender, instance=None, **kwargs):
    basket_changed(instance.pk)


def _on_line_write(sender, instance=None, **kwargs):
    basket_changed(instance.basket_id)


def _on_vouchers_change(sender, instance=None, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Basket):
        basket_changed(instance.pk)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model, receiver in (
        (Basket, _on_basket_write),
        (Line, _on_line_write),
    ):
        uid = f"karya-basket-summary-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _on_vouchers_change, sender=Basket.vouchers.through, dispatch_uid="karya-basket-vouchers"
    )


# --- Add to basket (views.BasketAddView)


def product_for_basket():
    """Products as add to basket reads them: class, parent and stock records at once, and
    whether they have options (Oscar's has_options reads these two annotations)."""
    from django.db.models import Exists, OuterRef

    product_model = get_model("catalogue", "Product")
    option = get_model("catalogue", "Option")
    return (
        product_model.objects.select_related("product_class", "parent__product_class")
        .prefetch_related("stockrecords")
        .annotate(
            has_product_class_options=Exists(
                option.objects.filter(productclass=OuterRef("product_class_id"))
            ),
            has_product_options=Exists(option.objects.filter(product=OuterRef("pk"))),
        )
    )


def site_offers_exist() -> bool:
    """Whether any site offer is open, whatever its dates (those are Oscar's to check):
    kept in this process until an offer is saved (shared_cache.get_local)."""
    offer = get_model("offer", "ConditionalOffer")
    return get_local(
        "site-offers-exist",
        lambda: offer.objects.filter(offer_type=offer.SITE, status=offer.OPEN).exists(),
    )


def vouchers_exist() -> bool:
    """Whether any voucher exists at all (a basket can only hold one that does)."""
    voucher = get_model("voucher", "Voucher")
    return get_local("vouchers-exist", lambda: voucher.objects.exists())


def offers_may_apply(basket) -> bool:
    """Whether Oscar's offer pass could change anything: a site offer is open, or the
    basket has a voucher."""
    if site_offers_exist():
        return True
    return bool(basket.id) and vouchers_exist() and basket.vouchers.exists()


def priced_from_lines(basket) -> BasketSummary:
    """The basket's count and total from its lines priced by its strategy, without the
    attributes and images Oscar's all_lines() also loads (no offer applies here)."""
    lines = list(
        basket.lines.select_related("product__product_class", "stockrecord").order_by("pk")
    )
    if not lines:
        return _empty()
    num_items = 0
    total_incl = total_excl = Decimal("0")
    tax_known = True
    currency = settings.OSCAR_DEFAULT_CURRENCY
    for line in lines:
        price = basket.strategy.fetch_for_line(line).price
        num_items += line.quantity
        currency = price.currency or currency
        total_excl += price.excl_tax * line.quantity
        if price.is_tax_known:
            total_incl += price.incl_tax * line.quantity
        else:
            tax_known = False
    return BasketSummary(num_items, total_incl, total_excl, tax_known, currency)
