"""The daily sales roll-up: the pages' figures from it equal those from the orders alone,
filling twice changes nothing, a day is the shop's day (WIB), and a day touched after its
roll-up (a refund, a late sale) is read from the orders until it is rolled up again."""

import datetime
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.insight import rollup, selectors
from production_link.insight.models import (
    BuyerDay,
    OrderSalesDay,
    ProductSalesDay,
    RollupState,
)
from shop.apps.order import statuses
from tests.factories import ProductFactory, UserFactory, place_order
from tests.production_link.insight.conftest import days_ago, sell

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
WIB = datetime.timezone(datetime.timedelta(hours=7))


def _at(order, moment: datetime.datetime):
    Order.objects.filter(pk=order.pk).update(date_placed=moment)
    return order


def _wib(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=WIB)


@pytest.fixture
def year(shop, central_admin):
    """Sales over past days in both Lapas, beside the shop's sales of today: a repeat
    buyer across days, guests, several provinces, an institutional order, a refunded
    order and an unpaid one (neither is a sale), two sales either side of midnight WIB
    and either side of the 3-month period's first moment."""
    bread = shop["roti"].categories.first()
    cloth = shop["kain"].categories.first()
    roti = ProductFactory(
        title="Roti Tawar",
        workshop=shop["bakery"],
        categories=[bread],
        stockrecord__price=Decimal("12000"),
        stockrecord__num_in_stock=50,
    )
    roti.segments.set(shop["roti"].segments.all())
    kue = ProductFactory(
        title="Kue Bolu",
        workshop=shop["bakery"],
        categories=[bread],
        stockrecord__price=Decimal("15000"),
        stockrecord__num_in_stock=5,
    )
    kain = ProductFactory(
        title="Kain Batik Cap",
        workshop=shop["batik"],
        categories=[cloth],
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=50,
    )
    kain.segments.set(shop["kain"].segments.all())
    buyer = shop["buyer"]
    other = UserFactory(username="pembeli.lain")
    for n, days in enumerate((3, 10, 40, 200)):
        order = sell(roti, 1, admin=central_admin, user=buyer, province="Banten")
        _at(order, _wib(days_ago(days), 10 + n))
    _at(
        sell(kain, 1, admin=central_admin, user=other, province="Jawa Barat"),
        _wib(days_ago(10), 15),
    )
    _at(
        sell(kain, 1, admin=central_admin, guest_email="kantor@example.test"),
        _wib(days_ago(3), 9),
    )
    institutional = sell(kain, 1, admin=central_admin, user=other)
    _at(institutional, _wib(days_ago(40), 11))
    Order.objects.filter(pk=institutional.pk).update(channel="institutional")
    refunded = sell(roti, 1, admin=central_admin, guest_email="batal@example.test")
    _at(refunded, _wib(days_ago(10), 8))
    refunded.refresh_from_db()
    refunded.set_status(statuses.REFUNDED)
    basket = create_basket(empty=True)
    basket.add_product(roti, 1)
    unpaid = place_order(basket=basket, guest_email="belum@example.test")
    _at(unpaid, _wib(days_ago(3), 12))
    # Either side of midnight WIB (17:00 UTC) between three and two days ago.
    late = _at(
        sell(kue, 1, admin=central_admin, guest_email="malam@example.test"),
        _wib(days_ago(3), 23, 30),
    )
    early = _at(
        sell(kue, 1, admin=central_admin, guest_email="pagi@example.test"),
        _wib(days_ago(2), 0, 30),
    )
    # Either side of the first moment of a 3-month period (PERIOD_DAYS[3] days with today).
    first = days_ago(selectors.PERIOD_DAYS[3] - 1)
    before = _at(
        sell(kain, 1, admin=central_admin, guest_email="a@example.test"),
        _wib(first - datetime.timedelta(days=1), 23, 59),
    )
    inside = _at(
        sell(kain, 1, admin=central_admin, guest_email="b@example.test"), _wib(first, 0, 1)
    )
    return {
        "roti": roti,
        "kue": kue,
        "kain": kain,
        "late": late,
        "early": early,
        "before": before,
        "inside": inside,
        "first": first,
    }


