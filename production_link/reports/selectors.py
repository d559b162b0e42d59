"""Report figures, read from the ledger and the production records. Reads only.

Every figure is an aggregate computed by the database: a report costs a handful of
queries whatever the number of entries (no Python loop over entries), which keeps the
monthly report of a busy Lapas fast. Python only arranges the grouped rows.

Definitions (the same on the page, in the exports, in the API):

- *Received* is the ledger: entries whose ``due_at`` (when the money was received) falls
  in the period, in Jakarta time. Sales and refund reversals are shown apart and net.
- *Deposited* is the part of those entries that sits in a deposit with an NTPN, whenever
  that deposit was paid (a report made on 5 November counts an October entry deposited
  on 1 November). *Outstanding* is received minus deposited. *Deposits paid in the month*
  lists the deposits whose NTPN payment date is in the month, which may hold entries of
  earlier months.
- *Units sold* and *revenue* come from the ledger lines (paid sales minus refund
  reversals, received in the period), not from allocations: the ledger is the record of
  money actually received, so an order placed but never paid never counts.
- *Batches produced* are batches with a production date in the period that went past
  planning (produced, through QC, released, sold out or recalled); *units produced* is
  their produced quantity. *QC failure rate* is batches failing QC over batches inspected.
- *Stock on hand* is what the batch stock holds now (recalled batches excluded): Karya
  keeps no stock history, so a report made (or approved) later shows the stock of then.
- *Sell-through* is units sold / (units sold + stock on hand), in per cent.
- *Field of work* is the workshop's place in the work-activity standard's classification
  (a catalogue category), so every unit counts once.
- The wage pool (premi) is reported per workshop and per batch, never per person.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..inputs import parse_id
from ..models import (
    Batch,
    BatchStock,
    Deposit,
    LedgerEntry,
    LedgerEntryLine,
    PnbpReport,
    Workshop,
)
from .layouts import LAYOUTS, display, figures_revive
from .periods import MONTHLY, QUARTERLY, SEMESTER, YEARLY, Period, period_containing

Partner = get_model("partner", "Partner")

FIGURES_VERSION = 1
DEPOSITED = Q(deposit_item__deposit__status=Deposit.Status.PAID)
PENDING = Q(deposit_item__deposit__status__in=[Deposit.Status.DRAFT, Deposit.Status.BILLED])
SALE = Q(kind=LedgerEntry.Kind.SALE)
REVERSAL = Q(kind=LedgerEntry.Kind.REVERSAL)


def _rp(value) -> Decimal:
    """Whole rupiah."""
    return Decimal(value or 0).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _int(value) -> int:
    return int(value or 0)


def _lapas_meta(lapas) -> dict | None:
    if lapas is None:
        return None
    return {"id": lapas.pk, "name": lapas.name, "satker_code": lapas.satker_code or ""}


def _only(row: dict, columns) -> dict:
    """A row holding exactly the columns of its table, so frozen rows revive exactly."""
    return {c.key: row.get(c.key) for c in columns}


def _table(kind: str, key: str, rows: list[dict], total: dict | None) -> dict:
    table = next(t for t in LAYOUTS[kind].tables if t.key == key)
    numeric = [c for c in table.columns if c.kind in ("int", "money", "percent", "decimal")]
    return {
        "rows": [_only(row, table.columns) for row in rows],
        "total": _only(total, numeric) if total is not None else None,
    }


def _figures(*, kind, lapas, period: Period, summary: dict, tables: dict) -> dict:
    return {
        "version": FIGURES_VERSION,
        "kind": kind,
        "period": period.key,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "due_on": period.due_on.isoformat() if period.due_on else None,
        "lapas": _lapas_meta(lapas),
        "summary": _only(summary, LAYOUTS[kind].summary),
        "tables": tables,
    }


# --- Ledger money


def _entries(*, lapas, period: Period):
    first, after = period.bounds()
    entries = LedgerEntry.objects.filter(due_at__gte=first, due_at__lt=after)
    if lapas is not None:
        entries = entries.filter(lapas=lapas)
    return entries


def _flow_aggregates() -> dict:
    return {
        "sales": Sum("gross", filter=SALE),
        "reversals": Sum("gross", filter=REVERSAL),
        "net": Sum("gross"),
        "deposited": Sum("gross", filter=DEPOSITED),
        "pending": Sum("gross", filter=PENDING),
    }


def _flow(row: dict) -> dict:
    values = {key: _rp(row.get(key)) for key in ("sales", "reversals", "net", "deposited")}
    values["pending"] = _rp(row.get("pending"))
    values["outstanding"] = values["net"] - values["deposited"]
    return values


def _lines(*, lapas, period: Period):
    first, after = period.bounds()
    lines = LedgerEntryLine.objects.filter(entry__due_at__gte=first, entry__due_at__lt=after)
    if lapas is not None:
        lines = lines.filter(entry__lapas=lapas)
    return lines


# A line written without its workshop still belongs to its batch's or product's workshop.
WORKSHOP_OF_LINE = Coalesce(
    "workshop_id",
    "batch__workshop_id",
    "line__product__workshop_id",
    output_field=models.IntegerField(),
)


SPLIT_AGGREGATES = {
    "entries": Count("pk"),
    "pnbp": Sum("pnbp_amount"),
    "premi": Sum("premi_amount"),
    "working_capital": Sum("working_capital_amount"),
    "programme": Sum("programme_amount"),
}


def _summed(rows: list[dict]) -> dict:
    """Grouped aggregate rows added up (a group without a matching row counts zero)."""
    return {
        key: sum((row[key] or 0 for row in rows), 0)
        for key in (*_flow_aggregates(), *SPLIT_AGGREGATES)
    }


def monthly_figures(*, lapas, period: Period) -> dict:
    entries = _entries(lapas=lapas, period=period)
    # One scan of the month's entries, grouped by account and channel (a handful of
    # rows); the totals and both tables are sums of those rows.
    grouped = list(
        entries.values("account_code", "channel")
        .annotate(**_flow_aggregates(), **SPLIT_AGGREGATES)
        .order_by("account_code", "channel")
    )
    by_account: dict[str, list[dict]] = {}
    by_channel: dict[str, list[dict]] = {}
    for row in grouped:
        by_account.setdefault(row["account_code"], []).append(row)
        by_channel.setdefault(row["channel"], []).append(row)
    totals = _summed(grouped)
    flow_total = _flow(totals)
    summary = {
        **flow_total,
        "entries": _int(totals["entries"]),
        **{k: _rp(totals[k]) for k in ("pnbp", "premi", "working_capital", "programme")},
    }

    deposits = Deposit.objects.filter(
        status=Deposit.Status.PAID, paid_on__gte=period.start, paid_on__lte=period.end
    )
    if lapas is not None:
        deposits = deposits.filter(lapas=lapas)
    deposit_rows = [
        {
            "paid_on": row["paid_on"].isoformat(),
            "lapas": row["lapas__name"],
            "billing_code": row["billing_code"],
            "ntpn": row["ntpn"],
            "entries": row["count"],
            "amount": _rp(row["amount"]),
        }
        for row in deposits.annotate(count=Count("items"))
        .values("paid_on", "lapas__name", "billing_code", "ntpn", "count", "amount")
        .order_by("paid_on", "pk")
    ]
    deposits_total = {
        "entries": sum(r["entries"] for r in deposit_rows),
        "amount": sum((r["amount"] for r in deposit_rows), Decimal("0")),
    }
    summary["deposits_paid"] = deposits_total["amount"]

    tables = {
        "by_account": _table(
            MONTHLY,
            "by_account",
            [
                {"account_code": code, **_flow(_summed(rows))}
                for code, rows in sorted(by_account.items())
            ],
            flow_total,
        ),
        "by_channel": _table(
            MONTHLY,
            "by_channel",
            [
                {"channel": channel, **_flow(_summed(rows))}
                for channel, rows in sorted(by_channel.items())
            ],
            flow_total,
        ),
        "deposits": _table(MONTHLY, "deposits", deposit_rows, deposits_total),
    }
    if lapas is None:
        tables["by_lapas"] = _table(
            MONTHLY,
            "by_lapas",
            [
                {
                    "lapas": row["lapas__name"],
                    "satker_code": row["lapas__satker_code"],
                    **_flow(row),
                }
                for row in entries.values("lapas_id", "lapas__name", "lapas__satker_code")
                .annotate(**_flow_aggregates())
                .order_by("lapas__name", "lapas_id")
            ],
            flow_total,
        )
    return _figures(kind=MONTHLY, lapas=lapas, period=period, summary=summary, tables=tables)


# --- Production and sales per workshop


@dataclass
class _WorkshopFigures:
    rows: list[dict]
    lines: object
    batches: object


def _workshop_figures(*, lapas, period: Period, with_stock: bool) -> _WorkshopFigures:
    """One row per workshop of the scope: produced, QC, sold, revenue, stock, premi."""
    batches = Batch.objects.filter(
        production_date__gte=period.start, production_date__lte=period.end
    ).exclude(status=Batch.Status.PLANNED)
    if lapas is not None:
        batches = batches.filter(workshop__lapas=lapas)
    produced = {
        row["workshop_id"]: row
        for row in batches.values("workshop_id")
        .annotate(
            batches=Count("pk"),
            units_produced=Sum("produced_quantity"),
            qc_inspected=Count("pk", filter=Q(qc_passed__isnull=False)),
            qc_failed=Count("pk", filter=Q(qc_passed=False)),
            labour_hours=Sum("labor_hours"),
        )
        .order_by()
    }
    lines = _lines(lapas=lapas, period=period)
    sold = {
        row["workshop_key"]: row
        for row in lines.annotate(workshop_key=WORKSHOP_OF_LINE)
        .values("workshop_key")
        .annotate(units_sold=Sum("quantity"), revenue=Sum("gross"), premi=Sum("premi_amount"))
        .order_by()
    }
    stock = {}
    if with_stock:
        held = BatchStock.objects.filter(quantity__gt=0).exclude(
            batch__status=Batch.Status.RECALLED
        )
        if lapas is not None:
            held = held.filter(batch__workshop__lapas=lapas)
        stock = {
            row["batch__workshop_id"]: row["units"]
            for row in held.values("batch__workshop_id").annotate(units=Sum("quantity")).order_by()
        }

    workshops = Workshop.objects.select_related("lapas", "field_of_work")
    in_scope = Q(is_active=True) if lapas is None else Q(is_active=True, lapas=lapas)
    workshops = workshops.filter(in_scope | Q(pk__in=set(produced) | set(sold) | set(stock)))
    rows = []
    for workshop in workshops.order_by("lapas__name", "name", "pk"):
        rows.append(
            _workshop_row(
                produced.get(workshop.pk, {}),
                sold.get(workshop.pk, {}),
                stock.get(workshop.pk, 0),
                lapas=workshop.lapas.name,
                workshop=workshop.name,
                category=workshop.field_of_work.name,
                category_id=workshop.field_of_work_id,
            )
        )
    if None in sold:  # sold lines no workshop can be found for
        rows.append(
            _workshop_row({}, sold[None], 0, lapas="", workshop="–", category="–", category_id=None)
        )
    return _WorkshopFigures(rows=rows, lines=lines, batches=batches)


def _workshop_row(produced: dict, sold: dict, stock: int, **names) -> dict:
    row = {
        **names,
        "batches": _int(produced.get("batches")),
        "units_produced": _int(produced.get("units_produced")),
        "labour_hours": Decimal(produced.get("labour_hours") or 0).quantize(Decimal("0.1")),
        "qc_inspected": _int(produced.get("qc_inspected")),
        "qc_failed": _int(produced.get("qc_failed")),
        "units_sold": _int(sold.get("units_sold")),
        "revenue": _rp(sold.get("revenue")),
        "premi": _rp(sold.get("premi")),
        "stock_on_hand": _int(stock),
    }
    return _with_rates(row)


def _with_rates(row: dict) -> dict:
    row["qc_failure_rate"] = _percent(row.get("qc_failed"), row.get("qc_inspected"))
    row["sell_through"] = _percent(row["units_sold"], row["units_sold"] + row["stock_on_hand"])
    return row


SUMMED = (
    "batches",
    "units_produced",
    "labour_hours",
    "qc_inspected",
    "qc_failed",
    "units_sold",
    "revenue",
    "premi",
    "stock_on_hand",
)


def _sum_rows(rows: list[dict]) -> dict:
    total = {key: sum((row[key] for row in rows), 0) for key in SUMMED}
    total["revenue"] = _rp(total["revenue"])
    total["premi"] = _rp(total["premi"])
    total["labour_hours"] = Decimal(total["labour_hours"]).quantize(Decimal("0.1"))
    return _with_rates(total)


def monev_figures(*, lapas, period: Period) -> dict:
    kind = period.kind
    found = _workshop_figures(lapas=lapas, period=period, with_stock=True)
    rows = found.rows
    total = _sum_rows(rows)

    categories: dict = {}
    for row in rows:
        categories.setdefault((row["category"], row["category_id"]), []).append(row)
    by_category = [
        {"category": name, **_sum_rows(group)}
        for (name, _pk), group in sorted(categories.items(), key=lambda item: item[0][0])
    ]
    sales = {"units_sold": Sum("quantity"), "revenue": Sum("gross")}
    by_segment = [
        {
            "segment": row["line__product__segments__name"],
            "units_sold": _int(row["units_sold"]),
            "revenue": _rp(row["revenue"]),
        }
        for row in found.lines.values("line__product__segments__name")
        .annotate(**sales)
        .order_by("line__product__segments__name")
    ]
    by_channel = [
        {
            "channel": row["entry__channel"],
            "units_sold": _int(row["units_sold"]),
            "revenue": _rp(row["revenue"]),
        }
        for row in found.lines.values("entry__channel").annotate(**sales).order_by("entry__channel")
    ]
    by_batch = [
        {
            "batch": row["batch__code"],
            "workshop": row["batch__workshop__name"],
            "product": row["batch__product__title"],
            "units_sold": _int(row["units_sold"]),
            "revenue": _rp(row["revenue"]),
            "premi": _rp(row["premi"]),
        }
        for row in found.lines.filter(batch__isnull=False)
        .values("batch_id", "batch__code", "batch__workshop__name", "batch__product__title")
        .annotate(**sales, premi=Sum("premi_amount"))
        .order_by("batch__code")
    ]
    batch_total = {
        "units_sold": sum(r["units_sold"] for r in by_batch),
        "revenue": sum((r["revenue"] for r in by_batch), Decimal("0")),
        "premi": sum((r["premi"] for r in by_batch), Decimal("0")),
    }
    sales_total = {"units_sold": total["units_sold"], "revenue": total["revenue"]}
    tables = {
        "by_workshop": _table(kind, "by_workshop", rows, total),
        "by_category": _table(kind, "by_category", by_category, total),
        # Segments overlap (a product may target several), so their rows have no total.
        "by_segment": _table(kind, "by_segment", by_segment, None),
        "by_channel": _table(kind, "by_channel", by_channel, sales_total),
        "by_batch": _table(kind, "by_batch", by_batch, batch_total),
        "qc_by_item": _table(kind, "qc_by_item", _qc_by_item(lapas=lapas, period=period), None),
        "training": _table(kind, "training", *_training(lapas=lapas, period=period)),
    }
    # The work programme against actual, and the monev instrument, findings and follow-ups.
    from ..programme.selectors import monev_report_tables

    for key, found_rows in monev_report_tables(lapas=lapas, period=period).items():
        tables[key] = _table(kind, key, found_rows, None)
    return _figures(kind=kind, lapas=lapas, period=period, summary=total, tables=tables)


def _training(*, lapas, period: Period) -> tuple[list[dict], dict]:
    from ..training.selectors import training_report_rows

    rows = training_report_rows(lapas=lapas, start=period.start, end=period.end)
    keys = ("courses", "participants", "certified")
    return rows, {key: sum(row[key] for row in rows) for key in keys}


def _qc_by_item(*, lapas, period: Period) -> list[dict]:
    from ..qc.selectors import qc_failure_rates_by_item

    rows = qc_failure_rates_by_item(lapas=lapas, start=period.start, end=period.end)
    return [{**row, "failure_rate": _percent(row["failed"], row["inspected"])} for row in rows]


# --- Yearly summary


def _months(period: Period) -> list[tuple[str, Period]]:
    return [
        (
            f"{period.start.year}-{month:02d}",
            period_containing(MONTHLY, period.start.replace(month=month)),
        )
        for month in range(1, 13)
    ]


MONTH_MONEY = {
    "sales": ("gross", SALE),
    "reversals": ("gross", REVERSAL),
    "net": ("gross", None),
    "deposited": ("gross", DEPOSITED),
    "pending": ("gross", PENDING),
    "premi": ("premi_amount", None),
}


def yearly_figures(*, lapas, period: Period) -> dict:
    """Month by month in one scan per source: conditional sums over the year's rows (the
    same SQL on PostgreSQL and SQLite, no per-row date truncation)."""
    months = _months(period)
    money_aggregates, sold_aggregates, made_aggregates = {}, {}, {}
    for index, (_key, month) in enumerate(months):
        first, after = month.bounds()
        in_month = Q(due_at__gte=first, due_at__lt=after)
        for name, (column, condition) in MONTH_MONEY.items():
            money_aggregates[f"{name}_{index}"] = Sum(
                column, filter=in_month & condition if condition is not None else in_month
            )
        sold_aggregates[f"units_sold_{index}"] = Sum(
            "quantity", filter=Q(entry__due_at__gte=first, entry__due_at__lt=after)
        )
        made = Q(production_date__gte=month.start, production_date__lte=month.end)
        made_aggregates[f"batches_{index}"] = Count("pk", filter=made)
        made_aggregates[f"units_produced_{index}"] = Sum("produced_quantity", filter=made)
    entries = _entries(lapas=lapas, period=period)
    money = entries.aggregate(**money_aggregates)
    found = _workshop_figures(lapas=lapas, period=period, with_stock=False)
    sold = found.lines.aggregate(**sold_aggregates)
    made = found.batches.aggregate(**made_aggregates)

    by_month = []
    for index, (key, _month) in enumerate(months):
        row = {name: money[f"{name}_{index}"] for name in MONTH_MONEY}
        by_month.append(
            {
                "month": key,
                **_flow(row),
                "premi": _rp(row["premi"]),
                "batches": _int(made[f"batches_{index}"]),
                "units_produced": _int(made[f"units_produced_{index}"]),
                "units_sold": _int(sold[f"units_sold_{index}"]),
            }
        )
    summed = ("sales", "reversals", "net", "deposited", "outstanding", "premi")
    summed += ("batches", "units_produced", "units_sold")
    summary = {key: sum((row[key] for row in by_month), 0) for key in summed}
    for key in ("sales", "reversals", "net", "deposited", "outstanding", "premi"):
        summary[key] = _rp(summary[key])

    workshops = [row for row in found.rows if row["batches"] or row["units_sold"] or row["revenue"]]
    tables = {
        "by_month": _table(YEARLY, "by_month", by_month, summary),
        "by_workshop": _table(YEARLY, "by_workshop", workshops, _sum_rows(workshops)),
    }
    if lapas is None:
        tables["by_lapas"] = _table(YEARLY, "by_lapas", _yearly_lapas_rows(entries, found), summary)
    return _figures(
        kind=YEARLY,
        lapas=lapas,
        period=period,
        summary=summary,
        tables=tables,
    )


def _yearly_lapas_rows(entries, found: _WorkshopFigures) -> list[dict]:
    money = {
        row["lapas_id"]: row
        for row in entries.values("lapas_id").annotate(**_flow_aggregates()).order_by()
    }
    made = {
        row["workshop__lapas_id"]: row["units"]
        for row in found.batches.values("workshop__lapas_id")
        .annotate(units=Sum("produced_quantity"))
        .order_by()
    }
    sold = {
        row["entry__lapas_id"]: row["units"]
        for row in found.lines.values("entry__lapas_id").annotate(units=Sum("quantity")).order_by()
    }
    ids = set(money) | set(made) | set(sold)
    return [
        {
            "lapas": partner.name,
            "satker_code": partner.satker_code or "",
            **_flow(money.get(partner.pk, {})),
            "units_produced": _int(made.get(partner.pk)),
            "units_sold": _int(sold.get(partner.pk)),
        }
        for partner in Partner.objects.filter(pk__in=ids).order_by("name", "pk")
    ]


FIGURES = {
    MONTHLY: monthly_figures,
    QUARTERLY: monev_figures,
    SEMESTER: monev_figures,
    YEARLY: yearly_figures,
}


def report_figures(*, lapas, period: Period) -> dict:
    """The live figures of a report: ``lapas`` None for all Lapas together."""
    return FIGURES[period.kind](lapas=lapas, period=period)


# --- A report as people see it: frozen when approved, live otherwise


@dataclass
class ReportView:
    period: Period
    lapas: object  # a Partner, or None for all Lapas
    figures: dict
    approved: PnbpReport | None = None
    live: dict | None = None
    # (label, approved value, live value) of each summary line that changed since approval
    differences: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def live_differs(self) -> bool:
        return self.live is not None and self.live != self.figures

    @property
    def approved_by_name(self) -> str:
        if self.approved is None:
            return ""
        user = self.approved.approved_by
        return user.get_full_name() or user.get_username()


def report_approved(*, lapas, period: Period) -> PnbpReport | None:
    return (
        PnbpReport.objects.select_related("approved_by")
        .filter(lapas=lapas, kind=period.kind, period_start=period.start)
        .first()
    )


def report_read(*, lapas, period: Period) -> ReportView:
    """The report to show or export: the frozen figures once approved, with the live ones
    beside them so a late change (a refund reversal after approval) shows as a notice."""
    live = report_figures(lapas=lapas, period=period)
    approved = report_approved(lapas=lapas, period=period)
    if approved is None:
        return ReportView(period=period, lapas=lapas, figures=live)
    frozen = figures_revive(approved.figures)
    # A table added to the layout after approval (QC failures by item) is not a change
    # of the approved figures.
    live["tables"] = {key: t for key, t in live["tables"].items() if key in frozen["tables"]}
    differences = [
        (
            str(column.label),
            display(column, frozen["summary"].get(column.key)),
            display(column, live["summary"].get(column.key)),
        )
        for column in LAYOUTS[period.kind].summary
        if frozen["summary"].get(column.key) != live["summary"].get(column.key)
    ]
    return ReportView(
        period=period,
        lapas=lapas,
        figures=frozen,
        approved=approved,
        live=live,
        differences=differences,
    )


# --- Who may see and approve


def user_may_see_reports(user) -> bool:
    """Treasurers, heads of Lapas and central admins; never workshop staff or cashiers."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("production_link.view_pnbpreport")
    )


