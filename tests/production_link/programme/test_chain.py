"""Reports up the chain: the Kalapas submits an approved report to the region, which
acknowledges it or returns it with a note; a returned report is submitted again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from production_link.programme import services
from production_link.programme.models import ReportSubmission, SubmissionEvent
from production_link.reports.services import report_approve
from tests.factories import LedgerEntryFactory
from tests.production_link.report_scenarios import wib

from .conftest import Q3

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(lapas, head, region, bread):
    LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 8, 3, 10), lines=[(bread, 2, "20000")])
    return report_approve(lapas=lapas, kind=Q3.kind, period_start=Q3.start, user=head)


@pytest.fixture
def submitted(approved, head):
    return services.report_submit(user=head, report=approved)


def _actions(submission):
    return list(submission.events.values_list("action", flat=True))


def test_submit_acknowledge(submitted, officer, region):
    assert submitted.region == region
    assert submitted.status == ReportSubmission.Status.SUBMITTED
    done = services.submission_acknowledge(user=officer, submission=submitted, note="Lengkap")
    assert done.status == ReportSubmission.Status.ACKNOWLEDGED
    assert done.reviewed_by == officer
    assert _actions(done) == ["submitted", "acknowledged"]


def test_return_and_resubmit_freezes_the_figures_anew(submitted, officer, head, lapas, bread):
    returned = services.submission_return(
        user=officer, submission=submitted, note="Tindak lanjut belum diisi"
    )
    assert returned.status == ReportSubmission.Status.RETURNED
    assert returned.note == "Tindak lanjut belum diisi"
    # A late sale of the quarter: the resubmitted report carries it.
    LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 9, 30, 10), lines=[(bread, 1, "20000")])
    again = services.report_resubmit(user=head, submission=returned, note="Sudah diisi")
    assert again.status == ReportSubmission.Status.SUBMITTED
    again.report.refresh_from_db()
    assert again.report.figures["summary"]["units_sold"] == 3
    assert _actions(again) == ["submitted", "returned", "resubmitted"]
    services.submission_acknowledge(user=officer, submission=again)


def test_a_return_needs_a_note(submitted, officer, english):
    with pytest.raises(ValidationError):
        services.submission_return(user=officer, submission=submitted, note="  ")
    submitted.refresh_from_db()
    assert submitted.status == ReportSubmission.Status.SUBMITTED


def test_submitting_twice_is_refused_once_applied(submitted, head, english):
    with pytest.raises(ValidationError, match="already sent"):
        services.report_submit(user=head, report=submitted.report)
    assert ReportSubmission.objects.count() == 1
    assert SubmissionEvent.objects.count() == 1


def test_a_reviewed_report_is_not_reviewed_again(submitted, officer):
    services.submission_acknowledge(user=officer, submission=submitted)
    with pytest.raises(ValidationError):
        services.submission_return(user=officer, submission=submitted, note="Terlambat")
    with pytest.raises(ValidationError):
        services.submission_acknowledge(user=officer, submission=submitted)
    submitted.refresh_from_db()
    assert submitted.status == ReportSubmission.Status.ACKNOWLEDGED


def test_only_a_returned_report_is_resubmitted(submitted, head):
    with pytest.raises(ValidationError):
        services.report_resubmit(user=head, submission=submitted)


def test_who_may_do_what(approved, head, other_head, officer, far_officer, treasurer):
    for user in (officer, other_head, treasurer):
        with pytest.raises(PermissionDenied):
            services.report_submit(user=user, report=approved)
    submission = services.report_submit(user=head, report=approved)
    for user in (far_officer, head, other_head):
        with pytest.raises(PermissionDenied):
            services.submission_acknowledge(user=user, submission=submission)
        with pytest.raises(PermissionDenied):
            services.submission_return(user=user, submission=submission, note="x")
    services.submission_return(user=officer, submission=submission, note="Kurang lampiran")
    with pytest.raises(PermissionDenied):
        services.report_resubmit(user=officer, submission=submission)
    submission.refresh_from_db()
    assert submission.status == ReportSubmission.Status.RETURNED


def test_a_lapas_outside_every_region_cannot_submit(far_lapas, far_head, english):
    # far_lapas is in no region here (the far_region fixture is not asked for).
    report = report_approve(lapas=far_lapas, kind=Q3.kind, period_start=Q3.start, user=far_head)
    with pytest.raises(ValidationError, match="no region"):
        services.report_submit(user=far_head, report=report)


def test_the_lapas_reads_the_note_and_resubmits_from_the_report_page(
    client, submitted, officer, head, lapas
):
    client.force_login(officer)
    response = client.post(
        f"/en/dashboard/programme/region/submissions/{submitted.pk}/return/",
        {"note": "Lampirkan foto kegiatan"},
    )
    assert response.status_code == 302
    client.force_login(head)
    page = client.get(
        "/en/dashboard/pnbp-reports/report/",
        {"kind": "quarterly", "period": Q3.key, "lapas": lapas.pk},
    )
    body = page.content.decode()
    assert "Lampirkan foto kegiatan" in body
    assert "Submit again" in body
    client.post("/en/dashboard/programme/reports/resubmit/", {"submission": submitted.pk})
    submitted.refresh_from_db()
    assert submitted.status == ReportSubmission.Status.SUBMITTED


def test_the_officer_reviews_on_the_region_pages(client, submitted, officer, far_officer):
    client.force_login(far_officer)
    url = f"/en/dashboard/programme/region/submissions/{submitted.pk}/"
    assert client.get(url).status_code == 404  # another region's
    assert client.post(url + "acknowledge/").status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.post(url + "acknowledge/", {"note": ""})
    submitted.refresh_from_db()
    assert submitted.status == ReportSubmission.Status.ACKNOWLEDGED
