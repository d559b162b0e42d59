"""Writes of the work programme, the monev and the way of reports up the chain.

Every write checks that the user acts for the Lapas concerned with
``production_link.selectors.lapas_for_user`` (membership of the Lapas, or a central
admin): a regional officer, who only *reads* their region's Lapas, is refused each one.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.apps.core.roles import ROLES_BY_CODE

from ..models import PnbpReport
from ..reports.layouts import figures_jsonable
from ..reports.periods import Period, period_containing
from ..selectors import lapas_for_user
from .models import (
    BudgetLine,
    Finding,
    FollowUp,
    Indicator,
    Milestone,
    MonevAnswer,
    MonevAssessment,
    Programme,
    Region,
    RegionalOfficer,
    RegionLapas,
    ReportSubmission,
    SubmissionEvent,
)
from .selectors import (
    MONEV_KINDS,
    user_may_edit_monev,
    user_may_edit_programme,
    user_may_review_submission,
)

MAX_TEXT = 4000


def _acts_for(user, lapas) -> bool:
    return lapas_for_user(user).filter(pk=lapas.pk).exists()


def _text(value, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; Django's own message (already translated).
        raise ValidationError({field: _("Null characters are not allowed.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(limit)d characters, please.") % {"limit": limit}}
        )
    return text


# --- Regions (central admins)


@transaction.atomic
def region_lapas_set(*, region: Region, lapas) -> RegionLapas:
    """Put a Lapas in a region (moving it out of another one)."""
    link, _created = RegionLapas.objects.update_or_create(lapas=lapas, defaults={"region": region})
    return link


@transaction.atomic
def regional_officer_set(*, user, region: Region) -> RegionalOfficer:
    """Make a user an officer of a region; a user of a Lapas cannot be one (read-only
    across a region and write access to one Lapas do not mix)."""
    if user.partners.exists():
        raise ValidationError(
            _("%(user)s works for a Lapas: a regional officer belongs to no Lapas.")
            % {"user": user.get_username()}
        )
    office, _created = RegionalOfficer.objects.update_or_create(
        user=user, defaults={"region": region}
    )
    return office


# --- The work programme


def _check_programme(user, workshop):
    if not user_may_edit_programme(user=user, workshop=workshop):
        raise PermissionDenied(
            _("Only the head of this workshop's Lapas (Kalapas) may change its work programme.")
        )


GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _rupiah(value, *, field: str) -> Decimal:
    """Whole rupiah: "150000", or grouped by thousands ("150.000", "150,000"); "12.5" is
    refused rather than read as 125."""
    text = str(value if value is not None else "").strip() or "0"
    if GROUPED.match(text):
        text = text.replace(".", "").replace(",", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in whole rupiah.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in whole rupiah.")})
    if amount < 0 or amount != amount.to_integral_value() or amount >= Decimal("1e14"):
        raise ValidationError({field: _("Enter an amount in whole rupiah.")})
    return amount


@transaction.atomic
def programme_save(
    *,
    user,
    workshop,
    year: int,
    priorities: str = "",
    target_units: int = 0,
    target_revenue=Decimal("0"),
) -> Programme:
    """Create or update the programme of a workshop for a year (one per year)."""
    _check_programme(user, workshop)
    if not 2000 <= int(year) <= 2999:
        raise ValidationError({"year": _("Enter a year between 2000 and 2999.")})
    if int(target_units) < 0:
        raise ValidationError({"target_units": _("A target cannot be negative.")})
    values = {
        "priorities": _text(priorities, field="priorities", required=False),
        "target_units": int(target_units),
        "target_revenue": _rupiah(target_revenue, field="target_revenue"),
        "updated_by": user,
    }
    try:
        with transaction.atomic():
            programme, _created = Programme.objects.select_for_update().update_or_create(
                workshop=workshop, year=int(year), defaults=values
            )
    except IntegrityError:  # two first saves at once: the other one won, update it
        programme = Programme.objects.select_for_update().get(workshop=workshop, year=int(year))
        for key, value in values.items():
            setattr(programme, key, value)
        programme.save()
    return programme


@transaction.atomic
def budget_line_add(
    *, user, programme: Programme, item: str, volume, unit: str, unit_cost, funding_source: str
) -> BudgetLine:
    _check_programme(user, programme.workshop)
    try:
        volume = Decimal(str(volume).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"volume": _("Enter a number.")}) from None
    if (
        not volume.is_finite()
        or volume <= 0
        or volume >= Decimal("1e10")
        or volume != volume.quantize(Decimal("0.01"))
    ):
        raise ValidationError({"volume": _("Enter a positive number with at most two decimals.")})
    unit_cost = _rupiah(unit_cost, field="unit_cost")
    if funding_source not in BudgetLine.Source.values:
        raise ValidationError({"funding_source": _("Choose a funding source.")})
    return BudgetLine.objects.create(
        programme=programme,
        item=_text(item, field="item", limit=200),
        volume=volume,
        unit=_text(unit, field="unit", limit=32),
        unit_cost=unit_cost,
        total=(volume * unit_cost).quantize(Decimal("1"), rounding=ROUND_HALF_UP),
        funding_source=funding_source,
    )


@transaction.atomic
def budget_line_delete(*, user, line: BudgetLine) -> None:
    _check_programme(user, line.programme.workshop)
    line.delete()


@transaction.atomic
def milestone_add(*, user, programme: Programme, title: str, due_on: datetime.date) -> Milestone:
    _check_programme(user, programme.workshop)
    if due_on.year != programme.year:
        raise ValidationError(
            {
                "due_on": _("A milestone of the %(year)d programme is due in %(year)d.")
                % {"year": programme.year}
            }
        )
    return Milestone.objects.create(
        programme=programme, title=_text(title, field="title", limit=200), due_on=due_on
    )


@transaction.atomic
def milestone_mark_done(*, user, milestone: Milestone, done_on: datetime.date | None = None):
    """Record a milestone as done (once: a second click keeps the first date)."""
    _check_programme(user, milestone.programme.workshop)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_on is None:
        done_on = done_on or timezone.localdate()
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
    return milestone


# --- Monev


def _check_monev(user, lapas):
    if not user_may_edit_monev(user=user, lapas=lapas):
        raise PermissionDenied(
            _("Only the head of this Lapas (Kalapas) may record its monitoring and evaluation.")
        )


def _assessment(*, user, lapas, period: Period) -> MonevAssessment:
    if period.kind not in MONEV_KINDS:
        raise ValidationError({"period": _("Monev is recorded per quarter or per semester.")})
    if period.start > timezone.localdate():
        raise ValidationError({"period": _("This period has not started yet.")})
    assessment, _created = MonevAssessment.objects.get_or_create(
        lapas=lapas,
        kind=period.kind,
        period_start=period.start,
        defaults={"period_end": period.end, "updated_by": user},
    )
    return assessment


@transaction.atomic
def monev_record(*, user, lapas, period: Period, answers: dict, conclusion: str = ""):
    """Record the instrument's answers for a period: ``answers`` maps an indicator's code
    to a score (1–5), "yes"/"no", or a text. Nothing is saved if one answer is wrong."""
    _check_monev(user, lapas)
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    cleaned, errors = {}, {}
    for code, value in answers.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = _("There is no indicator %(code)s.") % {"code": code}
            continue
        text = str(value if value is not None else "").strip()
        if not text:
            continue
        if indicator.kind == Indicator.Kind.SCORE:
            if text not in {"1", "2", "3", "4", "5"}:
                errors[code] = _("%(indicator)s: a score from 1 to 5.") % {
                    "indicator": indicator.label
                }
                continue
            cleaned[indicator] = {"score": int(text), "answer": ""}
        elif indicator.kind == Indicator.Kind.YES_NO:
            if text not in ("yes", "no"):
                errors[code] = _("%(indicator)s: yes or no.") % {"indicator": indicator.label}
                continue
            cleaned[indicator] = {"score": None, "answer": text}
        else:
            cleaned[indicator] = {"score": None, "answer": _text(text, field=code)}
    if errors:
        raise ValidationError(errors)
    assessment = _assessment(user=user, lapas=lapas, period=period)
    assessment = MonevAssessment.objects.select_for_update().get(pk=assessment.pk)
    for indicator, values in cleaned.items():
        MonevAnswer.objects.update_or_create(
            assessment=assessment, indicator=indicator, defaults=values
        )
    assessment.conclusion = _text(conclusion, field="conclusion", required=False)
    assessment.updated_by = user
    assessment.save(update_fields=["conclusion", "updated_by", "updated_at"])
    return assessment


@transaction.atomic
def finding_add(*, user, lapas, period: Period, text: str) -> Finding:
    _check_monev(user, lapas)
    text = _text(text, field="text")
    assessment = _assessment(user=user, lapas=lapas, period=period)
    # A double click posts the same finding twice: keep one.
    existing = assessment.findings.filter(text=text).first()
    return existing or Finding.objects.create(assessment=assessment, text=text)


@transaction.atomic
def follow_up_add(
    *,
    user,
    lapas,
    period: Period,
    action: str,
    owner_role: str,
    due_on: datetime.date,
    finding: Finding | None = None,
) -> FollowUp:
    _check_monev(user, lapas)
    action = _text(action, field="action")
    if owner_role not in ROLES_BY_CODE or not ROLES_BY_CODE[owner_role].scoped_to_lapas:
        raise ValidationError({"owner_role": _("Choose the role of the Lapas that owns it.")})
    if due_on < period.start:
        raise ValidationError({"due_on": _("A follow-up is due after its period starts.")})
    assessment = _assessment(user=user, lapas=lapas, period=period)
    if finding is not None and finding.assessment.lapas_id != lapas.pk:
        raise ValidationError({"finding": _("That finding is another Lapas's.")})
    existing = assessment.follow_ups.filter(action=action, owner_role=owner_role, due_on=due_on)
    return existing.first() or FollowUp.objects.create(
        assessment=assessment, finding=finding, action=action, owner_role=owner_role, due_on=due_on
    )


@transaction.atomic
def follow_up_set_status(*, user, follow_up: FollowUp, status: str) -> FollowUp:
    _check_monev(user, follow_up.assessment.lapas)
    if status not in FollowUp.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.status = status
    closed = status not in FollowUp.OPEN_STATUSES
    follow_up.closed_on = (follow_up.closed_on or timezone.localdate()) if closed else None
    follow_up.save(update_fields=["status", "closed_on", "updated_at"])
    return follow_up


# --- Reports up the chain


def _check_submitter(user, report: PnbpReport):
    if report.lapas_id is None:
        raise ValidationError(_("The report of all Lapas goes to no region."))
    if not (user.has_perm("programme.submit_reportsubmission") and _acts_for(user, report.lapas)):
        raise PermissionDenied(
            _("Only the head of this Lapas (Kalapas) may submit its reports to the region.")
        )


def _event(submission, action, user, note=""):
    SubmissionEvent.objects.create(submission=submission, action=action, user=user, note=note)


@transaction.atomic
def report_submit(*, user, report: PnbpReport) -> ReportSubmission:
    """Send an approved report of a Lapas to its region (once)."""
    _check_submitter(user, report)
    report = PnbpReport.objects.select_for_update().get(pk=report.pk)
    link = RegionLapas.objects.filter(lapas_id=report.lapas_id).select_related("region").first()
    if link is None:
        raise ValidationError(_("This Lapas belongs to no region yet: ask a central admin."))
    existing = ReportSubmission.objects.filter(report=report).first()
    if existing is not None:
        raise ValidationError(
            _("This report was already sent to the region (%(status)s).")
            % {"status": existing.get_status_display()}
        )
    submission = ReportSubmission.objects.create(
        report=report,
        region=link.region,
        status=ReportSubmission.Status.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    _event(submission, SubmissionEvent.Action.SUBMITTED, user)
    return submission


def _locked(submission) -> ReportSubmission:
    return ReportSubmission.objects.select_for_update().get(pk=submission.pk)


def _check_reviewer(user, submission):
    if not user_may_review_submission(user=user, submission=submission):
        raise PermissionDenied(_("Only an officer of the report's region may review it."))


def _must_be_submitted(submission):
    if submission.status != ReportSubmission.Status.SUBMITTED:
        raise ValidationError(
            _("This report is no longer waiting for the region: %(status)s.")
            % {"status": submission.get_status_display()}
        )


@transaction.atomic
def submission_acknowledge(*, user, submission: ReportSubmission, note: str = ""):
    _check_reviewer(user, submission)
    submission = _locked(submission)
    _must_be_submitted(submission)
    note = _text(note, field="note", required=False)
    submission.status = ReportSubmission.Status.ACKNOWLEDGED
    submission.note = note
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
    _event(submission, SubmissionEvent.Action.ACKNOWLEDGED, user, note)
    return submission


@transaction.atomic
def submission_return(*, user, submission: ReportSubmission, note: str):
    """Send a report back to its Lapas, saying why (the note is required)."""
    _check_reviewer(user, submission)
    note = _text(note, field="note")
    submission = _locked(submission)
    _must_be_submitted(submission)
    submission.status = ReportSubmission.Status.RETURNED
    submission.note = note
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
    _event(submission, SubmissionEvent.Action.RETURNED, user, note)
    return submission


@transaction.atomic
def report_resubmit(*, user, submission: ReportSubmission, note: str = ""):
    """Send a returned report again. The Kalapas signs it again: its figures are frozen
    anew as they stand now (what the Lapas corrected, e.g. its monev follow-ups, goes up)."""
    from ..reports.selectors import report_figures

    _check_submitter(user, submission.report)
    submission = _locked(submission)
    if submission.status != ReportSubmission.Status.RETURNED:
        raise ValidationError(
            _("Only a returned report is submitted again; this one is %(status)s.")
            % {"status": submission.get_status_display()}
        )
    report = PnbpReport.objects.select_for_update().get(pk=submission.report_id)
    period = period_containing(report.kind, report.period_start)
    PnbpReport.objects.filter(pk=report.pk).update(
        figures=figures_jsonable(report_figures(lapas=report.lapas, period=period)),
        approved_by=user,
        approved_at=timezone.now(),
    )
    submission.status = ReportSubmission.Status.SUBMITTED
    submission.submitted_by, submission.submitted_at = user, timezone.now()
    submission.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(
        submission,
        SubmissionEvent.Action.RESUBMITTED,
        user,
        _text(note, field="note", required=False),
    )
    return submission
