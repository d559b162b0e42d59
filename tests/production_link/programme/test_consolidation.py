"""The region's consolidated report: the sum of the reports it acknowledged."""

import datetime
from decimal import Decimal

import pytest

from production_link.models import Batch
from production_link.programme import services
from production_link.programme.consolidation import region_consolidate
from production_link.reports.exports import EXPORTS
from production_link.reports.layouts import INT, LAYOUTS, MONEY
from production_link.reports.services import report_approve
from tests.factories import LedgerEntryFactory, ProductFactory, WorkshopFactory
from tests.production_link.report_scenarios import make_batch, wib

from .conftest import Q3

pytestmark = pytest.mark.django_db


def _quarter(lapas, name, units, price, made, failed=False):
    product = ProductFactory(
        title=f"Produk {name}",
        workshop=WorkshopFactory(lapas=lapas, name=f"Bengkel {name}"),
        stockrecord__num_in_stock=0,
    )
    batch = make_batch(product, made=made, produced=units * 2, stock=units, qc_passed=not failed)
    if failed:
        Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.QC_FAILED)
    LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 8, 10, 9), lines=[(batch, units, price)])


@pytest.fixture
def region_reports(region, lapas, other_lapas, head, other_head, officer, far_lapas, far_head):
    _quarter(lapas, "Roti", 4, "25000", datetime.date(2026, 7, 3))
    _quarter(other_lapas, "Batik", 2, "300000", datetime.date(2026, 8, 1), failed=True)
    _quarter(far_lapas, "Tenun", 9, "500000", datetime.date(2026, 8, 1))
    reports = []
    for user, lapas_ in ((head, lapas), (other_head, other_lapas), (far_head, far_lapas)):
        report = report_approve(lapas=lapas_, kind=Q3.kind, period_start=Q3.start, user=user)
        reports.append(report)
    for user, report in ((head, reports[0]), (other_head, reports[1])):
        submission = services.report_submit(user=user, report=report)
        services.submission_acknowledge(user=officer, submission=submission)
    return reports


def test_the_consolidated_figures_are_the_sum_of_the_acknowledged_reports(region, region_reports):
    view = region_consolidate(region=region, period=Q3)
    ours = [r.figures["summary"] for r in region_reports[:2]]
    for column in LAYOUTS[Q3.kind].summary:
        if column.kind in (INT, MONEY):
            expected = sum(Decimal(s[column.key] or 0) for s in ours)
            assert Decimal(view.figures["summary"][column.key]) == expected, column.key
    summary = view.figures["summary"]
    assert summary["units_sold"] == 6
    assert summary["revenue"] == Decimal("700000")
    # from the summed parts: 1 failed of 2 inspected; 6 sold of 6 + 6 in stock
    assert summary["qc_failure_rate"] == Decimal("50.0")
    assert summary["sell_through"] == Decimal("50.0")
    assert [row["lapas"] for row in view.figures["tables"]["by_lapas"]["rows"]] == sorted(
        [region_reports[0].lapas.name, region_reports[1].lapas.name]
    )


def test_a_report_not_acknowledged_is_left_out_and_named(region, region_reports, lapas, english):
    submission = region_reports[0].submission
    submission.status = "submitted"
    submission.save()
    view = region_consolidate(region=region, period=Q3)
    assert view.figures["summary"]["units_sold"] == 2
    assert view.figures["tables"]["not_included"]["rows"] == [
        {"lapas": lapas.name, "status": "Submitted to the region"}
    ]


def test_the_consolidated_report_exports_like_the_others(region, region_reports):
    view = region_consolidate(region=region, period=Q3)
    csv_text = EXPORTS["csv"][0](view).decode("utf-8")
    assert region.name in csv_text
    assert region_reports[0].lapas.name in csv_text
    assert EXPORTS["xlsx"][0](view)[:2] == b"PK"
    pdf = EXPORTS["pdf"][0](view)
    assert pdf.startswith(b"%PDF") and region.name.encode() in pdf


def test_the_officer_gets_their_own_region_whatever_they_ask(
    client, region, far_region, region_reports, far_officer, central_admin
):
    client.force_login(far_officer)
    response = client.get(
        "/en/dashboard/programme/region/consolidated/csv/",
        {"region": region.pk, "kind": "quarterly", "period": Q3.key},
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert far_region.name in text and region.name not in text
    client.force_login(central_admin)
    response = client.get(
        "/en/dashboard/programme/region/consolidated/",
        {"region": region.pk, "kind": "quarterly", "period": Q3.key},
    )
    assert response.status_code == 200
    assert region.name in response.content.decode()
