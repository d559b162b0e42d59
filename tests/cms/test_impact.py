"""Impact figures: counted from the shop's own data, cached, refreshed by a periodic
Celery task and never computed per request (only once when the cache is cold)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from cms import selectors, tasks
from cms.models import ImpactPage
from shop.apps.order import statuses
from tests.factories import ProductFactory, WorkshopFactory, place_order, released_batch

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def order_of(product, quantity, status):
    basket = create_basket(empty=True)
    basket.add_product(product, quantity)
    order = place_order(basket=basket)
    Order.objects.filter(pk=order.pk).update(status=status)
    return order


@pytest.fixture
def product(product):
    # Enough released units for every order these tests place (orders take real stock).
    released_batch(product=product, quantity=100)
    return product


@pytest.fixture
def impact_page(home):
    return home.add_child(instance=ImpactPage(title="Dampak", slug="dampak", intro="Angka."))


def figures(response):
    return {f.key: f.value for f in response.context["impact"]}


def test_figures_count_paid_goods_workshops_and_lapas(client, impact_page, product, other_lapas):
    order_of(product, 3, statuses.PAID)
    order_of(product, 2, statuses.COMPLETED)
    order_of(product, 4, statuses.AWAITING_PAYMENT)  # not paid: not sold
    order_of(product, 5, statuses.CANCELLED)
    WorkshopFactory(lapas=other_lapas, name="Bengkel Mebel")
    WorkshopFactory(lapas=other_lapas, name="Bengkel Tutup", is_active=False)

    response = client.get(impact_page.url)

    assert figures(response) == {
        "products_sold": 5,
        "workshops": 2,
        "lapas": 2,
        "products_on_offer": 1,
        "batches_produced": 2,
    }
    assert "products sold" in response.content.decode() or "produk terjual" in (
        response.content.decode()
    )


def test_released_batches_are_counted_and_pnbp_waits_for_the_ledger(product):
    data = selectors.impact_figures_compute()

    assert data["batches_produced"] == 2  # the product's own batch and the fixture's
    assert data["pnbp_deposited"] is None
    assert {f.key for f in selectors._impact_from_data(data)} == {
        "products_sold",
        "workshops",
        "lapas",
        "products_on_offer",
        "batches_produced",
    }


def test_a_cold_cache_is_filled_once_then_pages_only_read_it(client, impact_page, product):
    assert cache.get(selectors.IMPACT_CACHE_KEY) is None

    with CaptureQueriesContext(connection) as first:
        client.get(impact_page.url)
    with CaptureQueriesContext(connection) as second:
        client.get(impact_page.url)

    def counting(queries):
        return [q["sql"] for q in queries if "SUM(" in q["sql"] or "COUNT(" in q["sql"]]

    assert cache.get(selectors.IMPACT_CACHE_KEY) is not None
    assert any('"order_line"' in sql for sql in counting(first))
    assert not any('"order_line"' in sql for sql in counting(second))


def test_new_sales_show_after_the_periodic_refresh_not_before(client, impact_page, product):
    client.get(impact_page.url)
    order_of(product, 7, statuses.PAID)

    assert figures(client.get(impact_page.url))["products_sold"] == 0

    tasks.impact_figures_refresh.delay()

    assert figures(client.get(impact_page.url))["products_sold"] == 7


def test_while_another_request_fills_the_cache_pages_render_without_figures(client, impact_page):
    cache.add(selectors.IMPACT_LOCK_KEY, 1, timeout=60)

    response = client.get(impact_page.url)

    assert response.status_code == 200
    assert response.context["impact"] is None
    assert cache.get(selectors.IMPACT_CACHE_KEY) is None


def test_home_page_shows_the_figures_too(client, home, product):
    tasks.impact_figures_refresh.delay()

    response = client.get("/")

    assert figures(response)["products_on_offer"] == 1
    assert 'class="impact"' in response.content.decode()


def test_the_refresh_is_a_periodic_job_declared_in_celery_beat():
    from shop.celery import app

    jobs = {job["task"]: job for job in app.conf.beat_schedule.values()}

    assert "cms.tasks.impact_figures_refresh" in jobs
    assert tasks.impact_figures_refresh.name == "cms.tasks.impact_figures_refresh"


def test_products_taken_off_sale_do_not_count_as_on_offer(client, impact_page, product):
    hidden = ProductFactory(workshop=product.workshop)
    hidden.is_public = False
    hidden.save()
    tasks.impact_figures_refresh.delay()

    assert figures(client.get(impact_page.url))["products_on_offer"] == 1
