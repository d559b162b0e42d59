"""Demand insight, read: every figure is aggregated in the database (GROUP BY and
correlated subqueries over indexed columns), so a page costs the same few queries whatever
the size of the shop; Python only shapes the rows a page shows (a bounded number).

Scope: workshop staff and the Kalapas see their own Lapas; central admins every Lapas,
all together or one at a time. ``insight_scope_for_user`` checks what a request names.

Sales are orders in a paid status (paid, being prepared, shipped, ready, completed, partly
refunded), by the day they were placed. Whole past days are read from the daily roll-up
(rollup.py: summed once per day), today and any day changed since its roll-up from the
orders, and the two added up: the same figures as from the orders alone. Searches are the shop's, not a Lapas's: a buyer
who searches has not chosen a Lapas yet.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from ..models import Allocation, Batch, BatchStock, Workshop
from ..programme import regions
from . import rollup
from .models import BuyerDay, OrderSalesDay, ProductSalesDay, ProductViewDay, SearchWeek

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
BasketLine = get_model("basket", "Line")
StockRecord = get_model("partner", "StockRecord")

# The order statuses that count as a sale (shop.apps.order.statuses.PAID_STATUSES; kept
# here as values so this package does not import shop's order app).
SOLD = rollup.SOLD
MONTHS = (3, 6, 12)
ALL = "all"
MONEY = DecimalField(max_digits=16, decimal_places=2)
# A batch that sold out within this many days "sold out fast".
FAST_DAYS = 45
# The share of the other Lapas's sales to a segment one more Lapas could hope to win.
SEGMENT_SHARE = Decimal("0.10")


# --- Scope ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    lapas: object | None  # one Partner, or None for several (a region, or every Lapas)
    lapas_ids: tuple[int, ...] | None  # None: every Lapas (central admins)
    months: int
    start: datetime.date
    end: datetime.date  # inclusive: today
    region: object | None = None  # the region whose Lapas these are, when one is chosen
    # Figures several parts of a page need, worked out once (not part of what it is).
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        if self.lapas is not None:
            return str(self.lapas.pk)
        return f"{REGION}{self.region.pk}" if self.region is not None else ALL

    @property
    def start_at(self) -> datetime.datetime:
        tz = timezone.get_current_timezone()
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)

    def narrow(self, queryset, field: str):
        if self.lapas_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": self.lapas_ids})


REGION = "region-"


def user_may_see_insight(user) -> bool:
    """Workshop staff and the Kalapas of a Lapas (who see its batches), regional officers
    (the Lapas of their region, read-only like everything of theirs), central admins."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or user.has_perm("production_link.view_batch")
            or regions.user_is_regional_officer(user)
        )
    )


def insight_lapas_for_user(user):
    """The Lapas whose insight the user may see (production_link.programme.regions)."""
    if not user_may_see_insight(user):
        return Partner.objects.none()
    return regions.lapas_visible_to(user).order_by("name")


def insight_regions_for_user(user):
    if not user_may_see_insight(user):
        return regions.Region.objects.none()
    return regions.regions_visible_to(user).order_by("name")


def _sees_every_lapas(user) -> bool:
    return user.is_superuser or user.is_staff


