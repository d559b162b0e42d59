"""Reads of the catalogue: browse, category listing and search, straight from the database.

No search server: what the database holds is what buyers see, under any number of app
server processes; ranking, typo help and facets live in shop.apps.search. Listings
prefetch what a product card needs, so a page costs the same number of queries whatever
the catalogue size.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.html import _json_script_escapes, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from oscar.core.loading import get_model

from shop.apps.core import shared_cache
from shop.apps.core.roles import INSTITUTIONAL_BUYER, WORKSHOP_STAFF
from shop.apps.search import backends as search_backends
from shop.apps.search import facets as search_facets
from shop.apps.search import query as search_query

from . import i18n
from .choices import SalesChannel
from .pricing import PricingState

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Segment = get_model("catalogue", "Segment")
PriceChange = get_model("catalogue", "PriceChange")
StockRecord = get_model("partner", "StockRecord")
OrderLine = get_model("order", "Line")

SORT_NEWEST = "newest"
SORT_PRICE_ASC = "price-asc"
SORT_PRICE_DESC = "price-desc"
SORT_TITLE = "title-asc"
SORT_RELEVANCE = "relevance"


def _for_listing(qs: QuerySet) -> QuerySet:
    """What a product card reads: class (shipping, stock), first stock record, images,
    and the institutional tiers (the card shows the lowest)."""
    return qs.select_related("product_class", "workshop__lapas").prefetch_related(
        "stockrecords", "images", "price_tiers"
    )


def _with_price(qs: QuerySet) -> QuerySet:
    first_price = (
        StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    )
    return qs.annotate(listing_price=Subquery(first_price))


def _browsable(*, category=None, segment=None) -> QuerySet:
    qs = Product.objects.browsable()
    if segment is not None:
        targets = Product.segments.through.objects.filter(product=OuterRef("pk"))
        if isinstance(segment, Segment):
            targets = targets.filter(segment=segment)
        else:
            targets = targets.filter(segment__slug=segment)
        qs = qs.filter(Exists(targets))
    if category is not None:
        in_tree = ProductCategory.objects.filter(
            product=OuterRef("pk"), category__in=category.get_descendants_and_self()
        )
        qs = qs.filter(Exists(in_tree))
    return qs


def _ordered(qs: QuerySet, *, searched: bool, sort: str) -> QuerySet:
    if sort in (SORT_PRICE_ASC, SORT_PRICE_DESC):
        # Only price sorting needs the price in SQL; cards read it from the stock records.
        qs = _with_price(qs)
    if searched and sort in (SORT_RELEVANCE, "", None):
        return qs  # the search backend's order
    if sort == SORT_PRICE_ASC:
        return qs.order_by("listing_price", "pk")
    if sort == SORT_PRICE_DESC:
        return qs.order_by("-listing_price", "pk")
    if sort == SORT_TITLE:
        # By the title the visitor reads: an untranslated product sorts by its Indonesian
        # title among the English ones, not after them all.
        return qs.order_by(i18n.title_expression().asc(), "pk")
    return qs.order_by("-priority", "-date_created", "-pk")


def product_list(
    *,
    category=None,
    segment=None,
    query: str = "",
    sort: str = SORT_NEWEST,
    filters: search_facets.Filters | None = None,
) -> QuerySet:
    """Browsable products, optionally within a category (and its subcategories), aimed
    at a segment (a Segment or its slug), narrowed by facet ``filters`` and matching
    ``query`` (shop.apps.search.backends: ranked full-text search on PostgreSQL, every
    term in title, category, workshop, Lapas or description elsewhere)."""
    qs = _browsable(category=category, segment=segment)
    parsed = search_query.parse(query)
    if parsed:
        qs = search_backends.backend().search(qs, parsed)
    if filters is not None:
        qs = search_facets.apply(qs, filters)
    return _for_listing(_ordered(qs, searched=bool(parsed), sort=sort))


@dataclass
class SearchResult:
    """A listing or search page's products and everything around them."""

    products: QuerySet
    total: int  # the number of products, counted with the facets (no count query)
    facets: search_facets.Facets
    query: str  # what was searched: the buyer's words, or the correction shown instead
    suggestion: str | None = None  # "did you mean …?" when few products matched
    corrected_from: str | None = None  # the buyer's words, when nothing matched them


