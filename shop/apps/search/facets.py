"""Facets of the listing and search pages and of the API: narrowing by category, Lapas,
province, buyer segment, price band, halal, food or not, and in stock, with the number
of products each choice would give.

Choices live in the URL (``?lapas=…&halal=1``), so a narrowed page can be shared and is
cached by the page cache like any other URL (it keys on the full query string); the
links the page offers list their parameters in one order, so the same choices give one
URL. Facets combine with AND. Each facet's counts are taken with every other chosen
facet applied but not its own, so a chosen Lapas still shows the other Lapas one could
switch to.

All counts come from one SQL statement, on PostgreSQL and SQLite alike: the matching
products once (a CTE, with one column per facet), then one GROUP BY per facet, joined
with UNION ALL. Names and slugs of categories, Lapas and segments come from the shared
cache (shop.apps.core.shared_cache), not from a query per page.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.apps.core import shared_cache

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Segment = get_model("catalogue", "Segment")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")

# Price bands in whole rupiah: (lowest, below); None is open-ended.
PRICE_BANDS = (
    (0, 50_000),
    (50_000, 100_000),
    (100_000, 250_000),
    (250_000, 1_000_000),
    (1_000_000, None),
)
# The most values a facet shows (with 500 Lapas, the busiest ten and the chosen one).
SHOWN_VALUES = 10
FACET_NAMES = ("category", "lapas", "province", "segment", "price", "halal", "food", "in_stock")


def band_key(low: int, below: int | None) -> str:
    return f"{low}-{below if below is not None else ''}"


PRICE_KEYS = {band_key(low, below): (low, below) for low, below in PRICE_BANDS}


def _rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def band_label(key: str) -> str:
    low, below = PRICE_KEYS[key]
    if below is None:
        return str(_("from %(low)s") % {"low": _rupiah(low)})
    if low == 0:
        return str(_("under %(below)s") % {"below": _rupiah(below)})
    return f"{_rupiah(low)} – {_rupiah(below)}"


@dataclass(frozen=True)
class Filters:
    """The chosen facet values, as they come from the URL (unknown values match
    nothing rather than being ignored: a shared link never shows more than it said)."""

    category: str | None = None  # a category slug or id
    lapas: str | None = None  # a Lapas code (Partner.code)
    province: str | None = None
    segment: str | None = None  # a buyer segment slug
    price: str | None = None  # a key of PRICE_KEYS
    halal: bool = False
    food: bool | None = None  # True: food only; False: everything but food
    in_stock: bool = False

    def chosen(self) -> dict[str, str]:
        """The URL parameters of the chosen values."""
        out = {}
        for name in ("category", "lapas", "province", "segment", "price"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.halal:
            out["halal"] = "1"
        if self.food is not None:
            out["food"] = "1" if self.food else "0"
        if self.in_stock:
            out["in_stock"] = "1"
        return out

    def without(self, name: str) -> "Filters":
        empty = {"halal": False, "in_stock": False}.get(name)
        return replace(self, **{name: empty})


# --- Names and slugs, from the shared cache


def facet_labels() -> dict:
    def compute():
        categories = {
            c.pk: {"name": c.name, "slug": c.slug, "path": c.path}
            for c in Category.objects.order_by("depth", "path")
        }
        by_slug: dict[str, int] = {}
        for pk, c in categories.items():
            by_slug.setdefault(c["slug"], pk)  # slugs repeat across branches: the highest
        lapas = {p.pk: {"name": p.name, "code": p.code} for p in Partner.objects.all()}
        segments = {s.pk: {"name": s.name, "slug": s.slug} for s in Segment.objects.all()}
        return {
            "categories": categories,
            "category_by_slug": by_slug,
            "lapas": lapas,
            "lapas_by_code": {v["code"]: pk for pk, v in lapas.items()},
            "segments": segments,
            "segment_by_slug": {v["slug"]: pk for pk, v in segments.items()},
        }

    # Category and segment names are in the visitor's language (catalog/translation.py).
    return shared_cache.get_or_compute("search-facet-labels", compute, get_language())


def _category_id(value: str, labels: dict) -> int | None:
    if value.isdigit():
        return int(value) if int(value) in labels["categories"] else None
    return labels["category_by_slug"].get(value)


# --- One column per facet, for filtering and for counting

NOTHING = Value(0)


def _columns(filters: Filters, labels: dict) -> dict:
    in_stock = StockRecord.objects.filter(
        product=OuterRef("pk"), num_in_stock__gt=Coalesce(F("num_allocated"), 0)
    )
    columns = {
        "f_id": F("pk"),
        "f_lapas": F("workshop__lapas_id"),
        "f_province": Subquery(
            PartnerAddress.objects.filter(partner=OuterRef("workshop__lapas_id"))
            .order_by("pk")
            .values("state")[:1]
        ),
        "f_price": Subquery(
            StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
        ),
        "f_halal": Case(When(halal_claimed=True, then=1), default=0, output_field=IntegerField()),
        "f_food": Case(
            When(product_class__is_food=True, then=1), default=0, output_field=IntegerField()
        ),
        # Services and made-to-order goods track no stock: always available.
        "f_stock": Case(
            When(Q(product_class__track_stock=False) | Q(Exists(in_stock)), then=1),
            default=0,
            output_field=IntegerField(),
        ),
    }
    if filters.category:
        found = _category_id(filters.category, labels)
        if found is None:
            columns["f_category"] = NOTHING
        else:
            path = labels["categories"][found]["path"]
            tree = ProductCategory.objects.filter(
                product=OuterRef("pk"), category__path__startswith=path
            )
            columns["f_category"] = Case(
                When(Exists(tree), then=1), default=0, output_field=IntegerField()
            )
    if filters.segment:
        found = labels["segment_by_slug"].get(filters.segment)
        if found is None:
            columns["f_segment"] = NOTHING
        else:
            aimed = _segment_links().objects.filter(product=OuterRef("pk"), segment_id=found)
            columns["f_segment"] = Case(
                When(Exists(aimed), then=1), default=0, output_field=IntegerField()
            )
    return columns


def _segment_links():
    """The through model of Product.segments."""
    return get_model("catalogue", "Product").segments.through


def _conditions(filters: Filters, labels: dict) -> dict[str, tuple[str, list]]:
    """Each chosen facet as SQL over the CTE's columns (alias h)."""
    out: dict[str, tuple[str, list]] = {}
    if filters.category:
        out["category"] = ("h.f_category = 1", [])
    if filters.segment:
        out["segment"] = ("h.f_segment = 1", [])
    if filters.lapas:
        out["lapas"] = ("h.f_lapas = %s", [labels["lapas_by_code"].get(filters.lapas, -1)])
    if filters.province:
        out["province"] = ("h.f_province = %s", [filters.province])
    if filters.price:
        low, below = PRICE_KEYS.get(filters.price, (None, None))
        if low is None:
            out["price"] = ("1 = 0", [])
        elif below is None:
            out["price"] = ("h.f_price >= %s", [Decimal(low)])
        else:
            out["price"] = ("h.f_price >= %s AND h.f_price < %s", [Decimal(low), Decimal(below)])
    if filters.halal:
        out["halal"] = ("h.f_halal = 1", [])
    if filters.food is not None:
        out["food"] = ("h.f_food = %s", [1 if filters.food else 0])
    if filters.in_stock:
        out["in_stock"] = ("h.f_stock = 1", [])
    return out