def _figures(user, lapas: str = "", months: str = "") -> dict:
    scope = selectors.insight_scope_for_user(user=user, lapas=lapas, months=months)
    workshop = selectors.workshops_in_scope(scope).order_by("pk").first()
    return {
        "headline": selectors.headline(scope),
        "funnel": selectors.product_funnel(scope),
        "viewed": selectors.viewed_not_bought(scope),
        "stock_outs": selectors.stock_outs(scope),
        "channels": selectors.buyers_by_channel(scope),
        "provinces": selectors.buyers_by_province(scope),
        "segments": selectors.buyers_by_segment(scope),
        "repeat": selectors.repeat_buyers(scope),
        "next": [asdict(s) for s in selectors.make_next(scope, workshop)],
        "elsewhere": selectors.segments_elsewhere(scope, workshop),
    }


def _from_orders(user, **scope) -> dict:
    """The figures as if nothing were rolled up (the state undone in a savepoint)."""
    with transaction.atomic():
        RollupState.objects.all().delete()
        figures = _figures(user, **scope)
        transaction.set_rollback(True)
    return figures


SCOPES = [
    ("workshop_staff", {}),
    ("workshop_staff", {"months": "3"}),
    ("central_admin", {"lapas": "all"}),
    ("central_admin", {"lapas": "all", "months": "3"}),
]


def _rows():
    return (
        sorted(
            ProductSalesDay.objects.values_list(
                "day", "lapas", "product", "orders", "units", "revenue"
            )
        ),
        sorted(
            OrderSalesDay.objects.values_list(
                "day",
                "lapas",
                "channel",
                "has_address",
                "province",
                "orders",
                "product_orders",
                "goods",
            )
        ),
        sorted(BuyerDay.objects.values_list("day", "lapas", "buyer", "orders")),
    )


@pytest.mark.parametrize(("who", "scope"), SCOPES)
def test_figures_from_the_roll_up_equal_those_from_the_orders(year, request, who, scope):
    user = request.getfixturevalue(who)
    expected = _figures(user, **scope)  # nothing rolled up yet: all from the orders
    result = rollup.sales_days_refresh()
    assert result["filled_until"] == days_ago(1)
    assert ProductSalesDay.objects.filter(day__lt=timezone.localdate()).exists()
    assert not ProductSalesDay.objects.filter(day=timezone.localdate()).exists()  # today: raw
    split = rollup.split(days_ago(364), timezone.localdate())
    assert split.raw_ranges == ((rollup.day_start(timezone.localdate()), None),)
    assert _figures(user, **scope) == expected
    assert expected["headline"]["orders"] > 3  # past days counted, not only today's


def test_a_day_is_the_shops_day_and_the_period_starts_at_its_first_moment(year, workshop_staff):
    rollup.sales_days_refresh()
    days = dict(ProductSalesDay.objects.filter(product=year["kue"]).values_list("day", "units"))
    # 23:30 and 00:30 WIB are 16:30 and 17:30 UTC: one day apart in Jakarta.
    assert days[days_ago(3)] == 1 and days[days_ago(2)] == 1
    kain = year["kain"]
    assert ProductSalesDay.objects.filter(product=kain, day=year["first"]).exists()
    three_months = selectors.insight_scope_for_user(user=workshop_staff, months="3")
    assert three_months.start == year["first"]
    central = UserFactory(username="pusat.dua", is_staff=True, is_superuser=True)
    scope = selectors.insight_scope_for_user(user=central, lapas="all", months="3")
    rows = selectors._product_sales(scope, [kain.pk])
    # Jawa Barat's, the guest's of 3 days ago, the institutional one and "inside";
    # "before" (23:59 WIB the day before the period) is not in it.
    assert rows[kain.pk]["units"] == 4


def test_filling_twice_changes_nothing(year):
    first = rollup.sales_days_refresh()
    rows = _rows()
    again = rollup.sales_days_refresh()
    assert _rows() == rows
    assert again["days"] == 0 or again["rows"] <= first["rows"]
    call_command("insight_rollup", "--from", days_ago(400).isoformat())
    assert _rows() == rows


