"""Plan against actual on data worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from production_link.models import Batch
from production_link.programme import services
from production_link.programme.models import BudgetLine, Programme
from production_link.programme.selectors import plan_against_actual, programme_report_rows
from production_link.reports.selectors import report_figures
from tests.factories import LedgerEntryFactory, ProductFactory, WorkshopFactory
from tests.production_link.report_scenarios import make_batch, make_deposit, wib

from .conftest import Q3

D = Decimal
pytestmark = pytest.mark.django_db


def _batch(product, made, produced, cost, status=Batch.Status.RELEASED):
    batch = make_batch(product, made=made, produced=produced, status=status)
    Batch.objects.filter(pk=batch.pk).update(materials_cost=cost)
    return batch


@pytest.fixture
def year(bread, workshop, head, lapas):
    """2026 of the bakery: two batches made (March 30 units, October 20), one only
    planned, one of 2025, one of another workshop; sales in March (deposited) and August,
    a refund of one March unit in April, a sale of 2025."""
    march = _batch(bread, datetime.date(2026, 3, 10), 30, D("100000"))
    october = _batch(bread, datetime.date(2026, 10, 5), 20, D("50000"))
    _batch(bread, datetime.date(2026, 11, 1), None, None, status=Batch.Status.PLANNED)
    old = _batch(bread, datetime.date(2025, 12, 1), 40, D("90000"))
    cakes = ProductFactory(
        title="Bolu",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Kue", code="KUE"),
        stockrecord__num_in_stock=0,
    )
    _batch(cakes, datetime.date(2026, 5, 1), 99, D("70000"))
    sale = LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 3, 12, 10), lines=[(march, 5, "15000")])
    make_deposit(lapas, [sale], paid_on=datetime.date(2026, 3, 14), ntpn="NTPN0000000000A1")
    LedgerEntryFactory(reverses=sale, due_at=wib(2026, 4, 2, 9), lines=[(march, 1)])
    LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 8, 20, 15), lines=[(october, 3, "20000")])
    LedgerEntryFactory(lapas=lapas, due_at=wib(2025, 12, 20, 15), lines=[(old, 4, "15000")])

    programme = services.programme_save(
        user=head,
        workshop=workshop,
        year=2026,
        priorities="Roti tawar untuk kantin instansi",
        target_units=100,
        target_revenue="1000000",
    )
    services.budget_line_add(
        user=head, programme=programme, item="Tepung terigu", volume="10", unit="sak",
        unit_cost="150000", funding_source=BudgetLine.Source.DIPA,
    )  # fmt: skip
    services.budget_line_add(
        user=head, programme=programme, item="Ragi", volume="2.5", unit="kg",
        unit_cost="3333", funding_source=BudgetLine.Source.PNBP,
    )  # fmt: skip
    done = services.milestone_add(
        user=head, programme=programme, title="Oven baru", due_on=datetime.date(2026, 3, 1)
    )
    services.milestone_mark_done(user=head, milestone=done, done_on=datetime.date(2026, 3, 3))
    services.milestone_add(
        user=head, programme=programme, title="Sertifikat halal", due_on=datetime.date(2026, 6, 30)
    )
    services.milestone_add(
        user=head, programme=programme, title="Evaluasi", due_on=datetime.date(2026, 12, 31)
    )
    return programme


def test_plan_against_actual_for_the_year(year):
    found = plan_against_actual([year], until=datetime.date(2026, 12, 6))[0]

    assert found.actual == {
        "batches": 2,
        "units_produced": 50,
        "costs": D("150000"),
        "units_sold": 5 - 1 + 3,
        "revenue": D("75000") - D("15000") + D("60000"),
        "pnbp_deposited": D("75000"),
    }
    # 10 × 150.000 and 2,5 × 3.333 = 8.332,5, rounded half up.
    assert found.budget == D("1500000") + D("8333")
    assert found.budget_by_source == {"dipa": D("1500000"), "pnbp": D("8333")}
    assert (found.milestones, found.milestones_done) == (3, 1)
    assert found.milestones_overdue == 1  # the halal certificate; the evaluation is ahead
    assert found.units_progress == D("50.0")
    assert found.revenue_progress == D("12.0")
    assert found.budget_used == D("9.9")


def test_the_quarterly_report_carries_the_programme_to_the_end_of_its_quarter(year, lapas):
    [row] = programme_report_rows(lapas=lapas, period=Q3)
    assert row["units_produced"] == 30  # the October batch is after the quarter
    assert row["revenue"] == D("120000")
    assert row["budget"] == D("1508333")
    assert row["milestones"] == "1/3"

    figures = report_figures(lapas=lapas, period=Q3)
    assert figures["tables"]["programme"]["rows"][0]["target_units"] == 100


def test_plan_against_actual_costs_the_same_queries_for_more_programmes(
    year, lapas, head, django_assert_max_num_queries
):
    for index in range(5):
        services.programme_save(
            user=head,
            workshop=WorkshopFactory(lapas=lapas, name=f"Bengkel {index}"),
            year=2026,
            target_units=10,
        )
    with django_assert_max_num_queries(5):
        rows = plan_against_actual(Programme.objects.filter(year=2026))
    assert len(rows) == 6


def test_a_programme_is_one_per_workshop_and_year(year, head, workshop):
    again = services.programme_save(user=head, workshop=workshop, year=2026, target_units=120)
    assert again.pk == year.pk
    assert Programme.objects.get(pk=year.pk).target_units == 120


def test_bad_budget_input_is_refused_and_changes_nothing(year, head, english):
    for values, field in (
        ({"volume": "-1"}, "volume"),
        ({"volume": "abc"}, "volume"),
        ({"unit_cost": "12.5"}, "unit_cost"),
        ({"funding_source": "bank"}, "funding_source"),
        ({"item": "  "}, "item"),
    ):
        data = {"item": "Gula", "volume": "1", "unit": "kg", "unit_cost": "1000"}
        data["funding_source"] = "dipa"
        data.update(values)
        with pytest.raises(ValidationError) as error:
            services.budget_line_add(user=head, programme=year, **data)
        assert field in error.value.message_dict
    assert year.budget_lines.count() == 2


def test_hostile_text_is_refused_with_a_message_and_changes_nothing(year, head, client):
    # A NUL character would make PostgreSQL refuse the save (a 500); over-long text and
    # markup in a name are either refused or shown escaped.
    client.force_login(head)
    url = reverse("programme_dashboard:programme-detail", kwargs={"pk": year.pk})
    for path, data in (
        ("", {"priorities": "a\x00b", "target_units": "1", "target_revenue": "1"}),
        ("", {"priorities": "x" * 5000, "target_units": "1", "target_revenue": "1"}),
        ("", {"priorities": "x", "target_units": "-5", "target_revenue": "1"}),
        ("", {"priorities": "x", "target_units": "1", "target_revenue": "9" * 30}),
        ("budget/", {"item": "a\x00b", "volume": "1", "unit": "kg", "unit_cost": "1"}),
        ("budget/", {"item": "Gula", "volume": "9" * 30, "unit": "kg", "unit_cost": "1"}),
        ("milestones/", {"title": "a\x00b", "due_on": "2026-06-01"}),
        ("milestones/", {"title": "Lama", "due_on": "1900-01-01"}),
    ):
        data.setdefault("funding_source", "dipa")
        response = client.post(url + path, data, follow=True)
        assert response.status_code == 200, (path, data)
        assert [m for m in response.context["messages"] if m.level_tag == "error"], (path, data)
    year.refresh_from_db()
    assert year.priorities == "Roti tawar untuk kantin instansi"
    assert year.target_units == 100
    assert year.budget_lines.count() == 2 and year.milestones.count() == 3

    client.post(
        url + "budget/",
        {
            "item": "<script>x</script>",
            "volume": "1",
            "unit": "kg",
            "unit_cost": "1",
            "funding_source": "dipa",
        },
    )
    page = client.get(url).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_a_milestone_is_due_in_the_programme_year(year, head):
    with pytest.raises(ValidationError):
        services.milestone_add(
            user=head, programme=year, title="Tahun depan", due_on=datetime.date(2027, 1, 5)
        )


def test_only_the_kalapas_of_the_lapas_changes_the_programme(
    year, workshop, other_head, officer, treasurer
):
    for user in (other_head, officer, treasurer):
        with pytest.raises(PermissionDenied):
            services.programme_save(user=user, workshop=workshop, year=2026, target_units=1)
        with pytest.raises(PermissionDenied):
            services.budget_line_add(
                user=user, programme=year, item="x", volume="1", unit="kg", unit_cost="1",
                funding_source="dipa",
            )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.milestone_mark_done(user=user, milestone=year.milestones.last())
    assert Programme.objects.get(pk=year.pk).target_units == 100
