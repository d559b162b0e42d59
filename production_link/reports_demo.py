"""Demo: one approved monthly PNBP report, signed off by the demo Kalapas.

Called by shop/apps/core/demo.py at the end of demo_data_load, after the ledger demo has
booked a few months of sales. Idempotent: once the Lapas has an approved monthly report,
loading again changes nothing.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from .models import LedgerEntry, PnbpReport
from .reports.periods import MONTHLY, period_containing, period_last_ended
from .reports.services import report_approve

Partner = get_model("partner", "Partner")


def pnbp_reports_demo_load() -> PnbpReport | None:
    """Approve the latest ended month that has ledger entries (or simply last month, when
    the ledger is still empty) for the Lapas of the demo Kalapas."""
    from shop.apps.core.demo import DEMO_USERS  # the demo imports this module

    spec = next(u for u in DEMO_USERS if u["role"] == "kalapas")
    head = get_user_model().objects.filter(username=spec["username"]).first()
    if head is None:
        return None
    lapas = (
        Partner.objects.filter(users=head, short_code=spec["lapas"]).first()
        or Partner.objects.filter(users=head).first()
    )
    if lapas is None:
        return None
    existing = PnbpReport.objects.filter(lapas=lapas, kind=MONTHLY).order_by("-period_start")
    if existing.exists():
        return existing.first()
    period = period_last_ended(MONTHLY)
    _first, after = period.bounds()
    latest = (
        LedgerEntry.objects.filter(lapas=lapas, due_at__lt=after)
        .order_by("-due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if latest is not None:
        period = period_containing(MONTHLY, timezone.localdate(latest))
    return report_approve(lapas=lapas, kind=MONTHLY, period_start=period.start, user=head)
