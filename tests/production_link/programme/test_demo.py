"""The demo shows the work programme, the monev, the regions and a returned report."""

import pytest

from production_link.programme.models import FollowUp, Programme, ReportSubmission
from production_link.reports.periods import QUARTERLY, period_last_ended
from shop.apps.core.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_the_demo_region_programme_and_returned_report(demo_shop, client):
    programme = Programme.objects.get(
        workshop__name="Bengkel Roti", workshop__lapas__short_code="TNG"
    )
    assert programme.budget_lines.count() == 5
    assert programme.milestones.filter(done_on__isnull=False).exists()

    returned = ReportSubmission.objects.get(status=ReportSubmission.Status.RETURNED)
    assert returned.report.kind == QUARTERLY
    assert returned.report.period_start == period_last_ended(QUARTERLY).start
    assert ReportSubmission.objects.filter(status="acknowledged").exists()
    # an open follow-up of an earlier quarter is carried into the returned report
    assert FollowUp.objects.filter(status__in=FollowUp.OPEN_STATUSES).count() == 2

    assert client.login(username="kanwil.banten", password=DEMO_PASSWORD)
    body = client.get("/en/dashboard/programme/region/").content.decode()
    assert "Lapas Kelas I Tangerang" in body and "Lapas Kelas I Cipinang" in body
    assert "Yogyakarta" not in body
