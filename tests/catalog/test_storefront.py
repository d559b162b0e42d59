"""What buyers see: label facts and segments on the product page, schema.org JSON-LD,
segment listings and filters, at a constant number of queries."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import services
from tests.catalog.helpers import food_product, goods_product
from tests.factories import CategoryFactory, ProductFactory, UserFactory

Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(db):
    return Segment.objects.create(
        name="Kantor dan instansi", slug="kantor-dan-instansi", description="Untuk kantor."
    )


@pytest.fixture
def households(db):
    return Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")


def json_ld(body: str) -> dict:
    """The page's schema.org Product (other JSON-LD, e.g. the organisation, may be there)."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    [product] = [d for d in map(json.loads, scripts) if d.get("@type") == "Product"]
    return product


def test_a_food_page_shows_its_label_facts(client, product, households):
    food = food_product(workshop=product.workshop, title="Roti Tawar Gandum")
    food.segments.add(households)

    body = client.get(food.get_absolute_url()).content.decode()

    assert "2063671010001-29" in body  # P-IRT
    assert "450 g" in body  # net quantity
    assert "Tepung terigu, cokelat" in body  # ingredients
    assert "Gandum (gluten)" in body  # allergens
    assert "ID36110000123450324" in body  # halal certificate
    assert "Plastik PP food grade" in body  # packaging
    assert "Bengkel Roti" in body and "Lapas Kelas I Tangerang" in body
    assert "Jl. Veteran No. 2" in body  # the producer line, from the Lapas's address
    assert f'href="{households.get_absolute_url()}"' in body