def product_search(
    *,
    query: str = "",
    category=None,
    segment=None,
    filters: search_facets.Filters | None = None,
    sort: str = SORT_RELEVANCE,
    facet_exclude: tuple[str, ...] = (),
) -> SearchResult:
    """``product_list`` with facet counts and typo help: when the query finds fewer than
    a few products, the nearest words of product titles make a suggestion; when it finds
    none, the suggestion's products are shown (and said so). Two SQL queries for the
    counts and the suggestion at most, besides the page of products itself; a query that
    finds nothing costs one more."""
    filters = filters or search_facets.Filters()
    backend = search_backends.backend()
    base = _browsable(category=category, segment=segment)
    parsed = search_query.parse(query)
    matched = backend.search(base, parsed) if parsed else base
    counts = search_facets.count(matched, filters, exclude=facet_exclude)
    suggestion = corrected_from = None
    if parsed and counts.total < search_backends.FEW_RESULTS:
        suggestion = backend.suggest(parsed)
        if suggestion and counts.total == 0:
            corrected = search_query.parse(suggestion)
            retry = backend.search(base, corrected)
            retry_counts = search_facets.count(retry, filters, exclude=facet_exclude)
            if retry_counts.total:
                matched, counts, parsed = retry, retry_counts, corrected
                corrected_from, suggestion = query.strip(), None
    products = _ordered(search_facets.apply(matched, filters), searched=bool(parsed), sort=sort)
    return SearchResult(
        products=_for_listing(products),
        total=counts.total,
        facets=counts,
        query=parsed.text if parsed else "",
        suggestion=suggestion,
        corrected_from=corrected_from,
    )


def product_list_for_api(*, category=None, segment=None, query: str = "", filters=None) -> QuerySet:
    """Browsable products with everything the API shows, in a fixed number of queries;
    the best matches first when searching, the newest first otherwise."""
    return product_list(
        category=category, segment=segment, query=query, filters=filters, sort=SORT_RELEVANCE
    ).prefetch_related("segments", "categories", "workshop__lapas__addresses")


