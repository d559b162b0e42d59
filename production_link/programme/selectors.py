"""Reads of the work programme, the monev and the regional office.

Plan against actual: the plan is what the Kalapas stored; the actual side is read live
from batches and the PNBP ledger with the report selectors' own definitions (batches past
planning by production date; units sold and revenue from the ledger lines, net of refund
reversals; deposited = in a deposit with an NTPN), aggregated in the database: a few
grouped queries for any number of programmes.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..models import Batch, Deposit, LedgerEntryLine, PnbpReport
from ..reports.periods import QUARTERLY, SEMESTER, YEARLY, Period, period_containing
from ..selectors import lapas_for_user
from .models import (
    BudgetLine,
    FollowUp,
    Indicator,
    Milestone,
    MonevAnswer,
    MonevAssessment,
    Programme,
    Region,
    ReportSubmission,
)
from .regions import lapas_of_region, lapas_visible_to, region_of_user, regions_visible_to

Partner = get_model("partner", "Partner")

MONEV_KINDS = (QUARTERLY, SEMESTER)


def _rp(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


# --- Programmes


def programmes_visible_to(user):
    """Programmes of the Lapas a user may read (a regional officer: their region's)."""
    return Programme.objects.filter(workshop__lapas__in=lapas_visible_to(user)).select_related(
        "workshop__lapas"
    )


def programme_for_user(*, user, pk) -> Programme | None:
    return programmes_visible_to(user).filter(pk=pk).first()


def user_may_edit_programme(*, user, workshop) -> bool:
    """The Kalapas of the workshop's Lapas (or a central admin); nobody of a region."""
    return user.has_perm("programme.change_programme") and (
        lapas_for_user(user).filter(pk=workshop.lapas_id).exists()
    )


def workshop_actuals(*, workshop_ids, start: datetime.date, end: datetime.date) -> dict:
    """Actual figures per workshop between two dates (inclusive), three grouped queries."""
    from ..reports.selectors import WORKSHOP_OF_LINE

    ids = list(workshop_ids)
    result = {
        pk: {
            "batches": 0,
            "units_produced": 0,
            "costs": Decimal("0"),
            "units_sold": 0,
            "revenue": Decimal("0"),
            "pnbp_deposited": Decimal("0"),
        }
        for pk in ids
    }
    if not ids:
        return result
    batches = (
        Batch.objects.filter(
            workshop_id__in=ids, production_date__gte=start, production_date__lte=end
        )
        .exclude(status=Batch.Status.PLANNED)
        .values("workshop_id")
        .annotate(
            batches=Count("pk"),
            units_produced=Sum("produced_quantity"),
            costs=Sum("materials_cost"),
        )
        .order_by()
    )
    for row in batches:
        result[row["workshop_id"]].update(
            batches=row["batches"],
            units_produced=int(row["units_produced"] or 0),
            costs=_rp(row["costs"]),
        )
    period = Period(kind=YEARLY, start=start, end=end)
    first, after = period.bounds()
    # The report selectors' "deposited": in a deposit with an NTPN.
    deposited = Q(entry__deposit_item__deposit__status=Deposit.Status.PAID)
    sold = (
        LedgerEntryLine.objects.filter(entry__due_at__gte=first, entry__due_at__lt=after)
        .annotate(workshop_key=WORKSHOP_OF_LINE)
        .filter(workshop_key__in=ids)
        .values("workshop_key")
        .annotate(
            units_sold=Sum("quantity"),
            revenue=Sum("gross"),
            pnbp_deposited=Sum("gross", filter=deposited),
        )
        .order_by()
    )
    for row in sold:
        result[row["workshop_key"]].update(
            units_sold=int(row["units_sold"] or 0),
            revenue=_rp(row["revenue"]),
            pnbp_deposited=_rp(row["pnbp_deposited"]),
        )
    return result


@dataclass
class PlanActual:
    programme: Programme
    until: datetime.date
    budget: Decimal
    budget_by_source: dict
    milestones: int
    milestones_done: int
    milestones_overdue: int
    actual: dict = field(default_factory=dict)

    @property
    def units_progress(self):
        return _percent(self.actual["units_produced"], self.programme.target_units)

    @property
    def revenue_progress(self):
        return _percent(self.actual["revenue"], self.programme.target_revenue)

    @property
    def budget_used(self):
        return _percent(self.actual["costs"], self.budget)


def plan_against_actual(programmes, *, until: datetime.date | None = None) -> list[PlanActual]:
    """Each programme with its actual figures from 1 January of its year to ``until``
    (default today, at most 31 December). Queries do not grow with the programmes."""
    programmes = list(programmes)
    if not programmes:
        return []
    today = timezone.localdate()
    until = until or today
    ids = [p.pk for p in programmes]
    budgets: dict = {}
    for row in (
        BudgetLine.objects.filter(programme_id__in=ids)
        .values("programme_id", "funding_source")
        .annotate(total=Sum("total"))
        .order_by()
    ):
        budgets.setdefault(row["programme_id"], {})[row["funding_source"]] = _rp(row["total"])
    milestones = {
        row["programme_id"]: row
        for row in Milestone.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            overdue=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
        )
        .order_by()
    }
    by_year: dict = {}
    for programme in programmes:
        by_year.setdefault(programme.year, []).append(programme)
    actuals: dict = {}
    for year, group in by_year.items():
        end = min(until, datetime.date(year, 12, 31))
        actuals[year] = workshop_actuals(
            workshop_ids={p.workshop_id for p in group}, start=datetime.date(year, 1, 1), end=end
        )
    rows = []
    for programme in programmes:
        sources = budgets.get(programme.pk, {})
        stones = milestones.get(programme.pk, {})
        rows.append(
            PlanActual(
                programme=programme,
                until=min(until, datetime.date(programme.year, 12, 31)),
                budget=sum(sources.values(), Decimal("0")),
                budget_by_source=sources,
                milestones=stones.get("total", 0),
                milestones_done=stones.get("done", 0),
                milestones_overdue=stones.get("overdue", 0),
                actual=actuals[programme.year][programme.workshop_id],
            )
        )
    return rows


