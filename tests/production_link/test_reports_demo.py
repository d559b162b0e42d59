import datetime

import pytest
from django.utils import timezone

from production_link.models import PnbpReport
from production_link.reports.periods import MONTHLY, period_containing, period_last_ended
from production_link.reports_demo import pnbp_reports_demo_load
from shop.apps.core.services import roles_sync, user_assign_role
from tests.factories import LedgerEntryFactory, ProductFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_head(lapas):
    roles_sync()
    return user_assign_role(
        user=UserFactory(username="kalapas.tangerang"), role_code="kalapas", lapas=lapas
    )


def test_without_entries_last_month_is_approved_once(demo_head, lapas):
    first = pnbp_reports_demo_load()
    again = pnbp_reports_demo_load()

    assert first == again == PnbpReport.objects.get()
    assert first.lapas == lapas and first.approved_by == demo_head
    assert first.period_start == period_last_ended(MONTHLY).start


def test_the_latest_ended_month_with_entries_is_approved(demo_head, lapas):
    earlier = period_last_ended(MONTHLY).previous()
    product = ProductFactory(workshop=WorkshopFactory(lapas=lapas), stockrecord__num_in_stock=0)
    moment = timezone.make_aware(datetime.datetime.combine(earlier.start, datetime.time(10)))
    LedgerEntryFactory(lapas=lapas, due_at=moment, lines=[(product, 2, 15000)])
    # This month's sales are not in an ended month.
    LedgerEntryFactory(lapas=lapas, due_at=timezone.now(), lines=[(product, 1, 15000)])

    report = pnbp_reports_demo_load()

    assert report.period_start == earlier.start
    assert report.figures["summary"]["net"] == "30000"
    assert period_containing(MONTHLY, timezone.localdate()).start > report.period_end


def test_nothing_happens_without_the_demo_kalapas(lapas):
    assert pnbp_reports_demo_load() is None
    assert not PnbpReport.objects.exists()
