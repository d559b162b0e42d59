"""Insight's figures on the small shop of conftest.py, worked out by hand."""

from decimal import Decimal

import pytest

from production_link.insight import counters, selectors
from production_link.insight.models import SearchWeek
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope(shop, workshop_staff):
    return selectors.insight_scope_for_user(user=workshop_staff)


def test_headline_of_the_lapas(scope, lapas):
    assert scope.lapas == lapas
    assert selectors.headline(scope) == {
        "orders": 3,
        "revenue": Decimal(70000),
        "units": 6,
        "views": 90,
        "conversion": Decimal("6.7"),
    }


def test_searches_normalised_and_split_by_what_they_found(scope):
    unmet = selectors.searches_unmet(scope)
    assert [(r["query"], r["searches"], r["no_results"], r["few_results"]) for r in unmet] == [
        ("roti keju", 2, 2, 0)
    ]
    (week,) = selectors.searches_by_week(scope)
    assert (week["searches"], week["no_results"], week["few_results"]) == (3, 2, 0)
    assert week["week"].weekday() == 0


def test_few_results_and_empty_searches(db):
    counters.search_note(query="  ", result_count=0)
    counters.search_note(query="Kursi", result_count=3)
    counters.search_note(query="Kursi", result_count=4)
    row = SearchWeek.objects.get()
    assert (row.query, row.searches, row.no_results, row.few_results) == ("kursi", 2, 0, 1)


def test_viewed_not_bought(scope, shop):
    rows = selectors.viewed_not_bought(scope)
    assert [(r["title"], r["views"]) for r in rows] == [("Tart Buah", 30)]


def test_funnel_per_product(scope):
    rows = {r["title"]: r for r in selectors.product_funnel(scope)}
    roti = rows["Roti Gandum"]
    assert (roti["views"], roti["baskets"], roti["orders"], roti["units"]) == (50, 2, 2, 5)
    assert roti["revenue"] == Decimal(50000)
    assert roti["basket_rate"] == Decimal("4.0")
    assert roti["order_rate"] == Decimal("100.0")
    assert "Kain Batik Tulis" not in rows  # another Lapas's


def test_batch_sell_through_days_and_margin(scope):
    rows = {r["product__title"]: r for r in selectors.batch_figures(scope)}
    roti = rows["Roti Gandum"]
    assert (roti["made"], roti["sold"], roti["sell_through"]) == (10, 5, Decimal("50.0"))
    assert (roti["unit_cost"], roti["unit_price"], roti["unit_margin"]) == (4000, 10000, 6000)
    assert roti["margin_pct"] == Decimal("60.0")
    assert roti["margin"] == Decimal(10000)  # Rp50.000 sold less Rp40.000 of materials
    assert roti["days_to_sell_out"] is None  # still selling
    kue = rows["Kue Lapis"]
    assert (kue["status"], kue["sell_through"], kue["days_to_sell_out"]) == (
        "sold_out",
        Decimal("100.0"),
        1,
    )
    assert kue["margin"] is None  # no materials cost recorded


def test_stock_out_and_demand_lost(scope):
    (row,) = selectors.stock_outs(scope)
    assert row["title"] == "Kue Lapis"
    assert row["days"] == 0
    # 10 views since it sold out × 1 unit sold per 10 views of its own.
    assert (row["views_since"], row["lost_units"], row["lost_revenue"]) == (10, 1, 20000)


def test_who_buys(scope):
    assert [(r["kind"], r["orders"], r["revenue"]) for r in selectors.buyers_by_channel(scope)] == [
        ("online", 3, Decimal(70000))
    ]
    provinces = [
        (r["province"], r["orders"], r["revenue"]) for r in selectors.buyers_by_province(scope)
    ]
    assert provinces == [("Banten", 2, Decimal(50000)), ("DKI Jakarta", 1, Decimal(20000))]
    segments = [
        (r["segment"], r["units"], r["revenue"]) for r in selectors.buyers_by_segment(scope)
    ]
    assert segments == [("Rumah tangga", 6, Decimal(70000))]
    assert selectors.repeat_buyers(scope) == {"buyers": 2, "repeat": 1, "share": Decimal("50.0")}


def test_every_lapas_together_for_central_admin(shop, central_admin):
    scope = selectors.insight_scope_for_user(user=central_admin)
    assert scope.lapas is None
    assert selectors.headline(scope)["orders"] == 4
    kinds = {r["segment"] for r in selectors.buyers_by_segment(scope)}
    assert kinds == {"Rumah tangga", "Kantor"}


def test_what_to_make_next_ranks_lines_with_their_reasons(scope, shop, english):
    lines = selectors.make_next(scope, shop["bakery"])
    kinds = [line.kind for line in lines]
    assert kinds[0] == "sold_out_fast"
    assert "Kue Lapis" in lines[0].title
    assert "1 units in 1 days" in lines[0].reason
    assert "about 1 units of demand lost" in lines[0].reason
    assert "margin" in kinds  # Roti Gandum: Rp6.000 a unit over materials
    search = next(line for line in lines if line.kind == "search")
    assert "roti keju" in search.title
    assert [line.monthly_value for line in lines] == sorted(
        (line.monthly_value for line in lines), reverse=True
    )


def test_segments_buying_the_field_from_other_lapas_only(scope, shop, lapas):
    batik_here = WorkshopFactory(
        lapas=lapas, name="Bengkel Batik Tangerang", field_of_work=shop["batik"].field_of_work
    )
    assert selectors.segments_elsewhere(scope, batik_here) == [
        {"segment": "Kantor", "revenue": Decimal(250000)}
    ]
    (line,) = [x for x in selectors.make_next(scope, batik_here) if x.kind == "segment"]
    assert line.monthly_value == Decimal(2083)  # a tenth of Rp250.000 / 12 months
    assert selectors.segments_elsewhere(scope, shop["batik"]) == []
