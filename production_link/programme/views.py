"""Dashboard pages of the work programme, the monev and the regional office.

Thin: objects are looked up through the selectors' scope (another Lapas's programme is a
404, a Lapas outside the user's view a 403), writes go through the services, which
refuse whoever does not act for the Lapas (a regional officer, always).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.apps.core.policy import policy_required
from shop.apps.core.roles import ROLE_NAMES, ROLES

from ..inputs import parse_id
from ..models import PnbpReport
from ..reports.exports import EXPORTS, report_filename
from ..reports.layouts import NUMERIC, display, tables_for
from ..reports.periods import QUARTERLY, YEARLY, period_containing, period_last_ended, period_parse
from ..selectors import workshops_for_user
from . import services
from .consolidation import region_consolidate
from .models import BudgetLine, FollowUp, Indicator, Milestone, ReportSubmission
from .regions import lapas_visible_to, region_of_user, regions_visible_to
from .selectors import (
    MONEV_KINDS,
    follow_ups_for_period,
    monev_assessment,
    monev_instrument_rows,
    plan_against_actual,
    programme_for_user,
    programmes_visible_to,
    region_compare,
    report_status_label,
    submission_for_user,
    submissions_for_region,
    user_may_edit_monev,
    user_may_edit_programme,
    user_may_review_submission,
)

LAPAS_ROLES = [(role.code, ROLE_NAMES[role.code]) for role in ROLES if role.scoped_to_lapas]


def _errors(request, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error))
        return
    for message in error.messages:
        messages.error(request, message)


def _year(value) -> int:
    number = parse_id(value)
    return number if number and 2000 <= number <= 2999 else timezone.localdate().year


def _date(value):
    try:
        return parse_date((value or "").strip())
    except ValueError:
        return None


# --- The work programme


@policy_required
def programme_list(request):
    year = _year(request.GET.get("year"))
    programmes = programmes_visible_to(request.user).filter(year=year)
    workshops = [
        w
        for w in workshops_for_user(request.user)
        if user_may_edit_programme(user=request.user, workshop=w)
    ]
    return render(
        request,
        "production_link/dashboard/programme/list.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "rows": plan_against_actual(
                programmes.order_by("workshop__lapas__name", "workshop__name")
            ),
            "workshops": workshops,
        },
    )


@require_POST
@policy_required
def programme_create(request):
    workshop_id = parse_id(request.POST.get("workshop"))
    workshop = (
        workshops_for_user(request.user).filter(pk=workshop_id).first() if workshop_id else None
    )
    if workshop is None:
        messages.error(request, _("Choose a workshop of your Lapas."))
        return redirect("programme_dashboard:programme-list")
    try:
        programme = services.programme_save(
            user=request.user, workshop=workshop, year=_year(request.POST.get("year"))
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("programme_dashboard:programme-list")
    return redirect("programme_dashboard:programme-detail", pk=programme.pk)


def _programme(request, pk):
    programme = programme_for_user(user=request.user, pk=pk)
    if programme is None:
        raise Http404
    return programme


@policy_required
def programme_detail(request, pk):
    programme = _programme(request, pk)
    if request.method == "POST":
        try:
            units = parse_id(request.POST.get("target_units")) or 0
            if request.POST.get("target_units", "").strip() not in ("", "0") and not units:
                raise ValidationError({"target_units": _("Enter a whole number of units.")})
            services.programme_save(
                user=request.user,
                workshop=programme.workshop,
                year=programme.year,
                priorities=request.POST.get("priorities", ""),
                target_units=units,
                target_revenue=request.POST.get("target_revenue", "0"),
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Work programme saved."))
        return redirect("programme_dashboard:programme-detail", pk=programme.pk)
    found = plan_against_actual([programme])[0]
    sources = dict(BudgetLine.Source.choices)
    return render(
        request,
        "production_link/dashboard/programme/detail.html",
        {
            "programme": programme,
            "found": found,
            "budget_lines": programme.budget_lines.all(),
            "budget_by_source": [
                (sources.get(code, code), amount) for code, amount in found.budget_by_source.items()
            ],
            "milestones": programme.milestones.all(),
            "today": timezone.localdate(),
            "may_edit": user_may_edit_programme(user=request.user, workshop=programme.workshop),
            "sources": BudgetLine.Source.choices,
        },
    )


@require_POST
@policy_required
def programme_budget_add(request, pk):
    programme = _programme(request, pk)
    try:
        services.budget_line_add(
            user=request.user,
            programme=programme,
            item=request.POST.get("item", ""),
            volume=request.POST.get("volume", ""),
            unit=request.POST.get("unit", ""),
            unit_cost=request.POST.get("unit_cost", ""),
            funding_source=request.POST.get("funding_source", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("programme_dashboard:programme-detail", pk=programme.pk)


@require_POST
@policy_required
def programme_budget_delete(request, pk):
    programme = _programme(request, pk)
    line = programme.budget_lines.filter(pk=parse_id(request.POST.get("line")) or 0).first()
    if line is not None:  # already gone (a second click): nothing to do
        try:
            services.budget_line_delete(user=request.user, line=line)
        except PermissionDenied as error:
            _errors(request, error)
    return redirect("programme_dashboard:programme-detail", pk=programme.pk)


@require_POST
@policy_required
def programme_milestone_add(request, pk):
    programme = _programme(request, pk)
    due_on = _date(request.POST.get("due_on"))
    try:
        if due_on is None:
            raise ValidationError({"due_on": _("Enter the date it is due (YYYY-MM-DD).")})
        services.milestone_add(
            user=request.user,
            programme=programme,
            title=request.POST.get("title", ""),
            due_on=due_on,
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("programme_dashboard:programme-detail", pk=programme.pk)


@require_POST
@policy_required
def programme_milestone_done(request, pk):
    programme = _programme(request, pk)
    milestone = Milestone.objects.filter(
        programme=programme, pk=parse_id(request.POST.get("milestone")) or 0
    ).first()
    if milestone is None:
        raise Http404
    try:
        services.milestone_mark_done(user=request.user, milestone=milestone)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("programme_dashboard:programme-detail", pk=programme.pk)


# --- Monev


def _monev_scope(request, data):
    """(lapas, period) a request names, checked against what the user may read."""
    visible = lapas_visible_to(request.user).order_by("name")
    lapas_id = parse_id(data.get("lapas"))
    lapas = visible.filter(pk=lapas_id).first() if lapas_id else visible.first()
    if lapas is None:
        if lapas_id:
            raise PermissionDenied(_("You may not see the monev of this Lapas."))
        return None, None
    kind = data.get("kind") or QUARTERLY
    if kind not in MONEV_KINDS:
        kind = QUARTERLY
    text = (data.get("period") or "").strip()
    try:
        period = period_parse(kind, text) if text else period_last_ended(kind)
    except ValidationError:
        period = period_last_ended(kind)
    return lapas, period


def _monev_url(lapas, period) -> str:
    query = urlencode({"lapas": lapas.pk, "kind": period.kind, "period": period.key})
    return f"{reverse('programme_dashboard:monev')}?{query}"


@policy_required
def monev_page(request):
    lapas, period = _monev_scope(request, request.GET)
    if lapas is None:
        return render(request, "production_link/dashboard/programme/monev.html", {"lapas": None})
    assessment = monev_assessment(lapas=lapas, period=period)
    may_edit = user_may_edit_monev(user=request.user, lapas=lapas)
    return render(
        request,
        "production_link/dashboard/programme/monev.html",
        {
            "lapas": lapas,
            "period": period,
            "lapas_choices": lapas_visible_to(request.user).order_by("name"),
            "assessment": assessment,
            "instrument": monev_instrument_rows(assessment=assessment),
            "findings": assessment.findings.all() if assessment else [],
            "follow_ups": follow_ups_for_period(lapas=lapas, period=period),
            "previous": period.previous(),
            "may_edit": may_edit,
            "roles": LAPAS_ROLES,
            "statuses": FollowUp.Status.choices,
            "score_choices": ["1", "2", "3", "4", "5"],
        },
    )


def _monev_post(request, write):
    lapas, period = _monev_scope(request, request.POST)
    if lapas is None:
        messages.error(request, _("Choose a Lapas."))
        return redirect("programme_dashboard:monev")
    try:
        write(lapas, period)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Monev saved."))
    return redirect(_monev_url(lapas, period))


@require_POST
@policy_required
def monev_answers(request):
    codes = Indicator.objects.filter(is_active=True).values_list("code", flat=True)

    def write(lapas, period):
        services.monev_record(
            user=request.user,
            lapas=lapas,
            period=period,
            answers={code: request.POST.get(f"answer-{code}", "") for code in codes},
            conclusion=request.POST.get("conclusion", ""),
        )

    return _monev_post(request, write)


@require_POST
@policy_required
def monev_finding_add(request):
    def write(lapas, period):
        services.finding_add(
            user=request.user, lapas=lapas, period=period, text=request.POST.get("text", "")
        )

    return _monev_post(request, write)


@require_POST
@policy_required
def monev_follow_up_add(request):
    def write(lapas, period):
        due_on = _date(request.POST.get("due_on"))
        if due_on is None:
            raise ValidationError({"due_on": _("Enter the date it is due (YYYY-MM-DD).")})
        services.follow_up_add(
            user=request.user,
            lapas=lapas,
            period=period,
            action=request.POST.get("action", ""),
            owner_role=request.POST.get("owner_role", ""),
            due_on=due_on,
        )

    return _monev_post(request, write)


@require_POST
@policy_required
def monev_follow_up_status(request):
    def write(lapas, period):
        follow_up = FollowUp.objects.filter(
            assessment__lapas=lapas, pk=parse_id(request.POST.get("follow_up")) or 0
        ).first()
        if follow_up is None:
            raise ValidationError(_("There is no such follow-up of this Lapas."))
        services.follow_up_set_status(
            user=request.user, follow_up=follow_up, status=request.POST.get("status", "")
        )

    return _monev_post(request, write)


# --- Reports up the chain: the Lapas's side


def _back_to_report(request, report):
    if report is None:
        return redirect("pnbp_reports_dashboard:index")
    period = period_containing(report.kind, report.period_start)
    query = urlencode({"kind": report.kind, "period": period.key, "lapas": report.lapas_id})
    return redirect(f"{reverse('pnbp_reports_dashboard:report')}?{query}")


@require_POST
@policy_required
def report_submit(request):
    report_id = parse_id(request.POST.get("report"))
    report = (
        PnbpReport.objects.filter(pk=report_id, lapas__in=lapas_visible_to(request.user)).first()
        if report_id
        else None
    )
    if report is None:
        messages.error(request, _("There is no such approved report of your Lapas."))
        return redirect("pnbp_reports_dashboard:index")
    try:
        services.report_submit(user=request.user, report=report)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Report sent to the region."))
    return _back_to_report(request, report)


@require_POST
@policy_required
def report_resubmit(request):
    submission = submission_for_user(
        user=request.user, pk=parse_id(request.POST.get("submission")) or 0
    )
    if submission is None:
        messages.error(request, _("There is no such report of your Lapas."))
        return redirect("pnbp_reports_dashboard:index")
    try:
        services.report_resubmit(
            user=request.user, submission=submission, note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Report sent to the region again."))
    return _back_to_report(request, submission.report)


# --- The region's side


def _region(request, data):
    """The region a page is about: an officer's own; a central admin picks one."""
    region = region_of_user(request.user)
    if region is not None:
        return region
    visible = regions_visible_to(request.user)
    region_id = parse_id(data.get("region"))
    return visible.filter(pk=region_id).first() if region_id else visible.first()


