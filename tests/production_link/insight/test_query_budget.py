"""Every insight page answers in a fixed number of queries, whatever the size of the
shop: the figures are aggregated in the database, not fetched row by row."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from production_link.insight import counters
from tests.factories import ProductFactory, UserFactory
from tests.production_link.insight.conftest import sell

pytestmark = pytest.mark.django_db

PAGES = ("index", "demand", "products", "buyers")
# Session, user, permissions and the dashboard's menu come first; the figures are the rest.
MAX_QUERIES = 40


def _counts(client, query="") -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(f"insight_dashboard:{page}") + query)
        assert response.status_code == 200
        counts[page] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        assert (
            client.get(reverse("insight_dashboard:csv", args=["batches"]) + query).status_code
            == 200
        )
    counts["csv"] = len(captured)
    return counts


def _grow(shop, admin):
    """More products, batches, sales, buyers, views and searches in both Lapas."""
    for n, workshop in enumerate([shop["bakery"], shop["batik"]] * 3):
        product = ProductFactory(
            title=f"Produk Tambahan {n}",
            workshop=workshop,
            stockrecord__price=Decimal(15000 + n * 1000),
            stockrecord__num_in_stock=4,
        )
        counters.view_days_add({product.pk: 5 + n})
        sell(product, 2, admin=admin, user=UserFactory(), province=f"Provinsi {n}")
        counters.search_note(query=f"cari {n}", result_count=n % 3)


@pytest.mark.parametrize("who", ["workshop_staff", "central_admin"])
def test_pages_cost_the_same_queries_at_both_sizes(shop, central_admin, request, who):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    query = "?lapas=all" if who == "central_admin" else ""
    _counts(client, query)  # the first visit warms what a running shop keeps
    small = _counts(client, query)
    _grow(shop, central_admin)
    large = _counts(client, query)
    assert small == large
    assert max(small.values()) <= MAX_QUERIES, small


def test_pages_read_without_jit(shop, workshop_staff):
    """Over a large shop the planner's estimates pass PostgreSQL's JIT threshold and
    compiling a query costs more than running it: the pages switch JIT off for their own
    transaction (SET LOCAL: a shop's request runs in autocommit, so it ends with the page)."""
    client = Client()
    client.force_login(workshop_staff)
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"insight_dashboard:{page}")).status_code == 200
        assert any(q["sql"] == "SET LOCAL jit = off" for q in captured.captured_queries), page


def test_the_last_sale_index_is_there():
    """Stock-outs read "sold out since" from the (batch, created_at) index of 0002."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'insight_allocation_batch_created'"
        )
        (definition,) = cursor.fetchone()
    assert "(batch_id, created_at)" in definition
