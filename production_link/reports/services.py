"""Approving a report: the head of the Lapas (Kalapas) signs it off and its figures freeze."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import PnbpReport
from .layouts import figures_jsonable
from .periods import period_starting
from .selectors import report_approved, report_figures, user_may_approve_report


def _already_approved(report: PnbpReport) -> ValidationError:
    user = report.approved_by
    return ValidationError(
        _("This report was already approved by %(user)s on %(date)s; it stays as approved.")
        % {
            "user": user.get_full_name() or user.get_username(),
            "date": formats.date_format(timezone.localtime(report.approved_at), "j F Y H:i"),
        },
        code="already_approved",
    )


@transaction.atomic
def report_approve(*, lapas, kind: str, period_start: datetime.date, user) -> PnbpReport:
    """Approve the report of ``lapas`` (None: all Lapas) for the period starting on
    ``period_start``, freezing its figures as they are now.

    Only the Kalapas of that Lapas approves its reports, and only a central admin the
    national one. A period still running cannot be approved. A report is approved once:
    a second approval (a double click, a colleague a minute later) is refused with who
    approved it and when, and the frozen figures stay as they were.
    """
    period = period_starting(kind, period_start)
    if not user_may_approve_report(user=user, lapas=lapas):
        if lapas is None:
            raise PermissionDenied(_("Only a central admin may approve the report of all Lapas."))
        raise PermissionDenied(_("Only the head of this Lapas (Kalapas) may approve its reports."))
    if not period.has_ended():
        raise ValidationError(
            {
                "period": _(
                    "%(period)s has not ended yet: its report can be approved from %(date)s."
                )
                % {
                    "period": period.label,
                    "date": formats.date_format(period.end + datetime.timedelta(days=1), "j F Y"),
                }
            }
        )
    existing = report_approved(lapas=lapas, period=period)
    if existing is not None:
        raise _already_approved(existing)
    figures = figures_jsonable(report_figures(lapas=lapas, period=period))
    try:
        # A savepoint: two approvals racing end with one report and a clear refusal.
        with transaction.atomic():
            return PnbpReport.objects.create(
                lapas=lapas,
                kind=kind,
                period_start=period.start,
                period_end=period.end,
                figures=figures,
                approved_by=user,
            )
    except IntegrityError:
        existing = report_approved(lapas=lapas, period=period)
        if existing is None:
            raise
        raise _already_approved(existing) from None