def _region_period(data):
    kind = data.get("kind") or QUARTERLY
    if kind not in PnbpReport.Kind.values:
        kind = QUARTERLY
    text = (data.get("period") or "").strip()
    try:
        return period_parse(kind, text) if text else period_last_ended(kind)
    except ValidationError:
        return period_last_ended(kind)


@policy_required
def region_index(request):
    region = _region(request, request.GET)
    if region is None:
        return render(request, "production_link/dashboard/programme/region.html", {"region": None})
    period = _region_period(request.GET)
    status = request.GET.get("status", "")
    if status not in ReportSubmission.Status.values:
        status = ""
    return render(
        request,
        "production_link/dashboard/programme/region.html",
        {
            "region": region,
            "regions": regions_visible_to(request.user),
            "period": period,
            "kinds": PnbpReport.Kind.choices,
            "rows": [
                {
                    "row": row,
                    "reports": [
                        (PnbpReport.Kind(kind).label, report_status_label(value))
                        for kind, value in sorted(row.reports.items())
                    ],
                }
                for row in region_compare(region=region, period=period)
            ],
            "submissions": submissions_for_region(region, status=status)[:100],
            "status": status,
            "statuses": ReportSubmission.Status.choices,
            "consolidated_url": _consolidated_url(region, period),
            "year_period": period_containing(YEARLY, period.start),
        },
    )