def test_the_product_page_emits_schema_org_json_ld(client, product):
    data = json_ld(client.get(product.get_absolute_url()).content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"] == "Roti Sobek Cokelat"
    assert data["sku"] == product.upc
    assert data["offers"] == {
        "@type": "Offer",
        "url": "http://testserver" + product.get_absolute_url(),
        "price": "150000",
        "priceCurrency": "IDR",
        "availability": "https://schema.org/InStock",
        "seller": {"@type": "Organization", "name": "Lapas Kelas I Tangerang"},
    }
    assert data["manufacturer"]["name"] == "Lapas Kelas I Tangerang"


def test_json_ld_has_the_image_and_says_out_of_stock(client, product):
    from django.core.files.base import ContentFile

    from shop.apps.core.demo import draw_product_image

    image = product.images.model(product=product, display_order=0)
    jpeg = draw_product_image(title="x", seed="x", category_slug="mebel", lapas_code="TNG")
    image.original.save("roti.jpg", ContentFile(jpeg), save=True)
    product.stockrecords.update(num_in_stock=0)

    data = json_ld(client.get(product.get_absolute_url()).content.decode())

    assert data["image"][0].startswith("http://testserver/media/")
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_json_ld_cannot_be_broken_out_of(client, product):
    product.title = "Roti </script><script>alert(1)</script>"
    product.save()

    body = client.get(product.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in body
    assert json_ld(body)["name"] == product.title


def test_an_unpublished_product_is_visible_to_its_lapas_staff_only(
    client, product, workshop_staff, other_workshop_staff, buyer
):
    blocked = food_product(workshop=product.workshop, is_public=False, licence_number="")
    url = blocked.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(buyer)
    assert client.get(url).status_code == 404
    client.force_login(other_workshop_staff)
    assert client.get(url).status_code == 404
    client.force_login(workshop_staff)
    preview = client.get(url)
    assert preview.status_code == 200
    assert "nomor izin" in preview.content.decode()  # the page speaks Indonesian
    assert blocked.title not in client.get(reverse("catalogue:index")).content.decode()


def test_the_segment_page_lists_its_products(client, product, offices):
    desk = ProductFactory(title="Meja Kantor", workshop=product.workshop)
    desk.segments.add(offices)
    hidden = ProductFactory(title="Lemari Rahasia", workshop=product.workshop, is_public=False)
    hidden.segments.add(offices)

    response = client.get(reverse("catalogue:segment", kwargs={"slug": offices.slug}))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Kantor dan instansi</h1>" in body and "Untuk kantor." in body
    assert desk.title in body
    assert product.title not in body and hidden.title not in body


def test_an_unknown_segment_page_is_not_found(client, db):
    assert client.get("/catalogue/segment/tidak-ada/").status_code == 404


@pytest.mark.parametrize("path", ["/catalogue/", "/search/?q=meja", "category"])
def test_listings_filter_by_segment(client, product, offices, path):
    category = CategoryFactory(name="Mebel")
    desk = ProductFactory(title="Meja Kantor", workshop=product.workshop, categories=[category])
    desk.segments.add(offices)
    ProductFactory(title="Meja Makan", workshop=product.workshop, categories=[category])
    url = category.get_absolute_url() if path == "category" else path
    joiner = "&" if "?" in url else "?"

    body = client.get(f"{url}{joiner}segment={offices.slug}").content.decode()

    assert "Meja Kantor" in body
    assert "Meja Makan" not in body
    assert 'class="chip chip-active"' in body and "Kantor dan instansi" in body


def test_cards_show_the_net_quantity_and_the_institutional_price(client, product):
    food = food_product(workshop=product.workshop, title="Roti Tawar")
    services.product_pricing_set(
        product=food, user=None, online=Decimal("25000"), tiers=[(20, Decimal("22000"))]
    )

    body = client.get(reverse("catalogue:index")).content.decode()

    assert "450 g" in body
    assert "Rp22.000" in body


def listing_urls(offices, category):
    return [
        "/catalogue/",
        f"/catalogue/?segment={offices.slug}",
        reverse("catalogue:segment", kwargs={"slug": offices.slug}),
        category.get_absolute_url(),
        f"{category.get_absolute_url()}?segment={offices.slug}",
        "/search/?q=meja",
        "/en/catalogue/",
    ]


def test_listing_queries_do_not_grow_with_the_catalogue(client, product, offices, households):
    category = CategoryFactory(name="Mebel")

    def more_products(count):
        for i in range(count):
            item = goods_product(
                title=f"Meja {i}", workshop=product.workshop, categories=[category]
            )
            item.segments.add(offices, households)
            services.product_pricing_set(
                product=item, user=None, online=Decimal("900000"), tiers=[(3, Decimal("850000"))]
            )

    # Three: a search finding fewer also looks for a "did you mean" (one query more).
    more_products(3)
    urls = listing_urls(offices, category)
    for url in urls:
        client.get(url)  # warm caches (site, category URLs)

    def queries():
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts[url] = len(captured)
        return counts

    few = queries()
    more_products(15)
    many = queries()

    assert many == few


def test_listing_queries_stay_constant_for_a_signed_in_institution(client, product, offices):
    from shop.apps.core.services import user_assign_role

    institution = user_assign_role(
        user=UserFactory(username="instansi"), role_code="institutional_buyer"
    )
    client.force_login(institution)
    for i in range(2):
        goods_product(title=f"Rak {i}", workshop=product.workshop).segments.add(offices)
    client.get("/catalogue/")
    with CaptureQueriesContext(connection) as few:
        client.get("/catalogue/")
    for i in range(10):
        goods_product(title=f"Kursi {i}", workshop=product.workshop).segments.add(offices)
    with CaptureQueriesContext(connection) as many:
        client.get("/catalogue/")

    assert len(many) == len(few)


def test_the_product_page_costs_the_same_queries_with_more_segments_and_tiers(
    client, product, offices, households
):
    food = food_product(workshop=product.workshop)
    client.get(food.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(food.get_absolute_url())
    food.segments.add(offices, households)
    services.product_pricing_set(
        product=food,
        user=None,
        online=Decimal("25000"),
        tiers=[(10, Decimal("23000")), (20, Decimal("22000")), (50, Decimal("21000"))],
    )
    with CaptureQueriesContext(connection) as many:
        client.get(food.get_absolute_url())

    assert len(many) == len(few)
