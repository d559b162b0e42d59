"""Booking many paid sales at once (a point of sale's synced batch) books exactly what
booking them one by one would, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from production_link.models import LedgerEntry, LedgerEntryLine
from production_link.pnbp.services import pnbp_record_sales
from tests.factories import ProductFactory, WorkshopFactory

from .pnbp_support import pay_unbooked, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def batik(other_lapas):
    return ProductFactory(
        title="Kain Batik Tulis",
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Batik", code="BATIK"),
        stockrecord__price=Decimal("275000"),
        stockrecord__num_in_stock=6,
    )


def test_many_sales_are_booked_as_one_by_one_in_the_same_queries_as_one(
    product, batik, central_admin, lapas, other_lapas
):
    # Each order is of one Lapas (checkout places one per Lapas): the batch and the one
    # sale are of the same Lapas, so only their number differs.
    one = [pay_unbooked(place((batik, 1)), central_admin)]
    goods = [batik, batik, batik]
    many = [pay_unbooked(place((item, 1)), central_admin) for item in goods]

    with CaptureQueriesContext(connection) as for_one:
        pnbp_record_sales(orders=one)
    with CaptureQueriesContext(connection) as for_many:
        booked = pnbp_record_sales(orders=many)

    assert len(for_many.captured_queries) == len(for_one.captured_queries)
    assert set(booked) == {order.pk for order in many}
    expected = {
        product.pk: {lapas.pk: Decimal("150000")},
        batik.pk: {other_lapas.pk: Decimal("275000")},
    }
    for order, item in zip(many, goods, strict=True):
        assert {entry.lapas_id: entry.gross for entry in booked[order.pk]} == expected[item.pk]
    assert LedgerEntry.objects.count() == 4 and LedgerEntryLine.objects.count() == 4


def test_booking_a_batch_again_returns_the_entries_booked_first(product, central_admin):
    orders = [pay_unbooked(place((product, 1)), central_admin) for _n in range(2)]

    first = pnbp_record_sales(orders=orders)
    again = pnbp_record_sales(orders=orders)

    assert {pk: [e.pk for e in entries] for pk, entries in again.items()} == {
        pk: [e.pk for e in entries] for pk, entries in first.items()
    }
    assert LedgerEntry.objects.count() == 2