def _consolidated_url(region, period, fmt=None) -> str:
    query = urlencode({"region": region.pk, "kind": period.kind, "period": period.key})
    if fmt:
        return f"{reverse('programme_dashboard:region-consolidated-export', kwargs={'fmt': fmt})}?{query}"
    return f"{reverse('programme_dashboard:region-consolidated')}?{query}"


def _submission(request, pk):
    submission = submission_for_user(user=request.user, pk=pk)
    if submission is None or submission.region not in regions_visible_to(request.user):
        raise Http404
    return submission


@policy_required
def region_submission(request, pk):
    submission = _submission(request, pk)
    report = submission.report
    period = period_containing(report.kind, report.period_start)
    query = urlencode({"kind": report.kind, "period": period.key, "lapas": report.lapas_id})
    return render(
        request,
        "production_link/dashboard/programme/submission.html",
        {
            "submission": submission,
            "report": report,
            "period": period,
            "report_url": f"{reverse('pnbp_reports_dashboard:report')}?{query}",
            "events": submission.events.select_related("user"),
            "may_review": submission.status == ReportSubmission.Status.SUBMITTED
            and user_may_review_submission(user=request.user, submission=submission),
        },
    )


def _review(request, pk, action):
    submission = _submission(request, pk)
    try:
        action(user=request.user, submission=submission, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Saved: the Lapas sees the report's new status."))
    return redirect("programme_dashboard:region-submission", pk=submission.pk)


@require_POST
@policy_required
def region_acknowledge(request, pk):
    return _review(request, pk, services.submission_acknowledge)


@require_POST
@policy_required
def region_return(request, pk):
    return _review(request, pk, services.submission_return)


def _consolidated(request):
    region = _region(request, request.GET)
    if region is None:
        raise Http404
    return region_consolidate(region=region, period=_region_period(request.GET))


@policy_required
def region_consolidated(request):
    view = _consolidated(request)
    tables = []
    for table, columns, data in tables_for(view.layout, view.figures):
        numeric = [c.kind in NUMERIC for c in columns]
        tables.append(
            {
                "title": table.title,
                "note": table.note,
                "headers": list(zip([c.label for c in columns], numeric, strict=True)),
                "rows": [
                    list(zip([display(c, row.get(c.key)) for c in columns], numeric, strict=True))
                    for row in data["rows"]
                ],
            }
        )
    return render(
        request,
        "production_link/dashboard/programme/consolidated.html",
        {
            "view": view,
            "summary": [
                (c.label, display(c, view.figures["summary"].get(c.key)), c.kind in NUMERIC)
                for c in view.layout.summary
            ],
            "tables": tables,
            "exports": [
                (fmt.upper(), _consolidated_url(view.region, view.period, fmt)) for fmt in EXPORTS
            ],
        },
    )


@policy_required
def region_consolidated_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404
    view = _consolidated(request)
    render_file, content_type = EXPORTS[fmt]
    response = HttpResponse(render_file(view), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(view, fmt)}"'
    return response
