"""Dashboard pages of the PNBP and monitoring reports: choose, read, export, approve.

Thin: the Lapas a request names is checked by report_scope_for_user (a treasurer or
Kalapas sees their own Lapas, a central admin every Lapas and all of them together), the
figures come from report_read, the files from exports, the approval from report_approve.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shop.apps.core.policy import policy_required

from ..models import PnbpReport
from .exports import EXPORTS, report_filename, report_meta, report_title
from .layouts import LAYOUTS, NUMERIC, display, tables_for
from .periods import KINDS, MONTHLY, period_last_ended, period_parse
from .selectors import (
    ALL_LAPAS,
    report_lapas_for_user,
    report_read,
    report_scope_for_user,
    reports_approved_for_user,
    user_may_approve_report,
)
from .services import report_approve

# How many past periods of each kind the index offers as one-click links.
RECENT = {"monthly": 6, "quarterly": 4, "semester": 2, "yearly": 2}


class ReportChooseForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=PnbpReport.Kind.choices)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        max_length=10,
        help_text=gettext_lazy(
            "Month 2026-10, quarter 2026-Q3, semester 2026-S1 or year 2026; empty for the "
            "last one that has ended."
        ),
    )
    # A plain field: the Lapas is checked against the user's scope by the selector, so a
    # Lapas they may not see is a refusal (403), not a form error.
    lapas = forms.CharField(label=gettext_lazy("Lapas"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.name) for p in report_lapas_for_user(user)]
        if user.is_superuser:
            choices.insert(0, (ALL_LAPAS, _("All Lapas")))
        self.fields["lapas"].widget = forms.Select(choices=choices)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            try:
                data["period_obj"] = (
                    period_parse(kind, data["period"])
                    if data.get("period")
                    else period_last_ended(kind)
                )
            except ValidationError as error:
                self.add_error("period", error.message_dict.get("period", error.messages))
        return data


def _query(*, kind, period, lapas) -> str:
    return urlencode(
        {"kind": kind, "period": period.key, "lapas": ALL_LAPAS if lapas is None else lapas.pk}
    )


def _report_url(name: str, **kwargs) -> str:
    fmt = kwargs.pop("fmt", None)
    url = reverse(f"pnbp_reports_dashboard:{name}", kwargs={"fmt": fmt} if fmt else None)
    return f"{url}?{_query(**kwargs)}"


def _chosen(request, data):
    """(lapas, period) named by a submitted form, or the form back with its errors."""
    form = ReportChooseForm(data, user=request.user)
    if not form.is_valid():
        return form, None, None
    try:
        lapas = report_scope_for_user(user=request.user, lapas=form.cleaned_data["lapas"])
    except ValidationError as error:
        form.add_error("lapas", error.message_dict.get("lapas", error.messages))
        return form, None, None
    return form, lapas, form.cleaned_data["period_obj"]


def _recent(user, lapas) -> list[dict]:
    """One-click links to the latest ended periods of each kind, marked when approved."""
    today = timezone.localdate()
    approved = set(PnbpReport.objects.filter(lapas=lapas).values_list("kind", "period_start"))
    groups = []
    for kind in KINDS:
        period = period_last_ended(kind, today)
        links = []
        for _index in range(RECENT[kind]):
            links.append(
                {
                    "label": period.label,
                    "url": _report_url("report", kind=kind, period=period, lapas=lapas),
                    "approved": (kind, period.start) in approved,
                }
            )
            period = period.previous()
        groups.append({"kind": kind, "label": PnbpReport.Kind(kind).label, "links": links})
    return groups


@policy_required
def report_index(request):
    scope = None
    try:
        scope = report_scope_for_user(user=request.user, lapas=request.GET.get("lapas", ""))
    except ValidationError:
        scope = report_lapas_for_user(request.user).first()
    # The form sends its choice to the report page; here it only starts from this Lapas.
    form = ReportChooseForm(
        user=request.user,
        initial={"kind": MONTHLY, "lapas": ALL_LAPAS if scope is None else scope.pk},
    )
    return render(
        request,
        "production_link/dashboard/reports/index.html",
        {
            "form": form,
            "scope": scope,
            "scope_name": scope.name if scope is not None else _("All Lapas"),
            "recent": _recent(request.user, scope),
            "approved_reports": reports_approved_for_user(request.user),
        },
    )


def _page_tables(view) -> list[dict]:
    tables = []
    for table, columns, data in tables_for(LAYOUTS[view.kind], view.figures):
        numeric = [c.kind in NUMERIC for c in columns]
        rows = [[display(c, row.get(c.key)) for c in columns] for row in data["rows"]]
        total = None
        if data.get("total"):
            total = [
                display(c, data["total"][c.key]) if c.key in data["total"] else "" for c in columns
            ]
            first_text = next((i for i, n in enumerate(numeric) if not n), None)
            if first_text is not None:
                total[first_text] = _("Total")
        tables.append(
            {
                "title": table.title,
                "note": table.note,
                "headers": list(zip([c.label for c in columns], numeric, strict=True)),
                "rows": [list(zip(row, numeric, strict=True)) for row in rows],
                "total": list(zip(total, numeric, strict=True)) if total else None,
            }
        )
    return tables


@policy_required
def report_detail(request):
    form, lapas, period = _chosen(request, request.GET)
    if period is None:
        return render(
            request,
            "production_link/dashboard/reports/index.html",
            {
                "form": form,
                "scope": None,
                "recent": [],
                "approved_reports": reports_approved_for_user(request.user),
            },
            status=400,
        )
    view = report_read(lapas=lapas, period=period)
    layout = LAYOUTS[period.kind]
    return render(
        request,
        "production_link/dashboard/reports/detail.html",
        {
            "view": view,
            "title": report_title(view),
            "meta": report_meta(view),
            "summary": [
                (c.label, display(c, view.figures["summary"].get(c.key)), c.kind in NUMERIC)
                for c in layout.summary
            ],
            "tables": _page_tables(view),
            "exports": [
                (
                    fmt.upper(),
                    _report_url("export", fmt=fmt, kind=period.kind, period=period, lapas=lapas),
                )
                for fmt in EXPORTS
            ],
            "may_approve": view.approved is None
            and user_may_approve_report(user=request.user, lapas=lapas),
            "period_ended": period.has_ended(),
            "approve_data": {
                "kind": period.kind,
                "period": period.key,
                "lapas": ALL_LAPAS if lapas is None else lapas.pk,
            },
            **_chain(request.user, view),
        },
    )


def _chain(user, view) -> dict:
    """The report's way up to the region (production_link.programme): its status, the
    region's note, and the Kalapas's submit or resubmit button."""
    from ..programme.selectors import submission_of

    if view.approved is None or view.lapas is None:
        return {}
    submission = submission_of(view.approved)
    may_submit = user.has_perm("programme.submit_reportsubmission") and (
        view.lapas.users.filter(pk=user.pk).exists() or user.is_superuser
    )
    return {"submission": submission, "may_submit": may_submit}


@policy_required
def report_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404
    form, lapas, period = _chosen(request, request.GET)
    if period is None:
        return HttpResponse(
            "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    view = report_read(lapas=lapas, period=period)
    render_file, content_type = EXPORTS[fmt]
    response = HttpResponse(render_file(view), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(view, fmt)}"'
    return response


@require_POST
@policy_required
def report_approve_view(request):
    form, lapas, period = _chosen(request, request.POST)
    if period is None:
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label}: {message}" if field in form.fields else message,
                )
        return redirect("pnbp_reports_dashboard:index")
    try:
        report_approve(lapas=lapas, kind=period.kind, period_start=period.start, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Report approved: its figures are now frozen as they stand today.")
        )
    return redirect(_report_url("report", kind=period.kind, period=period, lapas=lapas))