def products_by_ids(ids) -> list:
    """Browsable products in the given order (e.g. a CMS page's featured products)."""
    ids = list(ids)
    found = {p.pk: p for p in _for_listing(Product.objects.browsable().filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]


# --- Segments


def segment_list() -> QuerySet:
    return Segment.objects.all()


def segments_cached() -> list:
    """Every buyer segment, from the shared cache (shop.apps.core.shared_cache): the
    listing pages' segment chips and the header menu show them on every page."""
    return shared_cache.get_or_compute("segments", lambda: list(segment_list()))


def category_menu() -> list[dict]:
    """The public categories of the header menu, two levels deep, in one query: each
    top category with its children."""
    categories = list(
        Category.objects.browsable().filter(depth__lte=2, exclude_from_menu=False).order_by("path")
    )
    top, children = [], {}
    for category in categories:
        if category.depth == 1:
            top.append(category)
        else:
            children.setdefault(category.path[: Category.steplen], []).append(category)
    for category in categories:
        # Oscar builds a category's URL from its ancestors (a query, then its own cache):
        # built now, the URL travels with the cached menu.
        category.menu_url = category.get_absolute_url()
    return [{"category": c, "children": children.get(c.path, [])} for c in top]


def segment_sales(*, since: date | None = None) -> QuerySet:
    """Units sold and revenue per segment, from order lines; a product aimed at two
    segments counts in both. Reports build on this relation."""
    placed = Q(products__line__isnull=False)
    if since is not None:
        placed &= Q(products__line__order__date_placed__date__gte=since)
    return Segment.objects.annotate(
        units=Sum("products__line__quantity", filter=placed, default=0),
        revenue=Sum("products__line__line_price_incl_tax", filter=placed, default=0),
    )


# --- Product page, pricing and staff views


def product_detail_queryset() -> QuerySet:
    """Everything the product page shows, in a fixed number of queries (the breadcrumb
    trail and the Lapas's address come from the shared cache: category_trail, lapas_place)."""
    option = get_model("catalogue", "Option")
    return (
        Product.objects.select_related("product_class", "parent__product_class", "workshop__lapas")
        # As Oscar's own base_queryset: the basket form asks whether there are options.
        .annotate(
            has_product_class_options=Exists(
                option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related("stockrecords", "images", "price_tiers", "segments", "categories")
    )


def category_trail(category) -> list[dict]:
    """Breadcrumb links of a category, root first, in the active language."""

    def compute():
        return [
            {"name": c.name, "url": c.get_absolute_url()} for c in category.get_ancestors_and_self()
        ]

    return shared_cache.get_or_compute("category-trail", compute, category.pk, get_language())


def lapas_place(lapas) -> dict:
    """A Lapas's town ("town, province", "" without an address) and the producer line a
    label prints (Product.producer_line), for product pages."""

    def compute():
        address = lapas.primary_address
        town = f"{address.line4}, {address.state}" if address is not None else ""
        return {"town": town, "producer_line": Product.producer_line_of(lapas)}

    return shared_cache.get_or_compute("lapas-place", compute, lapas.pk)


def user_is_institutional_buyer(user) -> bool:
    """Institutional buyers (offices, agencies, schools) are users that central staff
    put in the "Pembeli instansi" group; they pay the tier prices."""
    if user is None or not user.is_authenticated:
        return False
    return user.groups.filter(name=INSTITUTIONAL_BUYER.group_name).exists()


def pricing_state(product) -> PricingState:
    """The product's stored prices and cost, as catalog.pricing reads them."""
    if product.pk is None:
        return PricingState()
    stockrecord = product.stockrecords.order_by("pk").first()
    channels = {cp.channel: cp.price for cp in product.channel_prices.all()}
    return PricingState(
        online=stockrecord.price if stockrecord is not None else None,
        gallery=channels.get(SalesChannel.GALLERY),
        exhibition=channels.get(SalesChannel.EXHIBITION),
        tiers={t.min_quantity: t.price for t in product.price_tiers.all()},
        cost_materials=product.cost_materials,
        cost_labor=product.cost_labor,
    )


def price_history(product, *, limit: int = 50) -> QuerySet:
    return PriceChange.objects.filter(product=product).select_related("changed_by")[:limit]


def lapas_workshop_staff_emails(lapas) -> list[str]:
    """E-mail addresses of the active workshop staff of one Lapas."""
    group = Group.objects.filter(name=WORKSHOP_STAFF.group_name).first()
    if lapas is None or group is None:
        return []
    users = lapas.users.filter(is_active=True, groups=group).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


# --- schema.org


def product_json_ld(product, *, purchase_info, request) -> dict:
    """A schema.org Product with its offer, for search engines (and tests) to read."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "url": request.build_absolute_uri(product.get_absolute_url()),
    }
    # Name and description are in the page's language (English falls back to Indonesian);
    # the other language's name, where it differs, is the product's alternate name, and
    # the page's hreflang links name the other language's URL.
    other = product_other_title(product)
    if other:
        data["alternateName"] = other
    if product.upc:
        data["sku"] = product.upc
    description = product.description or ""
    if description:
        data["description"] = strip_tags(description).strip()
    image = product.primary_image()
    original = getattr(image, "original", None)
    if original and getattr(image, "pk", None):
        data["image"] = [request.build_absolute_uri(original.url)]
    if product.lapas is not None:
        data["manufacturer"] = {"@type": "Organization", "name": product.lapas.name}
        data["brand"] = {"@type": "Brand", "name": "Karya"}
    price = purchase_info.price if purchase_info is not None else None
    if price is not None and price.exists:
        amount = price.incl_tax if price.is_tax_known else price.excl_tax
        available = purchase_info.availability.is_available_to_buy
        data["offers"] = {
            "@type": "Offer",
            "url": data["url"],
            "price": str(amount.quantize(1)),
            "priceCurrency": price.currency,
            "availability": "https://schema.org/InStock"
            if available
            else "https://schema.org/OutOfStock",
        }
        if product.lapas is not None:
            data["offers"]["seller"] = {"@type": "Organization", "name": product.lapas.name}
    return data


def product_other_title(product) -> str:
    """The product's title in the language the page is not in, if it has one of its
    own and it differs (reads the product's columns: no query)."""
    source = i18n.SOURCE_LANGUAGE
    own = (get_language() or source).split("-")[0]
    names = {"ind": product.title_ind or "", "en": product.title_en or ""}
    if product.parent_id and not any(names.values()):
        names = {"ind": product.parent.title_ind or "", "en": product.parent.title_en or ""}
    other = names["en"] if own == source else names["ind"]
    return other if other and other != product.get_title() else ""


def json_ld_script(data: dict) -> str:
    """The JSON for a <script type="application/ld+json"> element, escaped so nothing
    in it can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped above