def apply(qs, filters: Filters, labels: dict | None = None):
    """``qs`` narrowed to the chosen facet values."""
    chosen = filters.chosen()
    if not chosen:
        return qs
    labels = labels or facet_labels()
    columns = _columns(filters, labels)
    needed = {
        "category": ["f_category"],
        "segment": ["f_segment"],
        "lapas": [],
        "province": ["f_province"],
        "price": ["f_price"],
        "halal": [],
        "food": ["f_food"],
        "in_stock": ["f_stock"],
    }
    qs = qs.alias(**{c: columns[c] for name in chosen for c in needed[name]})
    if filters.category:
        qs = qs.filter(f_category=1)
    if filters.segment:
        qs = qs.filter(f_segment=1)
    if filters.lapas:
        qs = qs.filter(workshop__lapas_id=labels["lapas_by_code"].get(filters.lapas, -1))
    if filters.province:
        qs = qs.filter(f_province=filters.province)
    if filters.price:
        low, below = PRICE_KEYS.get(filters.price, (None, None))
        if low is None:
            return qs.none()
        qs = qs.filter(f_price__gte=low)
        if below is not None:
            qs = qs.filter(f_price__lt=below)
    if filters.halal:
        qs = qs.filter(halal_claimed=True)
    if filters.food is not None:
        qs = qs.filter(f_food=1 if filters.food else 0)
    if filters.in_stock:
        qs = qs.filter(f_stock=1)
    return qs


