"""A region's consolidated report: the approved reports its Lapas submitted and the region
acknowledged, added up into one for the directorate.

The figures are the frozen figures of those reports (what each Kalapas signed), never the
live ledger: the consolidation says exactly what was reported. Amounts and counts are
sums; a percentage is worked out again from its summed parts (a mean of percentages
would weigh a small Lapas like a large one). The Lapas whose report is missing or not yet
acknowledged are listed, so the directorate sees what the total leaves out.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..reports.layouts import (
    DECIMAL,
    INT,
    LAYOUTS,
    MONEY,
    PERCENT,
    Column,
    Layout,
    Table,
    figures_revive,
)
from ..reports.periods import Period
from .models import ReportSubmission
from .regions import lapas_of_region

SUMMED = (INT, MONEY, DECIMAL)
# A percentage of the summary from its parts: key → (part, whole) where whole may be a
# tuple of keys to add.
RATES = {
    "qc_failure_rate": ("qc_failed", ("qc_inspected",)),
    "sell_through": ("units_sold", ("units_sold", "stock_on_hand")),
}


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def summary_sum(summaries: list[dict], columns) -> dict:
    """The summary lines of several reports added up (percentages from their parts)."""
    total = {}
    for column in columns:
        if column.kind in SUMMED:
            total[column.key] = sum((Decimal(s.get(column.key) or 0) for s in summaries), 0)
            if column.kind == INT:
                total[column.key] = int(total[column.key])
    for column in columns:
        if column.kind == PERCENT:
            part, whole = RATES.get(column.key, (None, ()))
            if part in total and all(key in total for key in whole):
                total[column.key] = _percent(total[part], sum(total[key] for key in whole))
            else:
                total[column.key] = None
    return total


def consolidated_layout(kind: str) -> Layout:
    base = LAYOUTS[kind]
    return Layout(
        title=gettext_lazy("Consolidated report of the region"),
        summary=base.summary,
        tables=(
            Table(
                "by_lapas",
                gettext_lazy("By Lapas (acknowledged reports)"),
                (
                    Column("lapas", gettext_lazy("Lapas")),
                    Column("satker_code", gettext_lazy("Satker code")),
                    *base.summary,
                ),
            ),
            Table(
                "not_included",
                gettext_lazy("Not included"),
                (Column("lapas", gettext_lazy("Lapas")), Column("status", gettext_lazy("Status"))),
                note=gettext_lazy(
                    "Lapas whose report for the period the region has not acknowledged."
                ),
            ),
        ),
    )


@dataclass
class ConsolidatedView:
    region: object
    period: Period
    layout: Layout
    figures: dict
    reports: list = field(default_factory=list)
    approved = None
    lapas = None

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def title(self) -> str:
        return f"{self.layout.title} – {self.region.name} – {self.period.label}"

    @property
    def filename_stem(self) -> str:
        return f"laporan-konsolidasi-{self.region.pk}-{self.kind}-{self.period.key}"

    @property
    def meta(self) -> list[tuple[str, str]]:
        return [
            (_("Region (Kanwil)"), self.region.name),
            (_("Province"), self.region.province),
            (
                _("Period"),
                f"{formats.date_format(self.period.start, 'j F Y')} – "
                f"{formats.date_format(self.period.end, 'j F Y')}",
            ),
            (
                _("Reports included"),
                _("%(included)d of %(all)d Lapas")
                % {"included": len(self.reports), "all": self.figures["lapas_count"]},
            ),
            (
                _("Made on"),
                formats.date_format(timezone.localtime(timezone.now()), "j F Y H:i"),
            ),
        ]


def region_consolidate(*, region, period: Period) -> ConsolidatedView:
    """One report of the region for the period from its acknowledged reports."""
    from .selectors import report_status_label

    layout = consolidated_layout(period.kind)
    submissions = list(
        ReportSubmission.objects.filter(
            region=region,
            report__kind=period.kind,
            report__period_start=period.start,
            report__lapas__region_link__region=region,
        )
        .select_related("report__lapas")
        .order_by("report__lapas__name")
    )
    acknowledged = [s for s in submissions if s.status == ReportSubmission.Status.ACKNOWLEDGED]
    statuses = {s.report.lapas_id: s.status for s in submissions}
    rows, summaries = [], []
    for submission in acknowledged:
        report = submission.report
        summary = figures_revive(report.figures)["summary"]
        summaries.append(summary)
        rows.append(
            {"lapas": report.lapas.name, "satker_code": report.lapas.satker_code or "", **summary}
        )
    total = summary_sum(summaries, layout.summary)
    region_lapas = list(lapas_of_region(region))
    missing = [
        {"lapas": p.name, "status": report_status_label(statuses.get(p.pk, "missing"))}
        for p in region_lapas
        if statuses.get(p.pk) != ReportSubmission.Status.ACKNOWLEDGED
    ]
    figures = {
        "kind": period.kind,
        "period": period.key,
        "lapas": None,
        "lapas_count": len(region_lapas),
        "summary": total,
        "tables": {
            "by_lapas": {"rows": rows, "total": total},
            "not_included": {"rows": missing, "total": None},
        },
    }
    return ConsolidatedView(
        region=region,
        period=period,
        layout=layout,
        figures=figures,
        reports=[s.report for s in acknowledged],
    )
