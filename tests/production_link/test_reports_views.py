"""The report pages in the dashboard and the report API: who sees what, exports, approval."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from production_link.models import PnbpReport
from production_link.reports.periods import MONTHLY, period_parse
from production_link.reports.services import report_approve
from shop.apps.core.services import user_assign_role
from tests.factories import LedgerEntryFactory, UserFactory
from tests.production_link.report_scenarios import october, wib

pytestmark = pytest.mark.django_db
OCTOBER = period_parse(MONTHLY, "2026-10")
API = "/api/v1/pnbp/reports/monthly"


def role(username, code, lapas):
    user = UserFactory(username=username, first_name="Ratna", last_name="Sari")
    return user_assign_role(user=user, role_code=code, lapas=lapas)


@pytest.fixture
def scenario(lapas, other_lapas):
    return october(lapas, other_lapas)


@pytest.fixture
def treasurer(lapas):
    return role("bendahara.tng", "treasurer", lapas)


@pytest.fixture
def head(lapas):
    return role("kalapas.tng", "kalapas", lapas)


def url(name, lang="id", **kwargs):
    # A request to an /en/ page leaves English active in the test thread: name the language.
    with translation.override(lang):
        return reverse(f"pnbp_reports_dashboard:{name}", kwargs=kwargs or None)


def report_url(lapas, period="2026-10", kind="monthly", name="report", lang="id", **kwargs):
    scope = "all" if lapas is None else lapas.pk
    return f"{url(name, lang, **kwargs)}?kind={kind}&period={period}&lapas={scope}"


def test_the_treasurer_reads_the_report_of_their_lapas(client, scenario, treasurer, lapas):
    client.force_login(treasurer)

    response = client.get(report_url(lapas))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Rp100.000" in body  # net received, in Indonesian rupiah
    assert "Oktober 2026" in body
    assert "Approve report" not in body and "approve/" not in body


def test_the_english_page_has_english_headings(client, scenario, treasurer, lapas):
    client.force_login(treasurer)

    body = client.get(report_url(lapas, lang="en")).content.decode()

    assert "Monthly PNBP report" in body
    assert "October 2026" in body
    assert "Rp100,000" in body


def test_the_treasurer_is_refused_another_lapas_and_all_lapas(
    client, scenario, treasurer, other_lapas
):
    client.force_login(treasurer)

    assert client.get(report_url(other_lapas)).status_code == 403
    assert client.get(report_url(None)).status_code == 403
    assert client.get(report_url(other_lapas, name="export", fmt="csv")).status_code == 403


@pytest.mark.parametrize("code", ["workshop_staff", "cashier"])
def test_workshop_staff_and_cashiers_are_refused(client, lapas, code):
    client.force_login(role(f"user.{code}", code, lapas))

    assert client.get(url("index")).status_code == 403
    assert client.get(report_url(lapas)).status_code == 403
    assert client.get(API, {"lapas": lapas.pk, "period": "2026-10"}).status_code == 403


def test_buyers_are_refused_and_visitors_sent_to_log_in(client, buyer, lapas):
    response = client.get(url("index"))
    assert response.status_code == 302 and "login" in response["Location"]

    client.force_login(buyer)
    assert client.get(url("index")).status_code == 403


def test_the_menu_shows_reports_to_the_treasurer_only(client, treasurer, workshop_staff):
    link = url("index")
    with translation.override("id"):
        dashboard = reverse("dashboard:index")
    client.force_login(treasurer)
    assert link in client.get(dashboard).content.decode()

    client.force_login(workshop_staff)
    assert link not in client.get(dashboard).content.decode()


def test_central_admin_sees_all_lapas_together(client, scenario, central_admin):
    client.force_login(central_admin)

    response = client.get(report_url(None))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Lapas Kelas I Cipinang" in body and "Rp200.000" in body


def test_index_lists_recent_periods_and_approved_reports(client, scenario, head, lapas):
    report_approve(lapas=lapas, kind=MONTHLY, period_start=OCTOBER.start, user=head)
    client.force_login(head)

    body = client.get(url("index")).content.decode()

    assert "Ratna Sari" in body
    assert "01-10-2026" in body


def test_a_bad_period_names_the_field(client, treasurer, lapas):
    client.force_login(treasurer)

    response = client.get(report_url(lapas, period="oktober", lang="en"))

    assert response.status_code == 400
    assert "Write the period like 2026-10" in response.content.decode()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_exports_download(client, scenario, treasurer, lapas, fmt, content_type):
    client.force_login(treasurer)

    response = client.get(report_url(lapas, name="export", fmt=fmt))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f'filename="laporan-monthly-tng-2026-10.{fmt}"' in response["Content-Disposition"]
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.content)).sheetnames[0]


def test_an_unknown_export_format_is_not_found(client, treasurer, lapas):
    client.force_login(treasurer)

    assert client.get(report_url(lapas, name="export", fmt="docx")).status_code == 404


def test_the_kalapas_approves_from_the_page(client, scenario, head, lapas):
    client.force_login(head)
    assert "Approve report" in client.get(report_url(lapas, lang="en")).content.decode()

    data = {"kind": "monthly", "period": "2026-10", "lapas": lapas.pk}
    response = client.post(url("approve"), data)
    again = client.post(url("approve", "en"), data, follow=True)

    assert response.status_code == 302
    assert PnbpReport.objects.get().approved_by == head
    assert "already approved by Ratna Sari" in again.content.decode()
    assert PnbpReport.objects.count() == 1


def test_the_treasurer_cannot_approve(client, scenario, treasurer, lapas):
    client.force_login(treasurer)

    data = {"kind": "monthly", "period": "2026-10", "lapas": lapas.pk}
    response = client.post(url("approve", "en"), data, follow=True)

    assert "Only the head of this Lapas" in response.content.decode()
    assert not PnbpReport.objects.exists()


def test_an_approved_page_shows_frozen_figures_and_a_notice_of_changes(
    client, scenario, head, lapas
):
    report_approve(lapas=lapas, kind=MONTHLY, period_start=OCTOBER.start, user=head)
    LedgerEntryFactory(
        reverses=scenario.entries[0], due_at=wib(2026, 10, 29, 8, 0), lines=[(scenario.loaves, 2)]
    )
    client.force_login(head)

    body = client.get(report_url(lapas, lang="en")).content.decode()

    assert "Approved by Ratna Sari on" in body
    assert "The ledger has changed since approval." in body
    assert "Rp100,000 → Rp70,000" in body


def test_api_gives_the_treasurer_the_figures(client, scenario, treasurer, lapas):
    client.force_login(treasurer)

    response = client.get(API, {"lapas": lapas.pk, "period": "2026-10"})

    assert response.status_code == 200
    data = response.json()
    assert data["approved"] is False
    assert data["due_on"] == "2026-11-10"
    assert data["figures"]["summary"]["net"] == "100000"
    assert data["figures"]["summary"]["outstanding"] == "55000"
    channels = {row["channel"]: row for row in data["figures"]["tables"]["by_channel"]["rows"]}
    assert channels["pos"]["reversals"] == "-15000"


def test_api_defaults_to_the_users_lapas_and_the_last_ended_month(client, treasurer, lapas):
    client.force_login(treasurer)

    data = client.get(API).json()

    assert data["lapas_id"] == lapas.pk
    assert data["period_end"] < data["due_on"]


def test_api_returns_the_frozen_figures_of_an_approved_report(client, scenario, head, lapas):
    report_approve(lapas=lapas, kind=MONTHLY, period_start=OCTOBER.start, user=head)
    LedgerEntryFactory(
        reverses=scenario.entries[0], due_at=wib(2026, 10, 29, 8, 0), lines=[(scenario.loaves, 1)]
    )
    client.force_login(head)

    data = client.get(API, {"lapas": lapas.pk, "period": "2026-10"}).json()

    assert data["approved"] is True
    assert data["approved_by"] == "Ratna Sari"
    assert data["live_differs"] is True
    assert data["figures"]["summary"]["net"] == "100000"


def test_api_refusals(client, scenario, treasurer, other_lapas, lapas):
    assert client.get(API, {"lapas": lapas.pk}).status_code == 401
    client.force_login(treasurer)

    assert client.get(API, {"lapas": other_lapas.pk}).status_code == 403
    assert client.get(API, {"lapas": "all"}).status_code == 403
    assert client.get(API, {"lapas": lapas.pk, "period": "2026-13"}).status_code == 422
    assert client.get(API, {"lapas": "nope"}).status_code == 422
    assert client.get("/api/v1/pnbp/reports/weekly").status_code == 404


def test_api_gives_central_admin_every_lapas(client, scenario, central_admin):
    client.force_login(central_admin)

    data = client.get(API, {"lapas": "all", "period": "2026-10"}).json()

    assert data["lapas"] is None
    assert data["figures"]["summary"]["net"] == "200000"
    assert len(data["figures"]["tables"]["by_lapas"]["rows"]) == 2
