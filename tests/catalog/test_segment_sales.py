"""Sales stay queryable by buyer segment, for the reports of a later issue."""

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from catalog import selectors
from tests.factories import place_order

Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db


def test_units_and_revenue_per_segment(product):
    offices = Segment.objects.create(name="Kantor dan instansi", slug="kantor-dan-instansi")
    households = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    Segment.objects.create(name="Kolektor", slug="kolektor")
    product.segments.add(offices, households)
    basket = create_basket(empty=True)
    basket.add_product(product, 2)
    place_order(basket=basket)

    sales = {s.slug: (s.units, s.revenue) for s in selectors.segment_sales()}

    assert sales == {
        "kantor-dan-instansi": (2, 300000),
        "rumah-tangga": (2, 300000),
        "kolektor": (0, 0),
    }
