"""Report figures for the treasurer, the head of the Lapas and central admins, read-only.

``GET /api/v1/pnbp/reports/{kind}?lapas=<id or all>&period=<2026-10, 2026-Q3, 2026-S1,
2026>``. An approved report returns its frozen figures with who approved it and when;
``live_differs`` says the ledger has changed since. Amounts are strings of whole rupiah
(JSON numbers would lose precision in some clients); percentages are strings too.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from ..inputs import invalid_input
from .layouts import figures_jsonable
from .periods import KINDS, period_last_ended, period_parse
from .selectors import report_read, report_scope_for_user

router = Router(tags=["PNBP reports"])


class ReportOut(Schema):
    kind: str
    period: str
    period_start: date
    period_end: date
    due_on: date | None
    lapas_id: int | None
    lapas: str | None
    approved: bool
    approved_by: str | None
    approved_at: datetime | None
    live_differs: bool
    figures: dict[str, Any]


@router.get(
    "/pnbp/reports/{kind}",
    response=ReportOut,
    summary="Figures of a PNBP or monitoring report (frozen once approved)",
)
def report_detail(request, kind: str, lapas: str = "", period: str = ""):
    if kind not in KINDS:
        raise HttpError(404, f"Unknown report kind; use one of {', '.join(KINDS)}.")
    try:
        scope = report_scope_for_user(user=request.user, lapas=lapas)
        chosen = period_parse(kind, period) if period else period_last_ended(kind)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ValidationError as error:
        raise invalid_input(error, source="query") from error
    view = report_read(lapas=scope, period=chosen)
    return {
        "kind": kind,
        "period": chosen.key,
        "period_start": chosen.start,
        "period_end": chosen.end,
        "due_on": chosen.due_on,
        "lapas_id": scope.pk if scope is not None else None,
        "lapas": scope.name if scope is not None else None,
        "approved": view.approved is not None,
        "approved_by": view.approved_by_name or None,
        "approved_at": view.approved.approved_at if view.approved else None,
        "live_differs": view.live_differs,
        "figures": figures_jsonable(view.figures),
    }