def report_lapas_for_user(user):
    """The Lapas whose reports a user may see (a regional officer: those of their region)."""
    from ..programme.regions import lapas_visible_to

    if not user_may_see_reports(user):
        return Partner.objects.none()
    return lapas_visible_to(user).order_by("name")


def user_may_see_report(*, user, lapas) -> bool:
    if lapas is None:  # all Lapas together: central staff only
        return user.is_authenticated and user.is_superuser
    return report_lapas_for_user(user).filter(pk=lapas.pk).exists()


def user_may_approve_report(*, user, lapas) -> bool:
    """The head (Kalapas) of that very Lapas; central admins for the national report."""
    if not user.is_authenticated:
        return False
    if lapas is None:
        return user.is_superuser
    return (
        user.has_perm("production_link.approve_pnbpreport")
        and lapas.users.filter(pk=user.pk).exists()
    )


def reports_approved_for_user(user, *, limit: int = 50):
    """Approved reports the user may see, newest period first."""
    reports = PnbpReport.objects.select_related("lapas", "approved_by")
    if not user.is_superuser:
        reports = reports.filter(lapas__in=report_lapas_for_user(user))
    return reports.order_by("-period_start", "kind", "lapas__name")[:limit]


ALL_LAPAS = "all"


def report_scope_for_user(*, user, lapas: str = ""):
    """The Lapas a request names (its id, or "all" for every Lapas together), checked
    against what the user may see. Without one, a user of a single Lapas gets theirs and
    a central admin gets all Lapas.

    Raises ValidationError (naming the field ``lapas``) for an unknown value and
    PermissionDenied for a Lapas the user may not see.
    """
    if not user_may_see_reports(user):
        raise PermissionDenied(
            _("Reports are for the treasurer and the head of a Lapas, and for central admins.")
        )
    value = (lapas or "").strip().lower()
    if not value:
        if user.is_superuser:
            return None
        own = list(report_lapas_for_user(user)[:2])
        if len(own) == 1:
            return own[0]
        raise ValidationError({"lapas": _("Choose the Lapas of the report.")})
    if value == ALL_LAPAS:
        scope = None
    else:
        lapas_id = parse_id(value)
        scope = Partner.objects.filter(pk=lapas_id).first() if lapas_id else None
        if scope is None:
            raise ValidationError({"lapas": _("There is no Lapas %(value)s.") % {"value": lapas}})
    if not user_may_see_report(user=user, lapas=scope):
        if scope is None:
            raise PermissionDenied(_("Only central admins see the report of all Lapas."))
        raise PermissionDenied(_("You may see the reports of your own Lapas only."))
    return scope
