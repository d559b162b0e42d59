"""Report figures against figures worked out by hand (see report_scenarios)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from production_link.reports.periods import (
    MONTHLY,
    QUARTERLY,
    SEMESTER,
    YEARLY,
    period_containing,
    period_parse,
)
from production_link.reports.selectors import report_figures
from tests.factories import LedgerEntryFactory
from tests.production_link.report_scenarios import october, third_quarter, wib

pytestmark = pytest.mark.django_db
D = Decimal
OCTOBER = period_parse(MONTHLY, "2026-10")


def rows_by(figures, table, key):
    return {row[key]: row for row in figures["tables"][table]["rows"]}


def test_periods_parse_and_bound_in_jakarta_time():
    assert period_parse(MONTHLY, "2026-10").end == datetime.date(2026, 10, 31)
    assert period_parse(QUARTERLY, "2026-Q3").start == datetime.date(2026, 7, 1)
    assert period_parse(SEMESTER, "2026-s2").end == datetime.date(2026, 12, 31)
    assert period_parse(YEARLY, "2026").key == "2026"
    first, after = OCTOBER.bounds()
    assert first.isoformat() == "2026-10-01T00:00:00+07:00"
    assert after.isoformat() == "2026-11-01T00:00:00+07:00"
    assert OCTOBER.due_on == datetime.date(2026, 11, 10)
    assert period_containing(MONTHLY, datetime.date(2026, 12, 31)).previous().key == "2026-11"


@pytest.mark.parametrize(
    ("kind", "text"),
    [(MONTHLY, "2026-13"), (QUARTERLY, "2026-Q5"), (SEMESTER, "2026"), (YEARLY, "26")],
)
def test_a_bad_period_is_refused_naming_the_field(kind, text, english):
    with pytest.raises(ValidationError) as error:
        period_parse(kind, text)

    assert "period" in error.value.message_dict
    assert "Write the period like" in error.value.message_dict["period"][0]


def test_monthly_report_of_one_lapas(lapas, other_lapas):
    october(lapas, other_lapas)

    figures = report_figures(lapas=lapas, period=OCTOBER)

    assert figures["due_on"] == "2026-11-10"
    assert figures["summary"] == {
        "entries": 4,
        "sales": D("115000"),
        "reversals": D("-15000"),
        "net": D("100000"),
        "deposited": D("45000"),
        "pending": D("55000"),
        "outstanding": D("55000"),
        "pnbp": D("97000"),
        "premi": D("3000"),
        "working_capital": D("0"),
        "programme": D("0"),
        "deposits_paid": D("40000"),
    }
    accounts = rows_by(figures, "by_account", "account_code")
    assert accounts["425131"] == {
        "account_code": "425131",
        "sales": D("100000"),
        "reversals": D("-15000"),
        "net": D("85000"),
        "deposited": D("30000"),
        "outstanding": D("55000"),
    }
    assert accounts["425139"]["net"] == D("15000")
    assert accounts["425139"]["outstanding"] == D("0")
    channels = rows_by(figures, "by_channel", "channel")
    assert channels["online"]["net"] == D("45000")
    assert channels["online"]["deposited"] == D("45000")
    assert channels["pos"]["sales"] == D("70000")
    assert channels["pos"]["reversals"] == D("-15000")
    assert channels["pos"]["outstanding"] == D("55000")
    deposits = figures["tables"]["deposits"]
    assert [(r["paid_on"], r["ntpn"], r["entries"], r["amount"]) for r in deposits["rows"]] == [
        ("2026-10-02", "0A1B2C3D4E5F6G7H", 2, D("40000"))
    ]
    assert "by_lapas" not in figures["tables"]


def test_the_monthly_totals_equal_the_sum_of_the_month_entries(lapas, other_lapas):
    scenario = october(lapas, other_lapas)

    figures = report_figures(lapas=lapas, period=OCTOBER)

    assert figures["summary"]["net"] == sum(e.gross for e in scenario.entries)
    table_sum = sum(r["net"] for r in figures["tables"]["by_channel"]["rows"])
    assert table_sum == figures["tables"]["by_channel"]["total"]["net"] == D("100000")


def test_an_entry_at_23_30_wib_on_the_last_day_belongs_to_that_month(lapas):
    product_entry = LedgerEntryFactory(
        lapas=lapas,
        due_at=wib(2026, 10, 31, 23, 30),  # 16:30 UTC, already 1 November east of Jakarta
        lines=[(product_line(lapas), 1, D("15000"))],
    )

    assert report_figures(lapas=lapas, period=OCTOBER)["summary"]["net"] == D("15000")
    november = period_parse(MONTHLY, "2026-11")
    assert report_figures(lapas=lapas, period=november)["summary"]["net"] == D("0")
    assert product_entry.due_at.astimezone(datetime.UTC).day == 31


def product_line(lapas):
    from tests.factories import ProductFactory, WorkshopFactory

    return ProductFactory(workshop=WorkshopFactory(lapas=lapas), stockrecord__num_in_stock=0)


def test_central_staff_see_all_lapas_together(lapas, other_lapas):
    october(lapas, other_lapas)

    figures = report_figures(lapas=None, period=OCTOBER)

    assert figures["lapas"] is None
    assert figures["summary"]["sales"] == D("215000")
    assert figures["summary"]["net"] == D("200000")
    assert figures["summary"]["deposited"] == D("45000")
    assert figures["summary"]["outstanding"] == D("155000")
    by_lapas = rows_by(figures, "by_lapas", "lapas")
    assert by_lapas["Lapas Kelas I Tangerang"]["net"] == D("100000")
    assert by_lapas["Lapas Kelas I Cipinang"]["outstanding"] == D("100000")
    assert figures["tables"]["by_lapas"]["total"]["net"] == D("200000")


def test_the_monthly_report_takes_the_same_few_queries_for_many_entries(lapas):
    product = product_line(lapas)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            report_figures(lapas=lapas, period=OCTOBER)
        return len(captured)

    LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 10, 3, 9), lines=[(product, 1, D("1000"))])
    few = queries()
    for day in range(4, 29):
        LedgerEntryFactory(
            lapas=lapas, due_at=wib(2026, 10, day, 9), lines=[(product, 2, D("1000"))]
        )

    assert queries() == few <= 8


def test_quarterly_monitoring_report_per_workshop(lapas):
    scenario = third_quarter(lapas)

    figures = report_figures(lapas=lapas, period=period_parse(QUARTERLY, "2026-Q3"))

    assert figures["summary"] == {
        "batches": 3,
        "units_produced": 38,
        "qc_inspected": 3,
        "qc_failed": 1,
        "qc_failure_rate": D("33.3"),
        "units_sold": 19,
        "revenue": D("655000"),
        "stock_on_hand": 13,
        "sell_through": D("59.4"),
        "premi": D("65500"),
    }
    workshops = rows_by(figures, "by_workshop", "workshop")
    assert workshops["Bengkel Roti"] == {
        "lapas": "Lapas Kelas I Tangerang",
        "workshop": "Bengkel Roti",
        "category": "Pangan",
        "batches": 2,
        "units_produced": 30,
        "labour_hours": D("15.5"),
        "qc_failure_rate": D("50.0"),
        "units_sold": 17,
        "revenue": D("255000"),
        "stock_on_hand": 7,
        "sell_through": D("70.8"),
        "premi": D("25500"),
    }
    assert workshops["Bengkel Batik"]["sell_through"] == D("25.0")
    assert workshops["Bengkel Batik"]["qc_failure_rate"] == D("0.0")
    assert workshops["Bengkel Batik"]["premi"] == D("40000")
    categories = rows_by(figures, "by_category", "category")
    assert categories["Sandang"]["revenue"] == D("400000")
    assert categories["Pangan"]["units_sold"] == 17
    segments = rows_by(figures, "by_segment", "segment")
    assert segments["Rumah tangga"] == {
        "segment": "Rumah tangga",
        "units_sold": 19,
        "revenue": D("655000"),
    }
    assert segments["Kolektor"] == {"segment": "Kolektor", "units_sold": 2, "revenue": D("400000")}
    channels = rows_by(figures, "by_channel", "channel")
    assert (channels["online"]["units_sold"], channels["online"]["revenue"]) == (13, D("195000"))
    assert (channels["pos"]["units_sold"], channels["pos"]["revenue"]) == (6, D("460000"))
    by_batch = {
        row["batch"]: (row["units_sold"], row["revenue"], row["premi"])
        for row in figures["tables"]["by_batch"]["rows"]
    }
    assert by_batch == {
        scenario.a.code: (14, D("210000"), D("21000")),
        scenario.c.code: (2, D("400000"), D("40000")),
        scenario.e.code: (3, D("45000"), D("4500")),
    }
    assert figures["tables"]["by_batch"]["total"]["premi"] == D("65500")


def test_semester_report_covers_six_months(lapas):
    third_quarter(lapas)

    figures = report_figures(lapas=lapas, period=period_parse(SEMESTER, "2026-S2"))

    # The quarter plus 2 units of batch A sold on 1 October.
    assert figures["summary"]["units_sold"] == 21
    assert figures["summary"]["revenue"] == D("685000")
    assert figures["summary"]["batches"] == 3


def test_yearly_summary_by_month_and_workshop(lapas):
    third_quarter(lapas)
    LedgerEntryFactory(
        lapas=lapas, due_at=wib(2027, 1, 1, 0, 10), lines=[(product_line(lapas), 1, D("5000"))]
    )

    figures = report_figures(lapas=lapas, period=period_parse(YEARLY, "2026"))

    months = rows_by(figures, "by_month", "month")
    assert len(months) == 12
    assert months["2026-07"]["net"] == D("150000")
    assert months["2026-08"]["net"] == D("475000")
    assert months["2026-09"]["net"] == D("30000")  # 45.000 sold, 15.000 refunded
    assert months["2026-09"]["units_sold"] == 2
    assert months["2026-10"]["net"] == D("30000")
    assert months["2026-06"]["batches"] == 1 and months["2026-06"]["units_produced"] == 12
    assert months["2026-08"]["batches"] == 1
    assert figures["summary"]["net"] == D("685000")
    assert figures["summary"]["premi"] == D("68500")
    assert figures["summary"]["batches"] == 4
    assert figures["summary"]["units_produced"] == 50
    assert figures["summary"]["units_sold"] == 21
    workshops = rows_by(figures, "by_workshop", "workshop")
    assert workshops["Bengkel Roti"]["revenue"] == D("285000")
    assert workshops["Bengkel Batik"]["units_sold"] == 2
