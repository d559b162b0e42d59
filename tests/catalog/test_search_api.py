"""Search and facets through the catalogue API (issue 22): the same words and facets as
the pages, and the counts at /api/v1/products/facets/."""

from decimal import Decimal

import pytest

from tests.catalog.helpers import food_product, goods_product
from tests.factories import LapasFactory, ProductFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    bakery = WorkshopFactory(lapas=LapasFactory(code="tangerang"), name="Bengkel Roti")
    woodshop = WorkshopFactory(lapas=LapasFactory(code="cipinang"), name="Bengkel Mebel")
    woodshop.lapas.addresses.update(state="DKI Jakarta")
    return {
        "bread": food_product(title="Roti Tawar", workshop=bakery),
        "cake": food_product(
            title="Roti Bolu",
            workshop=bakery,
            halal_claimed=False,
            halal_certificate_number="",
            stockrecord__num_in_stock=0,
        ),
        "desk": goods_product(
            title="Meja Kantor",
            workshop=woodshop,
            description="",
            stockrecord__price=Decimal("2400000"),
        ),
        "stool": ProductFactory(title="Kursi Roti", workshop=woodshop, description=""),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_q_ranks_as_the_search_page_does(client, shop):
    found = titles(client.get("/api/v1/products/?q=roti"))
    # Names that start with the word first; the desk's description does not mention it.
    assert set(found[:2]) == {"Roti Tawar", "Roti Bolu"} and found[2:] == ["Kursi Roti"]
    assert titles(client.get("/api/v1/products/?q=bread")) == found  # through the term list
    # A list shows what the words match; the correction is the facets endpoint's to give.
    assert titles(client.get("/api/v1/products/?q=batk")) == []


def test_facets_narrow_the_list(client, shop):
    response = client.get("/api/v1/products/?q=roti&halal=true&in_stock=true&lapas=tangerang")

    assert titles(response) == ["Roti Tawar"]
    assert titles(client.get("/api/v1/products/?province=DKI%20Jakarta&food=false")) == [
        "Kursi Roti",
        "Meja Kantor",
    ]
    assert titles(client.get("/api/v1/products/?price=1000000-")) == ["Meja Kantor"]


def test_facet_counts(client, shop):
    response = client.get("/api/v1/products/facets/?q=roti&lapas=tangerang")

    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 2 and data["query"] == "roti"
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    assert facets["lapas"] == {"tangerang": 2, "cipinang": 1}
    assert facets["halal"] == {"1": 1}
    assert facets["in_stock"] == {"1": 1}
    lapas = next(f for f in data["facets"] if f["name"] == "lapas")
    assert {v["value"]: v["selected"] for v in lapas["values"]} == {
        "tangerang": True,
        "cipinang": False,
    }


def test_facet_counts_correct_a_typo(client, shop):
    data = client.get("/api/v1/products/facets/?q=meja+kantr").json()

    assert data["count"] == 1
    assert data["query"] == "meja kantor" and data["corrected_from"] == "meja kantr"


def test_a_price_band_that_does_not_exist_is_refused(client, shop):
    response = client.get("/api/v1/products/?price=murah")

    assert response.status_code == 422
