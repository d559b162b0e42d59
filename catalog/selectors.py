"""Reads of the catalogue: browse, category listing and search, straight from the database.

No search index: what the database holds is what buyers see, on SQLite and PostgreSQL
alike, under any number of app server processes. Listings prefetch what a product card
needs, so a page costs the same number of queries whatever the catalogue size.
"""

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

SORT_NEWEST = "newest"
SORT_PRICE_ASC = "price-asc"
SORT_PRICE_DESC = "price-desc"
SORT_TITLE = "title-asc"
SORT_RELEVANCE = "relevance"

MAX_QUERY_TERMS = 8


def _for_listing(qs: QuerySet) -> QuerySet:
    """What a product card reads: class (shipping, stock), first stock record, images."""
    return qs.select_related("product_class", "workshop__lapas").prefetch_related(
        "stockrecords", "images"
    )


def _with_price(qs: QuerySet) -> QuerySet:
    first_price = (
        StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    )
    return qs.annotate(listing_price=Subquery(first_price))


def product_list(*, category=None, query: str = "", sort: str = SORT_NEWEST) -> QuerySet:
    """Browsable products, optionally within a category (and its subcategories) and
    matching every word of ``query`` in title, description, UPC, workshop or Lapas."""
    qs = Product.objects.browsable()
    if category is not None:
        in_tree = ProductCategory.objects.filter(
            product=OuterRef("pk"), category__in=category.get_descendants_and_self()
        )
        qs = qs.filter(Exists(in_tree))
    terms = query.split()[:MAX_QUERY_TERMS]
    for term in terms:
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(upc__iexact=term)
            | Q(workshop__name__icontains=term)
            | Q(workshop__lapas__name__icontains=term)
        )
    if sort in (SORT_PRICE_ASC, SORT_PRICE_DESC):
        # Only price sorting needs the price in SQL; cards read it from the stock records.
        qs = _with_price(qs)
    if sort == SORT_RELEVANCE and terms:
        # Titles that carry the whole phrase first, then titles with any word.
        phrase = " ".join(terms)
        qs = qs.annotate(
            relevance=Case(
                When(title__icontains=phrase, then=Value(0)),
                When(Q(*[Q(title__icontains=t) for t in terms], _connector=Q.OR), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("relevance", "-priority", "-date_created", "pk")
    elif sort == SORT_PRICE_ASC:
        qs = qs.order_by("listing_price", "pk")
    elif sort == SORT_PRICE_DESC:
        qs = qs.order_by("-listing_price", "pk")
    elif sort == SORT_TITLE:
        qs = qs.order_by("title", "pk")
    else:
        qs = qs.order_by("-priority", "-date_created", "-pk")
    return _for_listing(qs)


def products_by_ids(ids) -> list:
    """Browsable products in the given order (e.g. a CMS page's featured products)."""
    ids = list(ids)
    found = {p.pk: p for p in _for_listing(Product.objects.browsable().filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]
