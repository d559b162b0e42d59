"""The public catalogue API at /api/v1/ (django-ninja)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog import services
from tests.catalog.helpers import food_product, goods_product
from tests.factories import CategoryFactory, ProductFactory

Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(db):
    return Segment.objects.create(name="Kantor dan instansi", slug="kantor-dan-instansi")


def test_openapi_schema_is_published(client, db):
    response = client.get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["info"]["title"] == "Karya API"
    assert "/api/v1/products/" in schema["paths"]
    assert "/api/v1/products/{product_id}/" in schema["paths"]
    assert "/api/v1/segments/" in schema["paths"]


def test_the_docs_page_serves_its_files_locally(client, db):
    body = client.get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body


def test_products_are_listed_with_their_metadata(client, product, offices):
    food = food_product(workshop=product.workshop, title="Roti Tawar Gandum")
    food.segments.add(offices)
    services.product_pricing_set(
        product=food, user=None, online=Decimal("25000"), tiers=[(20, Decimal("23000"))]
    )
    ProductFactory(title="Rahasia", workshop=product.workshop, is_public=False)

    response = client.get("/api/v1/products/")

    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 2
    item = next(i for i in data["items"] if i["id"] == food.pk)
    assert item["title"] == "Roti Tawar Gandum"
    assert item["url"] == "http://testserver" + food.get_absolute_url()
    assert item["price"] == 25000 and item["currency"] == "IDR"
    assert item["available"] is True
    assert item["is_food"] is True
    assert item["segments"][0]["slug"] == "kantor-dan-instansi"
    assert item["maker"] == {
        "lapas": "Lapas Kelas I Tangerang",
        "satker_code": product.workshop.lapas.satker_code,
        "workshop": "Bengkel Roti",
    }
    assert item["packaging"]["net_quantity"] == "450"
    assert item["packaging"]["net_quantity_unit"] == "g"
    assert item["packaging"]["type"] == "bag"
    assert item["label"]["licence_type"] == "pirt"
    assert item["label"]["licence_number"] == "2063671010001-29"
    assert item["label"]["halal"] is True
    assert item["label"]["producer"].startswith("Lapas Kelas I Tangerang, Jl. Veteran")
    assert item["institutional_tiers"] == [{"min_quantity": 20, "price": 23000}]
    assert "cost_materials" not in item and "cost" not in str(item.keys())


def test_products_filter_by_segment_and_category(client, product, offices):
    mebel = CategoryFactory(name="Mebel", slug="mebel")
    desk = goods_product(title="Meja Kantor", workshop=product.workshop, categories=[mebel])
    desk.segments.add(offices)
    goods_product(title="Meja Makan", workshop=product.workshop, categories=[mebel])

    def titles(query):
        return sorted(i["title"] for i in client.get(f"/api/v1/products/?{query}").json()["items"])

    assert titles("segment=kantor-dan-instansi") == ["Meja Kantor"]
    assert titles("category=mebel") == ["Meja Kantor", "Meja Makan"]
    assert titles(f"category={mebel.pk}&segment=kantor-dan-instansi") == ["Meja Kantor"]
    assert titles("category=tidak-ada") == []
    assert titles("q=makan") == ["Meja Makan"]


def test_products_are_paginated(client, product):
    for i in range(25):
        ProductFactory(title=f"Produk {i}", workshop=product.workshop)

    first = client.get("/api/v1/products/").json()
    second = client.get("/api/v1/products/?page=2").json()

    assert first["count"] == second["count"] == 26
    assert len(first["items"]) == 24 and len(second["items"]) == 2


def test_the_list_costs_the_same_queries_for_more_products(client, product, offices):
    def add(count):
        for i in range(count):
            item = food_product(title=f"Roti {i}", workshop=product.workshop)
            item.segments.add(offices)

    add(2)
    client.get("/api/v1/products/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/products/")
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/products/")

    assert len(many) == len(few)


def test_one_product_in_detail(client, product):
    response = client.get(f"/api/v1/products/{product.pk}/")

    assert response.status_code == 200
    assert response.json()["price"] == 150000


def test_an_unpublished_product_is_not_served(client, product):
    hidden = food_product(workshop=product.workshop, is_public=False, licence_number="")

    assert client.get(f"/api/v1/products/{hidden.pk}/").status_code == 404


def test_segments_are_listed(client, offices):
    data = client.get("/api/v1/segments/").json()

    assert data == [
        {
            "slug": "kantor-dan-instansi",
            "name": "Kantor dan instansi",
            "description": "",
            "url": "http://testserver/catalogue/segment/kantor-dan-instansi/",
        }
    ]