# --- Counting


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False
    query: str = ""  # the URL query string that toggles this value (set by with_links)


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class Facets:
    total: int
    facets: list[Facet]

    def by_name(self) -> dict[str, Facet]:
        return {f.name: f for f in self.facets}


def _price_case() -> str:
    whens = []
    for low, below in PRICE_BANDS:
        key = band_key(low, below)
        if below is None:
            whens.append(f"WHEN h.f_price >= {low} THEN '{key}'")
        else:
            whens.append(f"WHEN h.f_price >= {low} AND h.f_price < {below} THEN '{key}'")
    return "CASE " + " ".join(whens) + " END"


def count(qs, filters: Filters, *, exclude: tuple[str, ...] = ()) -> Facets:
    """Counts of every facet value over ``qs`` (not yet narrowed by ``filters``), and
    the number of products with every chosen value, in one query. Facets named in
    ``exclude`` are left out (a segment page has no segment facet)."""
    labels = facet_labels()
    columns = _columns(filters, labels)
    hits = qs.annotate(**columns).values(*columns).order_by()
    inner_sql, inner_params = hits.query.sql_with_params()
    conditions = _conditions(filters, labels)

    def where(excluding: str | None) -> tuple[str, list]:
        chosen = [(sql, p) for name, (sql, p) in conditions.items() if name != excluding]
        if not chosen:
            return "1 = 1", []
        return " AND ".join(f"({sql})" for sql, _p in chosen), [v for _s, p in chosen for v in p]

    groups = {
        "lapas": ("CAST(h.f_lapas AS TEXT)", "", "h.f_lapas"),
        "province": ("h.f_province", "", "h.f_province"),
        "price": (_price_case(), "", "2"),
        "halal": ("CAST(h.f_halal AS TEXT)", "", "h.f_halal"),
        "food": ("CAST(h.f_food AS TEXT)", "", "h.f_food"),
        "in_stock": ("CAST(h.f_stock AS TEXT)", "", "h.f_stock"),
        "category": (
            "CAST(pc.category_id AS TEXT)",
            " JOIN catalogue_productcategory pc ON pc.product_id = h.f_id",
            "pc.category_id",
        ),
        "segment": (
            "CAST(ps.segment_id AS TEXT)",
            f" JOIN {_segment_links()._meta.db_table} ps ON ps.product_id = h.f_id",
            "ps.segment_id",
        ),
    }
    parts, params = [], []
    sql, p = where(None)
    # Every piece of SQL below is written here or compiled by Django; values are params.
    parts.append(f"SELECT 'total', '', COUNT(*) FROM hits h WHERE {sql}")  # noqa: S608
    params += p
    for name, (key, join, group) in groups.items():
        if name in exclude:
            continue
        sql, p = where(name)
        parts.append(
            f"SELECT '{name}', {key}, COUNT(*) FROM hits h{join} WHERE {sql} GROUP BY {group}"  # noqa: S608
        )
        params += p
    statement = f"WITH hits AS ({inner_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(statement, [*inner_params, *params])
        rows = cursor.fetchall()
    return _facets(rows, filters, labels, exclude)


