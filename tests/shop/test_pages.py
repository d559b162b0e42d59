import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_served_by_wagtail_with_featured_products(client, product):
    from cms.models import HomePage

    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    home.save_revision().publish()

    response = client.get("/")

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "cms/home_page.html"
    body = response.content.decode()
    assert product.title in body
    assert "Rp150.000" in body


def test_catalogue_lists_public_products_with_rupiah_prices(client, product):
    hidden = ProductFactory(title="Kue Rahasia", is_public=False, workshop=product.workshop)

    response = client.get(reverse("catalogue:index"))

    body = response.content.decode()
    assert response.status_code == 200
    assert product.title in body
    assert "Rp150.000" in body
    assert hidden.title not in body


def test_english_pages_live_under_en_and_show_idr(client, product):
    response = client.get("/en/catalogue/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in body
    assert "IDR150,000" in body


@pytest.mark.parametrize("path", ["/", "/catalogue/", "/basket/", "/search/?q=roti"])
def test_every_page_offers_the_other_language(client, product, path):
    response = client.get(path)

    assert response.status_code == 200
    assert f'href="/en{path}"' in response.content.decode()


def test_product_page_names_the_workshop_and_lapas(client, product):
    response = client.get(product.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Bengkel Roti" in body
    assert "Lapas Kelas I Tangerang" in body


def test_category_page_lists_products_of_its_subcategories(client, product):
    industri = CategoryFactory(name="Industri")
    food = CategoryFactory(name="Makanan dan Minuman", parent=industri)
    in_food = ProductFactory(title="Keripik Singkong", categories=[food], workshop=product.workshop)
    elsewhere = ProductFactory(title="Kursi Jati", workshop=product.workshop)

    response = client.get(industri.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert in_food.title in body
    assert elsewhere.title not in body


def test_search_matches_every_word_in_title_workshop_or_lapas(client, product):
    ProductFactory(title="Kursi Jati", workshop=product.workshop)

    by_title = client.get("/search/", {"q": "sobek"}).content.decode()
    by_lapas = client.get("/search/", {"q": "tangerang kursi"}).content.decode()
    nothing = client.get("/search/", {"q": "sepatu"}).content.decode()

    assert product.title in by_title and "Kursi Jati" not in by_title
    assert "Kursi Jati" in by_lapas and product.title not in by_lapas
    assert "Kursi Jati" not in nothing and product.title not in nothing


def test_search_sees_a_new_product_at_once(client, product):
    # No index to rebuild: what the database holds is what buyers find.
    assert "Sambal Roa" not in client.get("/search/", {"q": "roa"}).content.decode()
    ProductFactory(title="Sambal Roa", workshop=product.workshop)
    assert "Sambal Roa" in client.get("/search/", {"q": "roa"}).content.decode()


def test_listing_sorts_by_price(client, product):
    ProductFactory(title="Gantungan Kunci", workshop=product.workshop, stockrecord__price=5000)

    body = client.get("/catalogue/", {"sort_by": "price-asc"}).content.decode()

    assert body.index("Gantungan Kunci") < body.index(product.title)


def test_listing_queries_do_not_grow_with_the_catalogue(client, product):
    client.get("/catalogue/")  # warm caches (site, category URLs)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/catalogue/")
    for _ in range(15):
        ProductFactory(workshop=product.workshop)
    with CaptureQueriesContext(connection) as many:
        client.get("/catalogue/")

    assert len(many) == len(few)


def test_our_strings_are_in_indonesian_by_default_and_english_on_request(client, product):
    indonesian = client.get("/catalogue/").content.decode()
    english = client.get("/en/catalogue/").content.decode()

    assert "Semua produk" in indonesian and "Masukkan keranjang" in indonesian
    assert "All products" in english and "Sort by" in english