@pytest.mark.parametrize(("who", "scope"), SCOPES)
def test_a_day_touched_after_its_roll_up_is_read_from_the_orders(
    year, shop, central_admin, request, who, scope
):
    user = request.getfixturevalue(who)
    rollup.sales_days_refresh()
    # A refund of a sale of 10 days ago, and an offline sale of 5 days ago synced now.
    refunded = Order.objects.get(
        lines__product=year["roti"],
        user=shop["buyer"],
        date_placed__lt=_wib(days_ago(9), 0),
        date_placed__gt=_wib(days_ago(11), 0),
    )
    refunded.set_status(statuses.REFUNDED)
    _at(
        sell(year["kain"], 2, admin=central_admin, guest_email="pos@example.test"),
        _wib(days_ago(5), 14),
    )
    expected = _from_orders(user, **scope)
    assert _figures(user, **scope) == expected  # before the next refresh
    rollup.sales_days_refresh()
    assert _figures(user, **scope) == expected  # and after it
    split = rollup.split(days_ago(364), timezone.localdate())
    assert len(split.raw_ranges) == 1  # only today's again


def test_the_command_and_the_beat_task(year):
    from production_link.insight import tasks
    from shop.celery import app

    call_command("insight_rollup")
    assert RollupState.objects.get().filled_until == days_ago(1)
    assert tasks.sales_days_refresh()["filled_until"] == days_ago(1).isoformat()
    entry = app.conf.beat_schedule["insight-sales-days-refresh"]
    assert entry["task"] == "insight.sales_days_refresh"


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("insight_rollup", "--from", "kemarin")
    assert not RollupState.objects.exists()


@pytest.mark.parametrize("who", ["workshop_staff", "central_admin"])
def test_pages_cost_the_same_queries_over_a_larger_roll_up(shop, central_admin, request, who):
    """The query budget of test_query_budget.py, with the sales on rolled-up past days."""
    from django.test import Client

    from tests.production_link.insight.test_query_budget import MAX_QUERIES, _counts, _grow

    client = Client()
    client.force_login(request.getfixturevalue(who))
    query = "?lapas=all" if who == "central_admin" else ""
    Order.objects.update(date_placed=F("date_placed") - datetime.timedelta(days=2))
    rollup.sales_days_refresh()
    _counts(client, query)  # the first visit warms what a running shop keeps
    small = _counts(client, query)
    _grow(shop, central_admin)
    Order.objects.filter(date_placed__gte=rollup.day_start(timezone.localdate())).update(
        date_placed=F("date_placed") - datetime.timedelta(days=3)
    )
    # Before the refresh the new sales' day is read from the orders, after it from the
    # roll-up: the same queries either way.
    assert _counts(client, query) == small
    rollup.sales_days_refresh()
    assert OrderSalesDay.objects.filter(day=days_ago(3)).exists()
    large = _counts(client, query)
    assert small == large
    assert max(small.values()) <= MAX_QUERIES, small


def test_an_order_committed_after_a_refresh_read_past_its_id_is_not_missed(
    year, shop, central_admin, workshop_staff
):
    """A transaction that took its id before a refresh read the orders and committed after
    it: the refresh noted the id as missing, so the next read and refresh look at it."""
    order = _at(
        sell(year["roti"], 3, admin=central_admin, guest_email="lambat@example.test"),
        _wib(days_ago(6), 10),
    )
    # Rolled up as though the order was not there yet, its id noted as missing.
    rollup.sales_days_refresh()
    state = RollupState.objects.get()
    RollupState.objects.filter(pk=1).update(pending_order_ids=[order.pk])
    ProductSalesDay.objects.filter(day=days_ago(6)).delete()
    assert not ProductSalesDay.objects.filter(day=days_ago(6)).exists()
    assert state.last_order_id >= order.pk
    expected = _from_orders(workshop_staff)
    assert _figures(workshop_staff) == expected  # day 6 read from the orders
    rollup.sales_days_refresh()
    assert ProductSalesDay.objects.get(product=year["roti"], day=days_ago(6)).units == 3
    assert order.pk not in RollupState.objects.get().pending_order_ids
    assert _figures(workshop_staff) == expected