def programme_report_rows(*, lapas, period: Period) -> list[dict]:
    """Plan against actual from the start of the year to the end of a report's period,
    one row per programme of the scope's workshops for that year (the monev report)."""
    programmes = Programme.objects.filter(year=period.start.year).select_related("workshop__lapas")
    if lapas is not None:
        programmes = programmes.filter(workshop__lapas=lapas)
    rows = []
    for found in plan_against_actual(
        programmes.order_by("workshop__lapas__name", "workshop__name"), until=period.end
    ):
        programme = found.programme
        rows.append(
            {
                "lapas": programme.workshop.lapas.name,
                "workshop": programme.workshop.name,
                "target_units": programme.target_units,
                "units_produced": found.actual["units_produced"],
                "target_revenue": _rp(programme.target_revenue),
                "revenue": found.actual["revenue"],
                "budget": found.budget,
                "costs": found.actual["costs"],
                "pnbp_deposited": found.actual["pnbp_deposited"],
                "milestones": f"{found.milestones_done}/{found.milestones}",
            }
        )
    return rows


# --- Monev


def user_may_edit_monev(*, user, lapas) -> bool:
    """The Kalapas of that Lapas (or a central admin); never a regional officer."""
    return user.has_perm("programme.change_monevassessment") and (
        lapas_for_user(user).filter(pk=lapas.pk).exists()
    )


def indicators_active():
    return Indicator.objects.filter(is_active=True).order_by("position", "code")


def monev_assessment(*, lapas, period: Period) -> MonevAssessment | None:
    return MonevAssessment.objects.filter(
        lapas=lapas, kind=period.kind, period_start=period.start
    ).first()


