"""What each report shows and how: its summary lines and tables, column by column.

Figures (see selectors) hold only keys and values, never labels, so an approved report
frozen in Indonesian reads in English for an English reader. The layout gives every column
its label and its kind, which tells the exports how to write a value (a number in XLSX,
rupiah in the PDF) and tells ``figures_revive`` which JSON strings are Decimals.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from .periods import MONTHLY, QUARTERLY, SEMESTER, YEARLY

TEXT, INT, MONEY, PERCENT, DECIMAL, DATE, CHANNEL, MONTH = (
    "text",
    "int",
    "money",
    "percent",
    "decimal",
    "date",
    "channel",
    "month",
)
NUMERIC = {INT, MONEY, PERCENT, DECIMAL}
# Codes stored in the figures, shown by their label in the reader's language.
ROLE, FOLLOW_UP_STATUS = "role", "follow_up_status"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    note: str = ""


@dataclass(frozen=True)
class Layout:
    title: str
    summary: tuple[Column, ...]
    tables: tuple[Table, ...]


def C(key, label, kind=TEXT):  # noqa: N802 - a short constructor keeps the tables readable
    return Column(key, label, kind)


MONEY_FLOW = (
    C("sales", _("Sales"), MONEY),
    C("reversals", _("Refund reversals"), MONEY),
    C("net", _("Net received"), MONEY),
    C("deposited", _("Deposited (NTPN)"), MONEY),
    C("outstanding", _("Outstanding"), MONEY),
)

MONTHLY_LAYOUT = Layout(
    title=_("Monthly PNBP report"),
    summary=(
        C("entries", _("Ledger entries"), INT),
        C("sales", _("Sales received"), MONEY),
        C("reversals", _("Refund reversals"), MONEY),
        C("net", _("Net received"), MONEY),
        C("deposited", _("Deposited with NTPN"), MONEY),
        C("pending", _("In a deposit awaiting its NTPN"), MONEY),
        C("outstanding", _("Outstanding (not yet deposited)"), MONEY),
        C("pnbp", _("Share: PNBP"), MONEY),
        C("premi", _("Share: inmates' wage pool (premi)"), MONEY),
        C("working_capital", _("Share: working capital"), MONEY),
        C("programme", _("Share: programme"), MONEY),
        C("deposits_paid", _("Deposits paid in the month"), MONEY),
    ),
    tables=(
        Table(
            "by_lapas",
            _("By Lapas"),
            (C("lapas", _("Lapas")), C("satker_code", _("Satker code")), *MONEY_FLOW),
        ),
        Table(
            "by_account", _("By revenue account"), (C("account_code", _("Account")), *MONEY_FLOW)
        ),
        Table(
            "by_channel", _("By sales channel"), (C("channel", _("Channel"), CHANNEL), *MONEY_FLOW)
        ),
        Table(
            "deposits",
            _("Deposits paid in the month"),
            (
                C("paid_on", _("Paid on"), DATE),
                C("lapas", _("Lapas")),
                C("billing_code", _("Billing code")),
                C("ntpn", _("NTPN")),
                C("entries", _("Entries"), INT),
                C("amount", _("Amount"), MONEY),
            ),
            note=_("May include entries received in earlier months."),
        ),
    ),
)

MONEV_SUMMARY = (
    C("batches", _("Batches produced"), INT),
    C("units_produced", _("Units produced"), INT),
    C("qc_inspected", _("Batches inspected"), INT),
    C("qc_failed", _("Batches failing QC"), INT),
    C("qc_failure_rate", _("QC failure rate (%)"), PERCENT),
    C("units_sold", _("Units sold (net of refunds)"), INT),
    C("revenue", _("Revenue (net)"), MONEY),
    C("stock_on_hand", _("Units in stock now"), INT),
    C("sell_through", _("Sell-through (%)"), PERCENT),
    C("premi", _("Wage pool (premi)"), MONEY),
)
SALES_COLUMNS = (C("units_sold", _("Units sold"), INT), C("revenue", _("Revenue"), MONEY))

MONEV_LAYOUT = Layout(
    title=_("Monitoring and evaluation report"),
    summary=MONEV_SUMMARY,
    tables=(
        Table(
            "by_workshop",
            _("By workshop"),
            (
                C("lapas", _("Lapas")),
                C("workshop", _("Workshop")),
                C("category", _("Field of work")),
                C("batches", _("Batches"), INT),
                C("units_produced", _("Units produced"), INT),
                C("labour_hours", _("Labour hours"), DECIMAL),
                C("qc_failure_rate", _("QC failure (%)"), PERCENT),
                *SALES_COLUMNS,
                C("stock_on_hand", _("In stock"), INT),
                C("sell_through", _("Sell-through (%)"), PERCENT),
                C("premi", _("Wage pool (premi)"), MONEY),
            ),
        ),
        Table(
            "by_category",
            _("By field of work"),
            (
                C("category", _("Field of work")),
                C("batches", _("Batches"), INT),
                C("units_produced", _("Units produced"), INT),
                *SALES_COLUMNS,
                C("stock_on_hand", _("In stock"), INT),
                C("sell_through", _("Sell-through (%)"), PERCENT),
            ),
        ),
        Table(
            "by_segment",
            _("By buyer segment"),
            (C("segment", _("Segment")), *SALES_COLUMNS),
            note=_("A product marketed to several segments counts in each of them."),
        ),
        Table(
            "by_channel",
            _("By sales channel"),
            (C("channel", _("Channel"), CHANNEL), *SALES_COLUMNS),
        ),
        Table(
            "by_batch",
            _("Sales and wage pool (premi) by batch"),
            (
                C("batch", _("Batch")),
                C("workshop", _("Workshop")),
                C("product", _("Product")),
                *SALES_COLUMNS,
                C("premi", _("Wage pool (premi)"), MONEY),
            ),
            note=_("The wage pool is reported per workshop and batch, never per person."),
        ),
        Table(
            "qc_by_item",
            _("QC failures by checklist item"),
            (
                C("item", _("Checklist item")),
                C("source", _("Rule it comes from")),
                C("inspected", _("Inspected"), INT),
                C("failed", _("Failed"), INT),
                C("failure_rate", _("Failure rate (%)"), PERCENT),
            ),
            note=_("Every inspection round of the batches produced in the period counts."),
        ),
        # Courses run by the workshops (production_link.training): counts, never names.
        Table(
            "training",
            _("Training and certification"),
            (
                C("lapas", _("Lapas")),
                C("workshop", _("Workshop")),
                C("issuer", _("Issued by")),
                C("scheme", _("Certification scheme")),
                C("courses", _("Courses"), INT),
                C("participants", _("Participants"), INT),
                C("certified", _("Certificates issued"), INT),
            ),
            note=_("Courses that ended in the period, as counts: no participant is named."),
        ),
        # The yearly work programme and the monev instrument (production_link.programme).
        Table(
            "programme",
            _("Work programme: plan against actual, year to date"),
            (
                C("lapas", _("Lapas")),
                C("workshop", _("Workshop")),
                C("target_units", _("Target units"), INT),
                C("units_produced", _("Units produced"), INT),
                C("target_revenue", _("Target revenue"), MONEY),
                C("revenue", _("Revenue"), MONEY),
                C("budget", _("Budget (RAB)"), MONEY),
                C("costs", _("Materials cost of batches"), MONEY),
                C("pnbp_deposited", _("Deposited (NTPN)"), MONEY),
                C("milestones", _("Milestones done")),
            ),
            note=_("From 1 January to the end of the period."),
        ),
        Table(
            "monev_instrument",
            _("Monev instrument"),
            (
                C("indicator", _("Indicator")),
                C("score", _("Score (1–5)"), INT),
                C("answer", _("Answer")),
            ),
        ),
        Table("findings", _("Findings"), (C("finding", _("Finding")),)),
        Table(
            "follow_ups",
            _("Follow-up plan"),
            (
                C("action", _("Action")),
                C("owner_role", _("Owner"), ROLE),
                C("due_on", _("Due on"), DATE),
                C("status", _("Status"), FOLLOW_UP_STATUS),
                C("raised_in", _("Raised in")),
            ),
            note=_("Open follow-ups of earlier periods are carried into this one."),
        ),
    ),
)

YEARLY_LAYOUT = Layout(
    title=_("Yearly summary"),
    summary=(
        C("sales", _("Sales received"), MONEY),
        C("reversals", _("Refund reversals"), MONEY),
        C("net", _("Net received"), MONEY),
        C("deposited", _("Deposited with NTPN"), MONEY),
        C("outstanding", _("Outstanding (not yet deposited)"), MONEY),
        C("premi", _("Wage pool (premi)"), MONEY),
        C("batches", _("Batches produced"), INT),
        C("units_produced", _("Units produced"), INT),
        C("units_sold", _("Units sold (net of refunds)"), INT),
    ),
    tables=(
        Table(
            "by_month",
            _("By month"),
            (
                C("month", _("Month"), MONTH),
                *MONEY_FLOW,
                C("premi", _("Wage pool (premi)"), MONEY),
                C("batches", _("Batches"), INT),
                C("units_produced", _("Units produced"), INT),
                C("units_sold", _("Units sold"), INT),
            ),
        ),
        Table(
            "by_lapas",
            _("By Lapas"),
            (
                C("lapas", _("Lapas")),
                C("satker_code", _("Satker code")),
                *MONEY_FLOW,
                C("units_produced", _("Units produced"), INT),
                C("units_sold", _("Units sold"), INT),
            ),
        ),
        Table(
            "by_workshop",
            _("By workshop"),
            (
                C("lapas", _("Lapas")),
                C("workshop", _("Workshop")),
                C("batches", _("Batches"), INT),
                C("units_produced", _("Units produced"), INT),
                *SALES_COLUMNS,
                C("premi", _("Wage pool (premi)"), MONEY),
            ),
        ),
    ),
)

LAYOUTS = {
    MONTHLY: MONTHLY_LAYOUT,
    QUARTERLY: MONEV_LAYOUT,
    SEMESTER: MONEV_LAYOUT,
    YEARLY: YEARLY_LAYOUT,
}


def kind_label(kind: str) -> str:
    PnbpReport = get_model("production_link", "PnbpReport")
    return str(PnbpReport.Kind(kind).label)


def channel_label(code: str) -> str:
    Order = get_model("order", "Order")
    if code in Order.Channel.values:
        return str(Order.Channel(code).label)
    return code or "–"


def role_label(code: str) -> str:
    from shop.apps.core.roles import role_name

    return role_name(code) if code else "–"


def follow_up_status_label(code: str) -> str:
    FollowUp = get_model("programme", "FollowUp")
    if code in FollowUp.Status.values:
        return str(FollowUp.Status(code).label)
    return code or "–"


LABELS = {ROLE: role_label, FOLLOW_UP_STATUS: follow_up_status_label}


def columns_for(table: Table, figures: dict) -> tuple[Column, ...]:
    """A report of one Lapas has no Lapas column: every row would say the same."""
    if figures.get("lapas") is not None:
        return tuple(c for c in table.columns if c.key not in ("lapas", "satker_code"))
    return table.columns


def tables_for(layout: Layout, figures: dict):
    """(table, columns, data) for each table the figures hold, in layout order."""
    for table in layout.tables:
        data = figures["tables"].get(table.key)
        if data is not None:
            yield table, columns_for(table, figures), data


# --- JSON: frozen figures are stored as JSON; Decimals go in as strings and come back out.


def figures_jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: figures_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [figures_jsonable(v) for v in value]
    return value


def _revive_row(row: dict, columns) -> dict:
    kinds = {c.key: c.kind for c in columns}
    return {
        key: Decimal(value)
        if kinds.get(key) in (MONEY, PERCENT, DECIMAL) and value is not None
        else value
        for key, value in row.items()
    }


def figures_revive(figures: dict) -> dict:
    """Frozen (JSON) figures with their Decimals back, so they compare with live ones."""
    layout = LAYOUTS[figures["kind"]]
    revived = dict(figures)
    revived["summary"] = _revive_row(figures["summary"], layout.summary)
    tables = {}
    for table in layout.tables:
        data = figures["tables"].get(table.key)
        if data is None:
            continue
        tables[table.key] = {
            "rows": [_revive_row(row, table.columns) for row in data["rows"]],
            "total": _revive_row(data["total"], table.columns) if data.get("total") else None,
        }
    revived["tables"] = tables
    return revived


# --- Display


def rupiah(value) -> str:
    """Rp1.234.567 in Indonesian, Rp1,234,567 in English; negative as -Rp…."""
    if value is None:
        return "–"
    amount = Decimal(value)
    text = formats.number_format(abs(amount), 0, use_l10n=True, force_grouping=True)
    return f"-Rp{text}" if amount < 0 else f"Rp{text}"


def month_label(value: str) -> str:
    year, month = (int(part) for part in value.split("-"))
    return formats.date_format(datetime.date(year, month, 1), "F Y")


def display(column: Column, value) -> str:
    """A value as people read it: on the page and in the PDF."""
    if value is None:
        return "–"
    if column.kind == MONEY:
        return rupiah(value)
    if column.kind in (PERCENT, DECIMAL):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    if column.kind == INT:
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    if column.kind == DATE:
        return formats.date_format(datetime.date.fromisoformat(value), "d-m-Y")
    if column.kind == CHANNEL:
        return channel_label(value)
    if column.kind == MONTH:
        return month_label(value)
    if column.kind in LABELS:
        return LABELS[column.kind](value)
    return str(value)


def plain(column: Column, value):
    """A value for a spreadsheet: numbers stay numbers, codes become labels."""
    if value is None:
        return None
    if column.kind == MONEY:
        amount = Decimal(value)
        return int(amount) if amount == amount.to_integral_value() else float(amount)
    if column.kind in (PERCENT, DECIMAL):
        return float(value)
    if column.kind == INT:
        return int(value)
    if column.kind == DATE:
        return datetime.date.fromisoformat(value)
    if column.kind == CHANNEL:
        return channel_label(value)
    if column.kind == MONTH:
        return month_label(value)
    if column.kind in LABELS:
        return LABELS[column.kind](value)
    return str(value)
