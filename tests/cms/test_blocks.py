"""Blocks show products with live price and availability, and cost a fixed number of
queries however many products a page shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from cms.blocks import CallToActionBlock, ImageGalleryBlock, ProductGridBlock
from cms.models import ArticlePage, NewsIndexPage, SegmentPage
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home):
    return home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))


def article(news, body, slug="artikel"):
    return news.add_child(
        instance=ArticlePage(title="Artikel", slug=slug, intro="Ringkasan.", body=body)
    )


def test_product_block_shows_live_price_and_availability(client, news, product):
    page = article(news, [("product", {"product": product, "note": "Dipanggang pagi."})])

    body = client.get(page.url).content.decode()

    assert product.title in body
    assert "Rp150.000" in body
    assert "Dipanggang pagi." in body
    assert "basket/add" in body  # available to buy: the card offers the basket


def test_product_block_follows_price_changes_without_republishing(client, news, product):
    page = article(news, [("product", {"product": product, "note": ""})])
    product.stockrecords.update(price=Decimal("175000"))

    body = client.get(page.url).content.decode()

    assert "Rp175.000" in body


def test_product_off_sale_disappears_from_the_page(client, news, product):
    page = article(news, [("product", {"product": product, "note": ""})])
    product.is_public = False
    product.save()

    body = client.get(page.url).content.decode()

    assert product.title not in body
    assert page.specific.body[0].value["product"].pk == product.pk  # editors keep the choice


def test_product_grid_by_category_lists_that_categorys_products(client, news, product):
    food = CategoryFactory(name="Makanan")
    bread = ProductFactory(
        title="Roti Gandum", categories=[food], stockrecord__price=Decimal("22000")
    )
    ProductFactory(title="Kursi Jati", categories=[CategoryFactory(name="Mebel")])
    page = article(
        news,
        [
            (
                "product_grid",
                {"heading": "Roti", "category": food, "segment": "", "limit": 8, "sort": "newest"},
            )
        ],
    )

    body = client.get(page.url).content.decode()

    assert bread.title in body and "Rp22.000" in body
    assert "Kursi Jati" not in body


def test_product_grid_by_segment_lists_products_aimed_at_it(client, news):
    from catalog.models import Segment

    offices = Segment.objects.create(name="Kantor", slug="kantor")
    desk = ProductFactory(title="Meja Kantor")
    desk.segments.add(offices)
    ProductFactory(title="Kue Nastar")
    page = article(
        news,
        [
            (
                "product_grid",
                {
                    "heading": "",
                    "category": None,
                    "segment": "kantor",
                    "limit": 8,
                    "sort": "newest",
                },
            )
        ],
    )

    body = client.get(page.url).content.decode()

    assert "Meja Kantor" in body
    assert "Kue Nastar" not in body


def test_product_grid_needs_a_category_or_a_known_segment():
    block = ProductGridBlock()

    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"heading": "", "segment": "", "limit": 8, "sort": "newest"}))
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"segment": "tidak-ada", "limit": 8, "sort": "newest"}))
    assert "tidak-ada" in str(error.value.block_errors["segment"])


def test_call_to_action_needs_a_page_or_an_address():
    block = CallToActionBlock()

    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"heading": "Pesan", "button_text": "Kirim"}))


def test_gallery_images_need_alt_text_or_to_be_marked_decorative(image):
    block = ImageGalleryBlock()
    value = {"images": [{"image": {"image": image.pk, "alt_text": "", "decorative": False}}]}

    with pytest.raises(Exception) as error:
        block.clean(block.to_python(value))
    assert "alt text" in str(error.value.as_json_data()).lower()


def test_gallery_renders_webp_renditions_with_the_alt_text(client, news, image):
    # An ImageBlock's value is the image carrying the alt text given for this use.
    image.contextual_alt_text, image.decorative = "Roti di rak", False
    value = {"heading": "", "images": [{"image": image, "caption": "Bengkel roti"}]}
    page = article(news, [("gallery", value)])

    body = client.get(page.url).content.decode()

    assert 'type="image/webp"' in body
    assert 'alt="Roti di rak"' in body


def test_many_product_blocks_cost_no_more_queries_than_one(client, news, product):
    one = article(news, [("product", {"product": product, "note": ""})], slug="satu")
    products = [ProductFactory(workshop=product.workshop) for _ in range(12)]
    many = article(
        news,
        [("product", {"product": p, "note": ""}) for p in products]
        + [("rich_text", RichText("<p>Teks</p>"))],
        slug="banyak",
    )
    client.get(one.url), client.get(many.url)  # warm Oscar's and Wagtail's caches

    with CaptureQueriesContext(connection) as few:
        client.get(one.url)
    with CaptureQueriesContext(connection) as lots:
        body = client.get(many.url).content.decode()

    assert all(p.title in body for p in products)
    assert len(lots) == len(few)


def test_a_bigger_product_grid_costs_no_more_queries(client, home):
    food = CategoryFactory(name="Makanan")
    ProductFactory(categories=[food])
    grid = {"heading": "", "category": food, "segment": "", "limit": 24, "sort": "newest"}
    page = home.add_child(
        instance=SegmentPage(
            title="Rumah Tangga",
            slug="rumah",
            intro="Untuk rumah.",
            category=food,
            body=[("product_grid", grid)],
        )
    )
    client.get(page.url)
    with CaptureQueriesContext(connection) as small:
        client.get(page.url)
    for _ in range(15):
        ProductFactory(categories=[food])
    # Each new product brings a workshop with a new category, which rebuilds the cached
    # header menu once (cms.selectors.navigation); the page is measured after that.
    client.get(page.url)
    with CaptureQueriesContext(connection) as big:
        response = client.get(page.url)

    assert len(response.context["products"]) == 12  # the page's own list: its default 12
    assert len(big) == len(small)