def insight_scope_for_user(*, user, lapas: str = "", months: str = "") -> Scope:
    """The Lapas a request names (an id, "region-<id>" for the Lapas of a region, "all")
    and the period (3, 6 or 12 months), checked against what the user may see. Without a
    Lapas: a central admin gets every Lapas, a regional officer their region, anyone else
    their (first) own Lapas. "all" is every Lapas the user may see, so for a regional
    officer their region.

    Raises PermissionDenied for someone who may not see insight or names a Lapas or
    region not theirs, ValidationError for a value that means nothing."""
    if not user_may_see_insight(user):
        raise PermissionDenied(_("Insight is for workshop staff, the head of a Lapas and admins."))
    try:
        period = int(months or 12)
    except ValueError:
        period = 0
    if period not in MONTHS:
        raise ValidationError({"months": _("Choose 3, 6 or 12 months.")})
    end = timezone.localdate()
    dates = {
        "months": period,
        "end": end,
        "start": end - datetime.timedelta(days=PERIOD_DAYS[period] - 1),
    }
    value = (lapas or "").strip().lower()
    own_region = regions.region_of_user(user)
    if not value:
        value = ALL if _sees_every_lapas(user) or own_region is not None else ""
    if value == ALL:
        if _sees_every_lapas(user):
            return Scope(lapas=None, lapas_ids=None, **dates)
        if own_region is not None:
            return _region_scope(own_region, dates)
        raise PermissionDenied(_("Only central admins see every Lapas together."))
    if value.startswith(REGION):
        number = value[len(REGION) :]
        region = regions.Region.objects.filter(pk=int(number)).first() if number.isdigit() else None
        if region is None:
            raise ValidationError({"lapas": _("There is no region %(value)s.") % {"value": lapas}})
        if not insight_regions_for_user(user).filter(pk=region.pk).exists():
            raise PermissionDenied(_("You may see the insight of your own region only."))
        return _region_scope(region, dates)
    own = insight_lapas_for_user(user)
    if not value:
        # Someone of several Lapas starts with the first (by name), and may switch.
        first = own.first()
        if first is None:
            raise PermissionDenied(_("You belong to no Lapas."))
        value = str(first.pk)
    chosen = Partner.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if chosen is None:
        raise ValidationError({"lapas": _("There is no Lapas %(value)s.") % {"value": lapas}})
    if not own.filter(pk=chosen.pk).exists():
        raise PermissionDenied(_("You may see the insight of your own Lapas only."))
    return Scope(lapas=chosen, lapas_ids=(chosen.pk,), **dates)


def _region_scope(region, dates) -> Scope:
    ids = tuple(regions.lapas_of_region(region).values_list("pk", flat=True))
    return Scope(lapas=None, lapas_ids=ids, region=region, **dates)


# How far back each choice of period goes, in days (a year is the year up to today).
PERIOD_DAYS = {3: 91, 6: 182, 12: 365}


# --- Shared pieces ---------------------------------------------------------------------------


def _split(scope: Scope) -> rollup.Split:
    """The period's days read from the roll-up and those read from the orders (once per
    scope)."""
    if scope._memo.get("split") is None:
        scope._memo["split"] = rollup.split(scope.start, scope.end)
    return scope._memo["split"]


def _sales(scope: Scope):
    """Paid orders of the days not read from the roll-up (today at least)."""
    orders = Order.objects.filter(_split(scope).raw(), status__in=SOLD)
    return scope.narrow(orders, "lapas_id")


def _sold_lines(scope: Scope):
    lines = Line.objects.filter(
        _split(scope).raw("order__"), order__status__in=SOLD, product__isnull=False
    )
    return scope.narrow(lines, "order__lapas_id")


def _rolled(scope: Scope, model, *, narrow: bool = True):
    """Roll-up rows of the period's rolled-up days (of the scope's Lapas if ``narrow``)."""
    rows = model.objects.filter(_split(scope).rolled)
    return scope.narrow(rows, "lapas_id") if narrow else rows


def _product_sales(scope: Scope, ids) -> dict[int, dict]:
    """Orders, units and revenue in the period of these products (any Lapas's: a product
    is of one workshop), from the roll-up and the raw days added up."""
    sold: dict[int, dict] = {}
    parts = (
        _rolled(scope, ProductSalesDay, narrow=False)
        .filter(product__in=ids)
        .values("product")
        .annotate(orders=Sum("orders"), units=Sum("units"), revenue=Sum("revenue")),
        Line.objects.filter(_split(scope).raw("order__"), product__in=ids, order__status__in=SOLD)
        .values("product")
        .annotate(
            orders=Count("order_id", distinct=True),
            units=Sum("quantity"),
            revenue=Sum("line_price_incl_tax"),
        ),
    )
    for part in parts:
        for row in part.order_by():
            figures = sold.setdefault(row["product"], {"orders": 0, "units": 0, "revenue": 0})
            figures["orders"] += row["orders"] or 0
            figures["units"] += row["units"] or 0
            figures["revenue"] += row["revenue"] or 0
    return sold


