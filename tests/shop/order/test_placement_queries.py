"""Placing costs a fixed number of queries, whatever the number of Lapas, orders, lines
and sales (issue 14's speed budget rests on it): these pin the counts so that a change
that reads or writes per order, per line or per sale shows up here, not in ``make bench``.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.shipping.methods import Free
from oscar.test.factories import create_basket

from shop.apps.core.shared_cache import forget_local
from shop.apps.order import placement
from shop.payments.providers import get_provider
from tests.factories import LapasFactory, ProductFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

# All inside the placement's transaction: the lock timeout, the basket marked submitted,
# the checkout, the stock lock, orders, lines, line prices, batch stock, allocations,
# Oscar's stock records (lock, sum, update), the payment sources. Nothing before it (the
# stock locations and payment source types are kept per process).
PLACE_QUERIES = 13


def goods_of(lapas):
    return ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("100000"),
        stockrecord__num_in_stock=50,
    )


def queries_to_place(basket, number) -> int:
    # The checkout view has priced the basket by then (its lines, their stock records).
    assert basket.total_incl_tax > 0
    with CaptureQueriesContext(connection) as captured:
        placement.checkout_place(
            basket=basket,
            number=number,
            provider=get_provider("bank_transfer"),
            guest_email="tamu@example.test",
            shipping_method=Free(),
            submit_basket=True,
        )
    return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_a_checkout_of_three_lapas_and_many_lines_costs_what_one_line_does():
    lapas = [LapasFactory(short_code=code) for code in ("TNG", "CPN", "YGY")]
    goods = {one: [goods_of(one) for _n in range(3)] for one in lapas}
    # The first order of a process reads the stock locations of each Lapas and the
    # payment source types, and keeps them (shared_cache.get_local); the first ever makes
    # its source type, after which a test's transaction keeps nothing (forget_local).
    for number in ("100001", "100002"):
        warm = create_basket(empty=True)
        for products in goods.values():
            warm.add_product(products[0], 1)
        queries_to_place(warm, number)
        if number == "100001":
            forget_local()

    one = create_basket(empty=True)
    one.add_product(goods[lapas[0]][0], 1)
    many = create_basket(empty=True)
    for products in goods.values():
        for product in products:
            many.add_product(product, 2)

    single = queries_to_place(one, "100003")
    split = queries_to_place(many, "100004")

    assert single == split
    assert single <= PLACE_QUERIES, single
