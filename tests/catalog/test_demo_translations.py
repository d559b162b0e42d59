"""The demo catalogue in English (catalog.demo_translations, issue 18)."""

import json

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from catalog.demo_translations import DATA_FILE, demo_translations_load
from production_link.models import Workshop

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def test_every_demo_product_category_segment_and_workshop_has_an_english_name(demo):
    for model, field in (
        (Product, "title"),
        (Category, "name"),
        (Segment, "name"),
        (Workshop, "name"),
        (ProductClass, "name"),
    ):
        missing = model.objects.filter(**{f"{field}_en__isnull": True})
        assert not missing.exists(), (model.__name__, list(missing))
    # Every entry of the file found its row: a renamed UPC or slug is noticed here.
    packed = Product.objects.exclude(packaging_material_ind="").exclude(
        packaging_material_ind__isnull=True
    )
    assert not packed.filter(packaging_material_en__isnull=True).exists()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    counts = demo_translations_load()
    assert counts.pop("packaging materials") == packed.count()
    assert counts == {
        "products": len(data["products"]),
        "product classes": len(data["product_classes"]),
        "segments": len(data["segments"]),
        "workshops": len(data["workshops"]),
        "categories": len(data["categories"]),
    }


def test_loading_again_keeps_the_indonesian_texts(demo):
    bread = Product.objects.get(upc="KRY-TNG-0001")
    demo_translations_load()
    bread.refresh_from_db()

    assert bread.title_ind == "Roti Tawar Gandum 500 g"
    assert bread.title_en == "Whole Wheat Bread 500 g"


def test_searching_bread_on_the_english_site_finds_the_bread(demo, client):
    body = client.get("/en/search/", {"q": "bread"}).content.decode()

    assert "Whole Wheat Bread 500 g" in body


def test_a_demo_product_page_in_english_is_all_english(demo, client):
    bread = Product.objects.get(upc="KRY-TNG-0001")
    with translation.override("en"):
        url = bread.get_absolute_url()

    body = client.get(url).content.decode()

    assert "Whole Wheat Bread 500 g" in body
    assert "Wheat (gluten), milk, soy" in body
    assert "Bakery" in body  # the workshop
    assert "Not yet translated" not in body
