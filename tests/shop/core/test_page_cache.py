"""Anonymous visitors get listings, product pages and marketing pages from the cache, each
with a CSRF token (and recently viewed products) of their own, every product view still
counted; a change to what the pages show is seen at once. Signed-in buyers and baskets:
test_personal_pages.py."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from production_link.services import stockrecord_sync
from tests.factories import ProductFactory, WorkshopFactory, released_batch

Basket = get_model("basket", "Basket")
ProductRecord = get_model("analytics", "ProductRecord")
Segment = get_model("catalogue", "Segment")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.KARYA_PAGE_CACHE_SECONDS = 60


def get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


@pytest.mark.django_db
def test_second_anonymous_visit_of_the_listing_runs_no_query(product):
    first, first_queries = get(Client(), "/catalogue/")
    second, second_queries = get(Client(), "/catalogue/")

    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert "Roti Sobek Cokelat" in second.content.decode()


@pytest.mark.django_db
def test_each_visitor_gets_a_working_csrf_token_of_their_own(product):
    Client().get("/catalogue/")  # fills the cache
    alice = Client(enforce_csrf_checks=True)
    bob = Client(enforce_csrf_checks=True)

    alice_page, alice_queries = get(alice, "/catalogue/")
    bob_page, _ = get(bob, "/catalogue/")

    assert alice_queries == 0
    alice_token = TOKEN.search(alice_page.content.decode()).group(1)
    bob_token = TOKEN.search(bob_page.content.decode()).group(1)
    assert alice_token != bob_token
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    assert "Placeholder" not in alice_page.content.decode()

    response = alice.post(
        f"/basket/add/{product.pk}/", {"csrfmiddlewaretoken": alice_token, "quantity": 1}
    )
    assert response.status_code == 302
    assert Basket.objects.get().num_items == 1
    # Bob's token is not Alice's: with Alice's cookie it is refused.
    refused = alice.post(
        f"/basket/add/{product.pk}/", {"csrfmiddlewaretoken": "x" * 64, "quantity": 1}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_product_pages_are_served_from_the_cache_and_every_view_counted(product):
    path = product.get_absolute_url()
    first, rendered_queries = get(Client(), path)
    second, cached_queries = get(Client(), path)

    assert first.status_code == second.status_code == 200
    assert "Roti Sobek Cokelat" in second.content.decode()
    # Without a Redis (the test settings) the count is written at once: only that.
    assert cached_queries < rendered_queries
    assert ProductRecord.objects.get(product=product).num_views == 2
    for response in (first, second):
        assert json.loads(response.cookies["oscar_history"].value) == [product.pk]


@pytest.mark.django_db
def test_a_cached_product_page_shows_each_visitor_their_own_recently_viewed(product, lapas):
    other = ProductFactory(title="Tas Anyaman Pandan", workshop=WorkshopFactory(lapas=lapas))
    path = product.get_absolute_url()
    browsing = Client()
    browsing.get(other.get_absolute_url())

    first_visit = browsing.get(path).content.decode()  # rendered, then stored
    newcomer = Client().get(path).content.decode()  # the stored copy
    again = browsing.get(path).content.decode()  # the stored copy

    assert "Products you recently viewed" not in newcomer
    assert "Tas Anyaman Pandan" not in newcomer
    for page in (first_visit, again):
        assert "Tas Anyaman Pandan" in page
    assert "karya-page-cache" not in newcomer + first_visit + again
    history = json.loads(browsing.cookies["oscar_history"].value)
    assert history == [other.pk, product.pk]


@pytest.mark.django_db
def test_a_changed_product_page_shows_at_once(product):
    path = product.get_absolute_url()
    Client().get(path)

    product.ingredients = "Tepung terigu, gula aren"
    product.save()
    assert "gula aren" in Client().get(path).content.decode()

    stockrecord = product.stockrecords.get()
    stockrecord.price = Decimal("175000")
    stockrecord.save()
    assert "175.000" in Client().get(path).content.decode()

    segment = Segment.objects.create(name="Oleh-oleh", slug="oleh-oleh")
    product.segments.add(segment)
    assert "Oleh-oleh" in Client().get(path).content.decode()


@pytest.mark.django_db
def test_a_changed_product_shows_at_once(product):
    Client().get("/catalogue/")
    product.title = "Roti Sobek Keju"
    product.save()

    page, queries = get(Client(), "/catalogue/")

    assert queries > 0
    assert "Roti Sobek Keju" in page.content.decode()


@pytest.mark.django_db
def test_selling_out_shows_at_once_but_a_sale_alone_does_not_flush(
    lapas, django_capture_on_commit_callbacks
):
    product = ProductFactory(
        title="Kursi Jati",
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("900000"),
        stockrecord__num_in_stock=0,
    )
    batch = released_batch(product=product, quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        stockrecord_sync(product_id=product.pk)
    Client().get("/catalogue/")

    # One unit fewer: still in stock, the cached listing stays.
    batch.stock.update(quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        stockrecord_sync(product_id=product.pk)
    _, queries = get(Client(), "/catalogue/")
    assert queries == 0

    # The last units gone: sold out, the listing is rendered again.
    batch.stock.update(quantity=0)
    with django_capture_on_commit_callbacks(execute=True):
        stockrecord_sync(product_id=product.pk)
    _, queries = get(Client(), "/catalogue/")
    assert queries > 0


@pytest.mark.django_db
def test_languages_and_queries_are_cached_apart(product):
    get(Client(), "/catalogue/")
    english, english_queries = get(Client(), "/en/catalogue/")
    searched, search_queries = get(Client(), "/search/?q=roti")
    other, other_queries = get(Client(), "/search/?q=kursi")

    assert english_queries > 0 and search_queries > 0 and other_queries > 0
    assert english["Content-Language"] == "en"
    assert "Roti Sobek Cokelat" in searched.content.decode()
    assert "Roti Sobek Cokelat" not in other.content.decode()


@pytest.mark.django_db
def test_errors_are_not_cached(product):
    get(Client(), "/catalogue/category/tidak-ada_999999/")
    missing, queries = get(Client(), "/catalogue/category/tidak-ada_999999/")
    assert missing.status_code == 404
    assert queries > 0


@pytest.mark.django_db
def test_a_published_home_page_shows_at_once():
    from cms.models import HomePage

    get(Client(), "/")
    home = HomePage.objects.get()
    home.title = "Karya dari bengkel kerja"
    home.save_revision().publish()

    page, queries = get(Client(), "/")
    assert queries > 0
    assert page.status_code == 200


@pytest.mark.django_db
def test_off_when_seconds_is_zero(settings, product):
    settings.KARYA_PAGE_CACHE_SECONDS = 0
    get(Client(), "/catalogue/")
    _, queries = get(Client(), "/catalogue/")
    assert queries > 0