def _facets(rows, filters: Filters, labels: dict, exclude) -> Facets:
    found: dict[str, dict[str, int]] = {}
    total = 0
    for name, key, number in rows:
        if name == "total":
            total = number
        elif key not in (None, ""):
            found.setdefault(name, {})[str(key)] = number

    def values(name, items, chosen):
        items = [v for v in items if v.count or v.key == chosen]
        for v in items:
            v.selected = v.key == chosen
        return items

    facets = []
    chosen_category = filters.category and _category_id(filters.category, labels)
    categories = [
        FacetValue(
            key=labels["categories"][int(k)]["slug"],
            label=labels["categories"][int(k)]["name"],
            count=n,
            selected=int(k) == chosen_category,
        )
        for k, n in found.get("category", {}).items()
        if int(k) in labels["categories"]
    ]
    facets.append(Facet("category", _("Category"), _top(categories)))
    lapas = [
        FacetValue(
            key=labels["lapas"][int(k)]["code"],
            label=labels["lapas"][int(k)]["name"],
            count=n,
            selected=labels["lapas"][int(k)]["code"] == filters.lapas,
        )
        for k, n in found.get("lapas", {}).items()
        if int(k) in labels["lapas"]
    ]
    facets.append(Facet("lapas", _("Lapas"), _top(lapas)))
    provinces = [
        FacetValue(key=k, label=k, count=n, selected=k == filters.province)
        for k, n in found.get("province", {}).items()
    ]
    facets.append(Facet("province", _("Province"), _top(provinces)))
    if "segment" not in exclude:
        segments = [
            FacetValue(
                key=labels["segments"][int(k)]["slug"],
                label=labels["segments"][int(k)]["name"],
                count=n,
                selected=labels["segments"][int(k)]["slug"] == filters.segment,
            )
            for k, n in found.get("segment", {}).items()
            if int(k) in labels["segments"]
        ]
        facets.append(Facet("segment", _("Buyer segment"), _top(segments)))
    prices = found.get("price", {})
    facets.append(
        Facet(
            "price",
            _("Price"),
            values(
                "price",
                [FacetValue(k, band_label(k), prices.get(k, 0)) for k in PRICE_KEYS],
                filters.price,
            ),
        )
    )
    halal = found.get("halal", {}).get("1", 0)
    facets.append(
        Facet(
            "halal",
            _("Halal"),
            values(
                "halal",
                [FacetValue("1", _("Halal certified"), halal)],
                "1" if filters.halal else None,
            ),
        )
    )
    food = found.get("food", {})
    chosen_food = None if filters.food is None else ("1" if filters.food else "0")
    facets.append(
        Facet(
            "food",
            _("Food or goods"),
            values(
                "food",
                [
                    FacetValue("1", _("Food"), food.get("1", 0)),
                    FacetValue("0", _("Goods and services"), food.get("0", 0)),
                ],
                chosen_food,
            ),
        )
    )
    stock = found.get("in_stock", {}).get("1", 0)
    facets.append(
        Facet(
            "in_stock",
            _("Availability"),
            values(
                "in_stock",
                [FacetValue("1", _("In stock"), stock)],
                "1" if filters.in_stock else None,
            ),
        )
    )
    return Facets(total=total, facets=[f for f in facets if f.values])


def _top(items: list[FacetValue]) -> list[FacetValue]:
    items = sorted(items, key=lambda v: (-v.count, str(v.label)))
    shown = items[:SHOWN_VALUES]
    shown += [v for v in items[SHOWN_VALUES:] if v.selected]
    return shown


def with_links(facets: Facets, params) -> Facets:
    """Set each value's ``query``: the current parameters (a QueryDict) with that value
    chosen, or unchosen if it is chosen, without the page number, in a fixed order."""
    base = {k: v for k, v in params.items() if v and k != "page"}
    for facet in facets.facets:
        for value in facet.values:
            chosen = dict(base)
            if value.selected:
                chosen.pop(facet.name, None)
            else:
                chosen[facet.name] = value.key
            value.query = canonical_query(chosen)
    return facets


def canonical_query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(sorted(params.items()))