def _views_of(scope: Scope, product_ref="pk", since=None):
    rows = (
        ProductViewDay.objects.filter(product=OuterRef(product_ref))
        .filter(day__gte=since if since is not None else scope.start)
        .order_by()
        .values("product")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _products(scope: Scope):
    products = Product.objects.filter(workshop__isnull=False)
    return scope.narrow(products, "workshop__lapas_id")


def _price_of_product():
    price = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    return Subquery(price, output_field=MONEY)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _rupiah(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal(1), ROUND_HALF_UP)


# --- Headline ------------------------------------------------------------------------------


def headline(scope: Scope) -> dict:
    """Sales, units, views and the conversion of views into units sold (3 queries, once
    per scope: a page asks for them more than once)."""
    if scope._memo.get("headline") is None:
        scope._memo["headline"] = _headline(scope)
    return scope._memo["headline"]


def _headline(scope: Scope) -> dict:
    # Orders, units and sales: the raw days' lines in one pass, the rolled-up days' rows
    # in two (an order of two products is one order: its count is the orders' roll-up);
    # views in another.
    sales = _sold_lines(scope).aggregate(
        orders=Count("order_id", distinct=True),
        units=Coalesce(Sum("quantity"), 0),
        revenue=Coalesce(Sum("line_price_incl_tax"), Decimal(0), output_field=MONEY),
    )
    rolled = _rolled(scope, ProductSalesDay).aggregate(
        units=Coalesce(Sum("units"), 0),
        revenue=Coalesce(Sum("revenue"), Decimal(0), output_field=MONEY),
    )
    sales["orders"] += _rolled(scope, OrderSalesDay).aggregate(
        n=Coalesce(Sum("product_orders"), 0)
    )["n"]
    sales["units"] += rolled["units"]
    sales["revenue"] += rolled["revenue"]
    views = scope.narrow(
        ProductViewDay.objects.filter(day__gte=scope.start), "product__workshop__lapas_id"
    ).aggregate(n=Coalesce(Sum("views"), 0))["n"]
    return {
        "orders": sales["orders"],
        "revenue": _rupiah(sales["revenue"]),
        "units": sales["units"],
        "views": views,
        "conversion": _pct(sales["units"], views),
    }


def units_per_view(scope: Scope) -> Decimal:
    """Units sold per product view in the scope and period: the fallback conversion of a
    product that has no views of its own to go by."""
    figures = headline(scope)
    if not figures["views"]:
        return Decimal(0)
    return Decimal(figures["units"]) / Decimal(figures["views"])


# --- What buyers look for ------------------------------------------------------------------


def searches_unmet(scope: Scope, *, limit: int = 30, words: tuple[str, ...] = ()) -> list[dict]:
    """Search phrases that found nothing or little in the period, most unmet first;
    ``words`` keeps only phrases containing one of them (a workshop's field)."""
    rows = SearchWeek.objects.filter(week__gte=_week(scope.start)).filter(
        Q(no_results__gt=0) | Q(few_results__gt=0)
    )
    if words:
        match = Q()
        for word in words:
            match |= Q(query__icontains=word)
        rows = rows.filter(match)
    return list(
        rows.values("query")
        .annotate(
            searches=Sum("searches"),
            no_results=Sum("no_results"),
            few_results=Sum("few_results"),
            weeks=Count("week"),
        )
        .order_by("-no_results", "-few_results", "-searches", "query")[:limit]
    )


def searches_by_week(scope: Scope) -> list[dict]:
    return list(
        SearchWeek.objects.filter(week__gte=_week(scope.start))
        .values("week")
        .annotate(
            searches=Sum("searches"), no_results=Sum("no_results"), few_results=Sum("few_results")
        )
        .order_by("week")
    )


def _week(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _most_viewed(scope: Scope, limit: int, *, unsold: bool = False):
    """Ids of the products viewed most in the period (a GROUP BY over the views of the
    period, then a limit), for the per-product tables: their other figures are then worked
    out for these products only."""
    views = scope.narrow(
        ProductViewDay.objects.filter(day__gte=scope.start), "product__workshop__lapas_id"
    )
    if unsold:
        sold = Line.objects.filter(
            _split(scope).raw("order__"), product=OuterRef("product"), order__status__in=SOLD
        )
        rolled = _rolled(scope, ProductSalesDay, narrow=False).filter(product=OuterRef("product"))
        views = views.filter(~Exists(sold), ~Exists(rolled))
    return (
        views.values("product")
        .annotate(total=Sum("views"))
        .order_by("-total", "product")
        .values("product")[:limit]
    )


def _figures_of(scope: Scope, products) -> list[dict]:
    """Views, baskets, orders, units, revenue and price of a few products (a limited list
    of ids, most viewed first): one grouped query over each log for all of them, so a
    product with thousands of sales is read once, not once per figure."""
    rows = list(
        Product.objects.filter(pk__in=products)
        .annotate(
            views=_views_of(scope),
            price=Subquery(
                StockRecord.objects.filter(product=OuterRef("pk"))
                .order_by("pk")
                .values("price")[:1],
                output_field=MONEY,
            ),
        )
        .values("pk", "title", "upc", "views", "price", "workshop__lapas__name")
    )
    ids = [row["pk"] for row in rows]
    sold = _product_sales(scope, ids)
    baskets = dict(
        BasketLine.objects.filter(product__in=ids, date_created__gte=scope.start_at)
        .values("product")
        .annotate(n=Count("basket_id", distinct=True))
        .order_by()
        .values_list("product", "n")
    )
    for row in rows:
        figures = sold.get(row["pk"], {})
        row["orders"] = figures.get("orders", 0)
        row["units"] = figures.get("units") or 0
        row["revenue"] = _rupiah(figures.get("revenue"))
        row["baskets"] = baskets.get(row["pk"], 0)
    rows.sort(key=lambda r: (-r["views"], -r["orders"], r["pk"]))
    return rows


def viewed_not_bought(scope: Scope, *, limit: int = 20) -> list[dict]:
    """Products viewed in the period and not sold once, most viewed first."""
    return _figures_of(
        scope, _products(scope).filter(pk__in=_most_viewed(scope, limit, unsold=True))
    )


def product_funnel(scope: Scope, *, limit: int = 50) -> list[dict]:
    """Per product, most viewed first: views → baskets it was put in → orders, units and
    revenue, and each step's rate."""
    rows = _figures_of(scope, _products(scope).filter(pk__in=_most_viewed(scope, limit)))
    for row in rows:
        row["basket_rate"] = _pct(row["baskets"], row["views"])
        row["order_rate"] = _pct(row["orders"], row["baskets"])
    return rows


# --- Batches -------------------------------------------------------------------------------


def batch_figures(scope: Scope, *, limit: int = 50, workshop_id: int | None = None) -> list[dict]:
    """Batches released in the period, newest first: units sold (net of returns), sell-
    through, days from release to the last unit sold for a sold-out batch, and the margin
    over the recorded materials cost (labour is recorded in hours without a rate, so the
    margin is before labour and the wage pool)."""
    batches = scope.narrow(
        Batch.objects.filter(released_at__gte=scope.start_at), "workshop__lapas_id"
    )
    if workshop_id is not None:
        batches = batches.filter(workshop_id=workshop_id)
    rows = list(
        batches.annotate(made=Coalesce("produced_quantity", "planned_quantity"))
        .order_by("-released_at", "-pk")
        .values(
            "pk",
            "code",
            "status",
            "product_id",
            "product__title",
            "workshop_id",
            "workshop__name",
            "made",
            "materials_cost",
            "released_at",
        )[:limit]
    )
    # Units, revenue and the last sale of these batches from their allocations in one
    # grouped pass (a busy batch has tens of thousands: read once, not once per figure).
    net = ExpressionWrapper(F("quantity") - F("returned_quantity"), output_field=IntegerField())
    sales = {
        row["batch_id"]: row
        for row in Allocation.objects.filter(batch_id__in=[row["pk"] for row in rows])
        .values("batch_id")
        .annotate(
            sold=Sum(net),
            revenue=Sum(
                ExpressionWrapper(net * F("line__unit_price_incl_tax"), output_field=MONEY)
            ),
            last_sale=Max("created_at"),
        )
        .order_by()
    }
    for row in rows:
        figures = sales.get(row["pk"], {})
        row["sold"] = figures.get("sold") or 0
        row["revenue"] = figures.get("revenue") or Decimal(0)
        row["last_sale"] = figures.get("last_sale")
    for row in rows:
        _batch_derive(row)
    return rows


def _batch_derive(row: dict) -> None:
    row["sell_through"] = _pct(row["sold"], row["made"])
    row["days_to_sell_out"] = None
    if row["status"] == Batch.Status.SOLD_OUT and row["last_sale"] and row["released_at"]:
        released = timezone.localdate(row["released_at"])
        row["days_to_sell_out"] = max((timezone.localdate(row["last_sale"]) - released).days, 1)
    cost = row["materials_cost"]
    revenue = _rupiah(row["revenue"])
    row["revenue"] = revenue
    row["unit_cost"] = (
        _rupiah(Decimal(cost) / row["made"]) if cost is not None and row["made"] else None
    )
    row["unit_price"] = _rupiah(revenue / row["sold"]) if row["sold"] else None
    if row["unit_cost"] is not None and row["unit_price"] is not None:
        row["unit_margin"] = row["unit_price"] - row["unit_cost"]
        row["margin_pct"] = _pct(row["unit_margin"], row["unit_price"])
        # What the batch has earned over its whole materials cost so far.
        row["margin"] = revenue - _rupiah(cost)
    else:
        row["unit_margin"] = row["margin_pct"] = row["margin"] = None


# --- Stock-outs ----------------------------------------------------------------------------


def stock_outs(scope: Scope, *, limit: int = 30, workshop_id: int | None = None) -> list[dict]:
    """Products sold out now (a batch of theirs sold out and no released batch has a unit
    left anywhere), since when (the last unit sold), the views since then, and the demand
    lost: views while sold out × the product's units sold per view in the period (the
    scope's own rate for a product without views of its own), in units and rupiah at its
    current price. An estimate: a view is not a buyer, but the product's own history says
    how many views one sale took."""
    on_hand = BatchStock.objects.filter(
        batch__product=OuterRef("pk"), batch__status=Batch.Status.RELEASED, quantity__gt=0
    )
    sold_out = Batch.objects.filter(product=OuterRef("pk"), status=Batch.Status.SOLD_OUT)
    last_sale = (
        Allocation.objects.filter(batch__product=OuterRef("pk"))
        .order_by()
        .values("batch__product")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    products = _products(scope).filter(Exists(sold_out), ~Exists(on_hand))
    if workshop_id is not None:
        products = products.filter(workshop_id=workshop_id)
    products = products.annotate(
        sold_out_since=Subquery(last_sale),
        sold_out_day=TruncDate("sold_out_since", tzinfo=timezone.get_current_timezone()),
    ).filter(sold_out_since__isnull=False)
    views_since = (
        ProductViewDay.objects.filter(
            product=OuterRef("pk"),
            day__gte=OuterRef("sold_out_day"),
        )
        .order_by()
        .values("product")
        .annotate(total=Sum("views"))
        .values("total")
    )
    rows = list(
        products.annotate(
            views_since=Coalesce(Subquery(views_since, output_field=IntegerField()), 0),
        )
        .order_by("-views_since", "pk")
        .values("pk", "title", "workshop_id", "workshop__name", "sold_out_since", "views_since")[
            :limit
        ]
    )
    # The period's views, units and price of these few products only (grouped, not a
    # subquery per product of the catalogue: the sold-out list is chosen first).
    figures = {
        row["pk"]: row
        for row in Product.objects.filter(pk__in=[row["pk"] for row in rows])
        .annotate(views=_views_of(scope), price=_price_of_product())
        .values("pk", "views", "price")
    }
    units = {pk: row["units"] for pk, row in _product_sales(scope, list(figures)).items()}
    for row in rows:
        row.update(views=figures[row["pk"]]["views"], price=figures[row["pk"]]["price"])
        row["units"] = units.get(row["pk"]) or 0
    fallback = units_per_view(scope) if rows else Decimal(0)
    today = timezone.localdate()
    for row in rows:
        rate = Decimal(row["units"]) / row["views"] if row["views"] else fallback
        row["days"] = (today - timezone.localdate(row["sold_out_since"])).days
        row["lost_units"] = (Decimal(row["views_since"]) * rate).quantize(Decimal(1), ROUND_HALF_UP)
        row["lost_revenue"] = _rupiah(row["lost_units"] * (row["price"] or 0))
    return rows


# --- Who buys ------------------------------------------------------------------------------

CHANNEL_LABELS = {
    "online": gettext_lazy("Online shop"),
    "gallery": gettext_lazy("Gallery"),
    "exhibition": gettext_lazy("Exhibition"),
    "institutional": gettext_lazy("Institutional"),
}


def _goods():
    return Coalesce(
        Sum(F("total_incl_tax") - F("shipping_incl_tax")), Decimal(0), output_field=MONEY
    )


def buyers_by_channel(scope: Scope) -> list[dict]:
    """Sales by channel: online, gallery or exhibition (the point of sale's location),
    institutional (an institutional order, or an online order by an institutional buyer).
    The rolled-up days by their channel (rollup.sales_channel, worked out when rolled up);
    the raw days grouped by channel, location kind and whether the buyer is an
    institutional buyer; both added up here over their handful of rows."""
    kind_of_location = rollup.KIND_OF_LOCATION
    rows = (
        _sales(scope)
        .annotate(by_institution=rollup.institutional_buyer())
        .values("channel", kind_of_location, "by_institution")
        .annotate(orders=Count("pk"), revenue=_goods())
        .order_by()
    )
    totals: dict[str, list] = {}

    def add(kind, orders, revenue):
        row = totals.setdefault(kind, [0, Decimal(0)])
        row[0] += orders
        row[1] += revenue or 0

    for row in rows:
        kind = rollup.sales_channel(row["channel"], row[kind_of_location], row["by_institution"])
        add(kind, row["orders"], row["revenue"])
    for row in (
        _rolled(scope, OrderSalesDay)
        .values("channel")
        .annotate(orders=Sum("orders"), revenue=Sum("goods"))
        .order_by()
    ):
        add(row["channel"], row["orders"], row["revenue"])
    result = [
        {
            "kind": kind,
            "label": str(CHANNEL_LABELS.get(kind, kind)),
            "orders": orders,
            "revenue": _rupiah(revenue),
        }
        for kind, (orders, revenue) in totals.items()
        if orders
    ]
    return sorted(result, key=lambda r: (-r["revenue"], r["kind"]))


def _merged(parts, key: str, figures: tuple[str, ...]) -> dict:
    """Rows of several parts (roll-up and raw days) added up by ``key``."""
    merged: dict = {}
    for part in parts:
        for row in part:
            into = merged.setdefault(row[key], dict.fromkeys(figures, 0))
            for name in figures:
                into[name] += row[name] or 0
    return merged


def buyers_by_province(scope: Scope, *, limit: int = 40) -> list[dict]:
    """Where online orders were delivered (sales in person have no delivery address)."""
    raw = (
        _sales(scope)
        .filter(shipping_address__isnull=False)
        .annotate(state=Coalesce("shipping_address__state", Value("")))
        .values("state")
        .annotate(orders=Count("pk"), revenue=_goods())
        .order_by()
    )
    rolled = (
        _rolled(scope, OrderSalesDay)
        .filter(has_address=True)
        .values(state=F("province"))
        .annotate(orders=Sum("orders"), revenue=Sum("goods"))
        .order_by()
    )
    merged = _merged((raw, rolled), "state", ("orders", "revenue"))
    ranked = sorted(merged.items(), key=lambda item: (-item[1]["revenue"], item[0]))[:limit]
    return [
        {
            "province": state or _("(not given)"),
            "orders": row["orders"],
            "revenue": _rupiah(row["revenue"]),
        }
        for state, row in ranked
    ]


def buyers_by_segment(scope: Scope) -> list[dict]:
    """Units and revenue by the buyer segments the products sold are marketed to (a
    product aimed at two segments counts in both; products aimed at none are apart)."""
    raw = (
        _sold_lines(scope)
        .values("product__segments__name")
        .annotate(units=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
        .order_by()
    )
    rolled = (
        _rolled(scope, ProductSalesDay)
        .values("product__segments__name")
        .annotate(units=Sum("units"), revenue=Sum("revenue"))
        .order_by()
    )
    merged = _merged((raw, rolled), "product__segments__name", ("units", "revenue"))
    ranked = sorted(merged.items(), key=lambda item: (-item[1]["revenue"], item[0] or ""))
    return [
        {
            "segment": name or _("(no segment)"),
            "units": row["units"],
            "revenue": _rupiah(row["revenue"]),
        }
        for name, row in ranked
    ]


def repeat_buyers(scope: Scope) -> dict:
    """Known buyers (an account or a guest e-mail; sales in person have neither) and how
    many ordered more than once in the period. Counts only: nobody is named."""
    raw = (
        _sales(scope)
        .exclude(user__isnull=True, guest_email="")
        .annotate(buyer=rollup.buyer_key())
        .values("buyer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rolled = _rolled(scope, BuyerDay).values("buyer").annotate(n=Sum("orders")).order_by()
    # Both counts over the buyers of both parts in one query (the ORM cannot aggregate an
    # aggregate, nor a union). The inner SQL is the ORM's, its values passed as parameters.
    raw_sql, raw_params = raw.query.sql_with_params()
    rolled_sql, rolled_params = rolled.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE buyer.n >= 2) FROM ("  # noqa: S608
            "SELECT part.key, SUM(part.n) AS n FROM "
            f"(({raw_sql}) UNION ALL ({rolled_sql})) AS part(key, n) GROUP BY part.key"
            ") AS buyer",
            (*raw_params, *rolled_params),
        )
        buyers, repeat = cursor.fetchone()
    return {"buyers": buyers, "repeat": repeat, "share": _pct(repeat, buyers)}


# --- What to make next ---------------------------------------------------------------------


def workshops_in_scope(scope: Scope):
    return scope.narrow(Workshop.objects.filter(is_active=True), "lapas_id").select_related(
        "lapas", "field_of_work"
    )


def field_words(workshop) -> tuple[str, ...]:
    """Words of the workshop's field of work and the categories under it (4 letters or
    more): a search containing one is a search in the workshop's field."""
    names = Category.objects.filter(path__startswith=workshop.field_of_work.path).values_list(
        "name", flat=True
    )
    words = {w.lower() for name in names for w in name.replace("/", " ").split() if len(w) >= 4}
    return tuple(sorted(words))


def _field_products(workshop):
    """Products in the workshop's field (a subquery: a product in two of its categories
    is still one product)."""
    categories = Category.objects.filter(path__startswith=workshop.field_of_work.path)
    return Product.objects.filter(categories__in=categories).values("pk")


@dataclass
class Suggestion:
    kind: str
    title: str
    reason: str
    monthly_value: Decimal  # the estimate the list is ranked by, in rupiah a month


def make_next(scope: Scope, workshop, *, limit: int = 8) -> list[Suggestion]:
    """A ranked list of what the workshop could make next, each with its reason.

    Every line carries an estimate of the sales a month it stands for, and the list is
    ranked by it: a product that sold out, its last batch's pace (units a day × 30 × its
    price); a good margin, its margin over materials × units sold a month; a search in the
    workshop's field that finds nothing or little, its searches a month × the scope's units
    per view × the workshop's average price; a segment that buys the field from other Lapas
    only, a tenth of what it spends there a month."""
    suggestions: list[Suggestion] = []
    months = Decimal(scope.months)
    batches = batch_figures(scope, limit=200, workshop_id=workshop.pk)
    outs = {row["pk"]: row for row in stock_outs(scope, limit=50, workshop_id=workshop.pk)}

    fastest: dict[int, dict] = {}
    for row in batches:
        days = row["days_to_sell_out"]
        if days is not None and days <= FAST_DAYS:
            best = fastest.get(row["product_id"])
            if best is None or days < best["days_to_sell_out"]:
                fastest[row["product_id"]] = row
    for product_id, row in fastest.items():
        per_month = Decimal(row["sold"]) / row["days_to_sell_out"] * 30
        out = outs.get(product_id)
        reason = _("Batch %(code)s sold %(units)s units in %(days)s days.") % {
            "code": row["code"],
            "units": row["sold"],
            "days": row["days_to_sell_out"],
        }
        if out is not None:
            reason += " " + _(
                "Sold out for %(days)s days; %(views)s views since, about %(lost)s units of "
                "demand lost."
            ) % {"days": out["days"], "views": out["views_since"], "lost": out["lost_units"]}
        suggestions.append(
            Suggestion(
                kind="sold_out_fast",
                title=_("Make another batch of %(product)s") % {"product": row["product__title"]},
                reason=reason,
                monthly_value=_rupiah(per_month * (row["unit_price"] or 0)),
            )
        )

    margins: dict[int, dict] = {}
    for row in batches:
        if row["unit_margin"] is None or row["unit_margin"] <= 0 or row["product_id"] in fastest:
            continue
        kept = margins.setdefault(row["product_id"], {**row, "sold_all": 0})
        kept["sold_all"] += row["sold"]
    for row in sorted(margins.values(), key=lambda r: -(r["unit_margin"] * r["sold_all"]))[:3]:
        per_month = Decimal(row["sold_all"]) / months
        suggestions.append(
            Suggestion(
                kind="margin",
                title=_("Keep making %(product)s") % {"product": row["product__title"]},
                reason=_(
                    "Earns Rp%(margin)s a unit over materials (%(pct)s%%); %(units)s sold in "
                    "%(months)s months."
                )
                % {
                    "margin": f"{row['unit_margin']:,.0f}".replace(",", "."),
                    "pct": row["margin_pct"],
                    "units": row["sold_all"],
                    "months": scope.months,
                },
                monthly_value=_rupiah(row["unit_margin"] * per_month),
            )
        )

    words = field_words(workshop)
    if words:
        rate = units_per_view(scope)
        prices = [row["unit_price"] for row in batches if row["unit_price"]]
        average = (sum(prices) / len(prices)) if prices else _field_average_price(workshop)
        for row in searches_unmet(scope, limit=5, words=words):
            unmet = row["no_results"] + row["few_results"]
            suggestions.append(
                Suggestion(
                    kind="search",
                    title=_("Buyers look for “%(query)s”") % {"query": row["query"]},
                    reason=_(
                        "Searched %(searches)s times in %(months)s months: %(none)s found "
                        "nothing, %(few)s found little. It is in your field (%(field)s)."
                    )
                    % {
                        "searches": row["searches"],
                        "months": scope.months,
                        "none": row["no_results"],
                        "few": row["few_results"],
                        "field": workshop.field_of_work.name,
                    },
                    monthly_value=_rupiah(Decimal(unmet) / months * rate * (average or 0)),
                )
            )

    for row in segments_elsewhere(scope, workshop):
        suggestions.append(
            Suggestion(
                kind="segment",
                title=_("Make %(field)s for %(segment)s")
                % {"field": workshop.field_of_work.name, "segment": row["segment"]},
                reason=_(
                    "%(segment)s bought Rp%(revenue)s of %(field)s from other Lapas in "
                    "%(months)s months, nothing from %(lapas)s."
                )
                % {
                    "segment": row["segment"],
                    "revenue": f"{row['revenue']:,.0f}".replace(",", "."),
                    "field": workshop.field_of_work.name,
                    "months": scope.months,
                    "lapas": workshop.lapas.name,
                },
                monthly_value=_rupiah(row["revenue"] / months * SEGMENT_SHARE),
            )
        )
    suggestions.sort(key=lambda s: (-s.monthly_value, s.kind, s.title))
    return suggestions[:limit]


def _field_average_price(workshop) -> Decimal:
    price = StockRecord.objects.filter(product__in=_field_products(workshop)).aggregate(
        p=Avg("price")
    )["p"]
    return Decimal(price or 0)


def segments_elsewhere(scope: Scope, workshop, *, limit: int = 3) -> list[dict]:
    """Segments that bought goods of the workshop's field from other Lapas in the period
    and none from the workshop's own Lapas (whatever the scope: the comparison is with
    every other Lapas)."""

    def split_by_lapas(rows, amount: str, lapas: str):
        return rows.values("product__segments__name").annotate(
            elsewhere=Sum(amount, filter=~Q(**{lapas: workshop.lapas_id})),
            own=Sum(amount, filter=Q(**{lapas: workshop.lapas_id})),
        )

    field = {"product__in": _field_products(workshop), "product__segments__isnull": False}
    raw = Line.objects.filter(_split(scope).raw("order__"), order__status__in=SOLD, **field)
    rolled = _rolled(scope, ProductSalesDay, narrow=False).filter(**field)
    merged = _merged(
        (
            split_by_lapas(raw, "line_price_incl_tax", "order__lapas_id").order_by(),
            split_by_lapas(rolled, "revenue", "lapas_id").order_by(),
        ),
        "product__segments__name",
        ("elsewhere", "own"),
    )
    rows = sorted(
        ((name, row) for name, row in merged.items() if not row["own"] and row["elsewhere"] > 0),
        key=lambda item: (-item[1]["elsewhere"], item[0]),
    )[:limit]
    return [{"segment": name, "revenue": _rupiah(row["elsewhere"])} for name, row in rows]
