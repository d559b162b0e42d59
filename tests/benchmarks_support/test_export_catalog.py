"""The catalogue export that `make bench` loads into the stock Oscar shop."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from tests.benchmarks.export_catalog import export_catalog
from tests.factories import CategoryFactory, ProductFactory

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_category(db):
    industry = CategoryFactory(name="Industri", slug="industri")
    return CategoryFactory(name="Makanan", slug="makanan", parent=industry)


def test_exports_browsable_products_with_prices_stock_categories_and_images(food_category):
    bread = ProductFactory(
        title="Roti Sobek Cokelat",
        upc="RTI-001",
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=5,
        categories=[food_category],
    )
    ProductImage.objects.create(
        product=bread, original="images/products/roti.jpg", caption="Roti", display_order=0
    )
    ProductFactory(title="Belum terbit", upc="HID-001", is_public=False)

    catalog = export_catalog()

    assert [p["upc"] for p in catalog["products"]] == ["RTI-001"]
    (exported,) = catalog["products"]
    assert exported["title"] == "Roti Sobek Cokelat"
    assert exported["slug"] == bread.slug
    assert exported["product_class"] == bread.product_class.slug
    assert exported["categories"] == [["Industri", "Makanan"]]
    (record,) = exported["stockrecords"]
    assert record["price"] == "150000"
    assert record["num_in_stock"] == 5
    assert record["num_allocated"] == 0
    assert record["partner"] == bread.stockrecords.get().partner.code
    assert exported["images"] == [
        {"original": "images/products/roti.jpg", "caption": "Roti", "display_order": 0}
    ]
    # Parents before children, each with its full path, so a loader can build the tree.
    assert [c["path"] for c in catalog["categories"]][:2] == [["Industri"], ["Industri", "Makanan"]]
    assert [pc["slug"] for pc in catalog["product_classes"]] == [bread.product_class.slug]
    assert [p["code"] for p in catalog["partners"]] == [record["partner"]]


def test_query_count_does_not_grow_with_the_catalogue(food_category, django_assert_max_num_queries):
    for n in range(6):
        ProductFactory(upc=f"BLK-{n}", categories=[food_category])

    with django_assert_max_num_queries(8):
        catalog = export_catalog()

    assert len(catalog["products"]) == 6
