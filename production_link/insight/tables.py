"""The figures of each insight table and chart: columns and rows, shown on the pages and
downloaded as CSV from the same definition (so a CSV always holds what the chart drew)."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import selectors


@dataclass(frozen=True)
class Table:
    title: object
    columns: tuple[tuple[str, object], ...]
    rows: Callable  # (scope, workshop) -> list[dict]


def _searches_week(scope, workshop):
    return selectors.searches_by_week(scope)


def _unmet(scope, workshop):
    return selectors.searches_unmet(scope, limit=200)


def _viewed(scope, workshop):
    return selectors.viewed_not_bought(scope, limit=200)


def _funnel(scope, workshop):
    return selectors.product_funnel(scope, limit=200)


def _batches(scope, workshop):
    return selectors.batch_figures(scope, limit=200)


def _stock_outs(scope, workshop):
    return selectors.stock_outs(scope, limit=200)


def _next(scope, workshop):
    if workshop is None:
        return []
    return [
        {"rank": n, "title": s.title, "reason": s.reason, "monthly_value": s.monthly_value}
        for n, s in enumerate(selectors.make_next(scope, workshop), start=1)
    ]


TABLES: dict[str, Table] = {
    "make-next": Table(
        _("What to make next"),
        (
            ("rank", _("Rank")),
            ("title", _("Suggestion")),
            ("reason", _("Why")),
            ("monthly_value", _("Estimated sales a month (Rp)")),
        ),
        _next,
    ),
    "searches-by-week": Table(
        _("Searches by week"),
        (
            ("week", _("Week (Monday)")),
            ("searches", _("Searches")),
            ("no_results", _("No result")),
            ("few_results", _("Few results")),
        ),
        _searches_week,
    ),
    "searches-unmet": Table(
        _("Searches that found nothing or little"),
        (
            ("query", _("Search words")),
            ("searches", _("Searches")),
            ("no_results", _("No result")),
            ("few_results", _("Few results")),
            ("weeks", _("Weeks searched")),
        ),
        _unmet,
    ),
    "viewed-not-bought": Table(
        _("Viewed but not bought"),
        (
            ("title", _("Product")),
            ("workshop__lapas__name", _("Lapas")),
            ("views", _("Views")),
            ("baskets", _("Baskets")),
            ("price", _("Price (Rp)")),
        ),
        _viewed,
    ),
    "funnel": Table(
        _("Views, baskets and orders per product"),
        (
            ("title", _("Product")),
            ("workshop__lapas__name", _("Lapas")),
            ("views", _("Views")),
            ("baskets", _("Baskets")),
            ("basket_rate", _("Views to baskets (%)")),
            ("orders", _("Orders")),
            ("order_rate", _("Baskets to orders (%)")),
            ("units", _("Units sold")),
            ("revenue", _("Sales (Rp)")),
        ),
        _funnel,
    ),
    "batches": Table(
        _("Batches: sell-through and margin"),
        (
            ("code", _("Batch")),
            ("product__title", _("Product")),
            ("workshop__name", _("Workshop")),
            ("made", _("Made")),
            ("sold", _("Sold")),
            ("sell_through", _("Sell-through (%)")),
            ("days_to_sell_out", _("Days to sell out")),
            ("unit_cost", _("Materials a unit (Rp)")),
            ("unit_price", _("Price a unit (Rp)")),
            ("margin_pct", _("Margin (%)")),
            ("margin", _("Sales less materials (Rp)")),
        ),
        _batches,
    ),
    "stock-outs": Table(
        _("Sold out: demand lost"),
        (
            ("title", _("Product")),
            ("workshop__name", _("Workshop")),
            ("days", _("Days sold out")),
            ("views_since", _("Views while sold out")),
            ("lost_units", _("Units lost (estimate)")),
            ("lost_revenue", _("Sales lost (Rp, estimate)")),
        ),
        _stock_outs,
    ),
    "channels": Table(
        _("Sales by channel"),
        (("label", _("Channel")), ("orders", _("Orders")), ("revenue", _("Sales (Rp)"))),
        lambda scope, workshop: selectors.buyers_by_channel(scope),
    ),
    "provinces": Table(
        _("Online sales by buyer province"),
        (("province", _("Province")), ("orders", _("Orders")), ("revenue", _("Sales (Rp)"))),
        lambda scope, workshop: selectors.buyers_by_province(scope),
    ),
    "segments": Table(
        _("Sales by buyer segment"),
        (("segment", _("Segment")), ("units", _("Units")), ("revenue", _("Sales (Rp)"))),
        lambda scope, workshop: selectors.buyers_by_segment(scope),
    ),
}

# A spreadsheet runs a cell that starts with one of these as a formula: search words are
# typed by anyone, so such a cell is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value if not hasattr(value, "isoformat") else value.isoformat()


def table_csv(table: Table, rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for _key, label in table.columns])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _label in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