def monev_instrument_rows(*, assessment: MonevAssessment | None) -> list[dict]:
    """Every indicator assessed, with this period's score or answer (empty if not yet)."""
    answers = {}
    if assessment is not None:
        answers = {a.indicator_id: a for a in MonevAnswer.objects.filter(assessment=assessment)}
    rows = []
    for indicator in indicators_active():
        answer = answers.get(indicator.pk)
        # The instrument is written in Indonesian; an English reader gets the English
        # wording where the admin gave one. (Reports freeze the Indonesian wording.)
        label = indicator.label
        if get_language() == "en" and indicator.label_en:
            label = indicator.label_en
        rows.append(
            {
                "indicator_obj": indicator,
                "indicator": label,
                "kind": indicator.kind,
                "score": answer.score if answer else None,
                "answer": answer.answer if answer else "",
            }
        )
    return rows


def follow_ups_for_period(*, lapas, period: Period):
    """Follow-ups of this period's monev, and those of earlier periods still open: an
    open follow-up is carried into every next period until it is done or dropped."""
    return (
        FollowUp.objects.filter(assessment__lapas=lapas)
        .filter(
            Q(assessment__kind=period.kind, assessment__period_start=period.start)
            | Q(assessment__period_start__lt=period.start, status__in=FollowUp.OPEN_STATUSES)
        )
        .select_related("assessment", "finding")
        .order_by("due_on", "pk")
    )


def _period_of(assessment) -> Period:
    return period_containing(assessment.kind, assessment.period_start)


def monev_report_tables(*, lapas, period: Period) -> dict[str, list[dict]]:
    """The rows the monev report carries besides its figures: the work programme against
    actual, and (for one Lapas) the instrument, the findings and the follow-ups."""
    tables = {"programme": programme_report_rows(lapas=lapas, period=period)}
    if lapas is None:
        return tables
    assessment = monev_assessment(lapas=lapas, period=period)
    tables["monev_instrument"] = [
        {"indicator": row["indicator_obj"].label, "score": row["score"], "answer": row["answer"]}
        for row in monev_instrument_rows(assessment=assessment)
    ]
    tables["findings"] = (
        [{"finding": f.text} for f in assessment.findings.order_by("pk")] if assessment else []
    )
    tables["follow_ups"] = [
        {
            "action": f.action,
            "owner_role": f.owner_role,
            "due_on": f.due_on.isoformat(),
            "status": f.status,
            "raised_in": _period_of(f.assessment).label,
        }
        for f in follow_ups_for_period(lapas=lapas, period=period)
    ]
    return tables


# --- Reports up the chain


def submission_of(report: PnbpReport) -> ReportSubmission | None:
    return ReportSubmission.objects.filter(report=report).select_related("region").first()


def submissions_for_region(region, *, status: str = ""):
    found = ReportSubmission.objects.filter(region=region).select_related(
        "report__lapas", "submitted_by", "reviewed_by"
    )
    if status:
        found = found.filter(status=status)
    return found.order_by("-report__period_start", "report__lapas__name")


def submission_for_user(*, user, pk) -> ReportSubmission | None:
    """A submission the user may read: of their own Lapas, or of their region."""
    return (
        ReportSubmission.objects.filter(pk=pk)
        .filter(
            Q(report__lapas__in=lapas_visible_to(user)) | Q(region__in=regions_visible_to(user))
        )
        .select_related("report__lapas", "region")
        .first()
    )


def user_may_review_submission(*, user, submission) -> bool:
    """An officer of the submission's region (or a central admin)."""
    if not user.has_perm("programme.review_reportsubmission"):
        return False
    if user.is_superuser:
        return True
    region = region_of_user(user)
    return region is not None and region.pk == submission.region_id


# --- The region's view: its Lapas side by side


@dataclass
class LapasComparison:
    lapas: object
    sales: Decimal
    net: Decimal
    deposited: Decimal
    outstanding: Decimal
    overdue_entries: int
    overdue_amount: Decimal
    units_produced: int
    units_sold: int
    monev_score: Decimal | None
    open_follow_ups: int
    reports: dict  # kind → status of the period's report (approved, submitted, …)


def region_compare(*, region: Region, period: Period) -> list[LapasComparison]:
    """The Lapas of a region side by side for one period: a handful of grouped queries."""
    from ..pnbp.selectors import pnbp_overdue_entries
    from ..reports.selectors import _entries, _flow, _flow_aggregates

    lapas = list(lapas_of_region(region))
    ids = [p.pk for p in lapas]
    money = {
        row["lapas_id"]: _flow(row)
        for row in _entries(lapas=None, period=period)
        .filter(lapas_id__in=ids)
        .values("lapas_id")
        .annotate(**_flow_aggregates())
        .order_by()
    }
    produced = {
        row["workshop__lapas_id"]: int(row["units"] or 0)
        for row in Batch.objects.filter(
            workshop__lapas_id__in=ids,
            production_date__gte=period.start,
            production_date__lte=period.end,
        )
        .exclude(status=Batch.Status.PLANNED)
        .values("workshop__lapas_id")
        .annotate(units=Sum("produced_quantity"))
        .order_by()
    }
    first, after = period.bounds()
    sold = {
        row["entry__lapas_id"]: int(row["units"] or 0)
        for row in LedgerEntryLine.objects.filter(
            entry__lapas_id__in=ids, entry__due_at__gte=first, entry__due_at__lt=after
        )
        .values("entry__lapas_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    }
    overdue: dict = {}
    for item in pnbp_overdue_entries(lapas_in=ids):
        count, amount = overdue.get(item.entry.lapas_id, (0, Decimal("0")))
        overdue[item.entry.lapas_id] = (count + 1, amount + item.entry.gross)
    monev_period = period if period.kind in MONEV_KINDS else None
    scores = {}
    if monev_period is not None:
        scores = {
            row["assessment__lapas_id"]: row["score"]
            for row in MonevAnswer.objects.filter(
                assessment__lapas_id__in=ids,
                assessment__kind=monev_period.kind,
                assessment__period_start=monev_period.start,
                score__isnull=False,
            )
            .values("assessment__lapas_id")
            .annotate(score=Avg("score"))
            .order_by()
        }
    follow_ups = {
        row["assessment__lapas_id"]: row["count"]
        for row in FollowUp.objects.filter(
            assessment__lapas_id__in=ids, status__in=FollowUp.OPEN_STATUSES
        )
        .values("assessment__lapas_id")
        .annotate(count=Count("pk"))
        .order_by()
    }
    reports: dict = {}
    for report in PnbpReport.objects.filter(
        lapas_id__in=ids, period_start__gte=period.start, period_end__lte=period.end
    ).select_related("submission"):
        status = getattr(getattr(report, "submission", None), "status", "approved")
        reports.setdefault(report.lapas_id, {})[report.kind] = status
    zero = Decimal("0")
    rows = []
    for partner in lapas:
        flow = money.get(partner.pk, {})
        count, amount = overdue.get(partner.pk, (0, zero))
        score = scores.get(partner.pk)
        rows.append(
            LapasComparison(
                lapas=partner,
                sales=flow.get("sales", zero),
                net=flow.get("net", zero),
                deposited=flow.get("deposited", zero),
                outstanding=flow.get("outstanding", zero),
                overdue_entries=count,
                overdue_amount=_rp(amount),
                units_produced=produced.get(partner.pk, 0),
                units_sold=sold.get(partner.pk, 0),
                monev_score=Decimal(score).quantize(Decimal("0.1")) if score is not None else None,
                open_follow_ups=follow_ups.get(partner.pk, 0),
                reports=reports.get(partner.pk, {}),
            )
        )
    return rows


def report_status_label(status: str) -> str:
    labels = dict(ReportSubmission.Status.choices)
    labels["approved"] = _("Approved, not submitted")
    labels["missing"] = _("No report submitted")
    return str(labels.get(status, status))
