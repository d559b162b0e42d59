"""Product feeds for Google Merchant Center (XML) and the Meta catalogue (CSV): the fields
each asks for, per language, only public products with a price, hostile names escaped,
built by the task into storage and served as a file at a stable URL."""

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from PIL import Image

from shop.marketing import feeds, tasks
from shop.marketing.models import FeedFile
from tests.factories import CategoryFactory, ProductFactory, WorkshopFactory

ProductImage = get_model("catalogue", "ProductImage")

G = "{http://base.google.com/ns/1.0}"
pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "brown").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def catalogue(lapas):
    workshop = WorkshopFactory(lapas=lapas, name="Bengkel Roti")
    food = CategoryFactory(name="Makanan")
    bread = CategoryFactory(name="Roti", parent=food)
    listed = ProductFactory(
        title="Roti Sobek Cokelat",
        upc="TNG-ROTI-01",
        description="<p>Roti <b>lembut</b></p>",
        workshop=workshop,
        categories=[bread],
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=5,
    )
    listed.title_en = "Chocolate Pull-apart Bread"
    listed.save()
    for order in range(3):
        ProductImage.objects.create(
            product=listed,
            original=ImageFile(io.BytesIO(_jpeg()), name=f"roti-{order}.jpg"),
            display_order=order,
        )
    sold_out = ProductFactory(title="Roti Tawar", workshop=workshop, stockrecord__num_in_stock=0)
    hidden = ProductFactory(title="Roti Rahasia", workshop=workshop, is_public=False)
    unpriced = ProductFactory(title="Roti Tanpa Harga", workshop=workshop, stockrecord=False)
    return {"listed": listed, "sold_out": sold_out, "hidden": hidden, "unpriced": unpriced}


def _read(feed: FeedFile) -> bytes:
    with default_storage.open(feed.path, "rb") as handle:
        return handle.read()


def _google(language="id"):
    root = ET.fromstring(_read(feeds.feed_build(kind="google", language=language)))
    return {item.find(f"{G}id").text: item for item in root.iter("item")}


def test_google_feed_lists_public_priced_products_with_merchant_center_fields(catalogue):
    items = _google()

    listed, sold_out = catalogue["listed"], catalogue["sold_out"]
    assert set(items) == {str(listed.pk), str(sold_out.pk)}
    item = items[str(listed.pk)]
    assert item.find(f"{G}title").text == "Roti Sobek Cokelat"
    assert item.find(f"{G}description").text == "Roti lembut"
    assert item.find(f"{G}price").text == "150000 IDR"
    assert item.find(f"{G}availability").text == "in_stock"
    assert item.find(f"{G}condition").text == "new"
    assert item.find(f"{G}brand").text == "Karya"
    assert item.find(f"{G}mpn").text == "TNG-ROTI-01"
    assert item.find(f"{G}identifier_exists").text == "no"
    assert item.find(f"{G}product_type").text == "Makanan > Roti"
    link = item.find(f"{G}link").text
    assert link.startswith("http") and listed.get_absolute_url() in link
    assert "utm_source=google&utm_medium=feed&utm_campaign=product-feed" in link
    image = item.find(f"{G}image_link").text
    assert image.startswith("http") and "roti-0" in image
    extra = [e.text for e in item.findall(f"{G}additional_image_link")]
    assert len(extra) == 2 and all(u.startswith("http") for u in extra)
    assert items[str(sold_out.pk)].find(f"{G}availability").text == "out_of_stock"


def test_each_language_has_its_own_titles_and_links(catalogue):
    english = _google("en")[str(catalogue["listed"].pk)]

    assert english.find(f"{G}title").text == "Chocolate Pull-apart Bread"
    assert "/en/" in english.find(f"{G}link").text
    # No English title yet: the Indonesian one, as the English pages show it.
    assert _google("en")[str(catalogue["sold_out"].pk)].find(f"{G}title").text == "Roti Tawar"


def test_hostile_product_names_are_escaped_in_both_formats(lapas):
    hostile = 'Roti <script>alert(1)</script> & "Kue", \x07enak\n=1+1'
    product = ProductFactory(title=hostile, workshop=WorkshopFactory(lapas=lapas))

    raw = _read(feeds.feed_build(kind="google", language="id"))
    item = {i.find(f"{G}id").text: i for i in ET.fromstring(raw).iter("item")}[str(product.pk)]
    title = item.find(f"{G}title").text
    assert b"<script" not in raw and b"\x07" not in raw
    assert title == 'Roti alert(1) & "Kue", enak =1+1'

    rows = list(
        csv.DictReader(io.StringIO(_read(feeds.feed_build(kind="meta", language="id")).decode()))
    )
    (row,) = [r for r in rows if r["id"] == str(product.pk)]
    assert row["title"] == title


def test_meta_catalogue_csv_has_the_catalogue_fields(catalogue):
    data = _read(feeds.feed_build(kind="meta", language="en")).decode()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(data))}

    assert data.splitlines()[0].startswith(
        "id,title,description,availability,condition,price,link,image_link"
    )
    row = rows[str(catalogue["listed"].pk)]
    assert row["title"] == "Chocolate Pull-apart Bread"
    assert row["availability"] == "in stock" and row["condition"] == "new"
    assert row["price"] == "150000 IDR" and row["brand"] == "Karya"
    assert "utm_source=facebook&utm_medium=feed" in row["link"]
    assert len(row["additional_image_link"].split(",")) == 2
    assert rows[str(catalogue["sold_out"].pk)]["availability"] == "out of stock"
    assert str(catalogue["hidden"].pk) not in rows and str(catalogue["unpriced"].pk) not in rows


def test_the_task_builds_every_feed_and_a_rebuild_replaces_the_file(
    catalogue, django_capture_on_commit_callbacks
):
    assert tasks.feeds_refresh() == 4
    first = FeedFile.objects.get(kind="google", language="id")

    with django_capture_on_commit_callbacks(execute=True):
        tasks.feeds_refresh()

    second = FeedFile.objects.get(kind="google", language="id")
    assert FeedFile.objects.count() == 4
    assert second.path != first.path and second.items == 2
    assert default_storage.exists(second.path)
    assert not default_storage.exists(first.path)


def test_the_feed_url_serves_the_built_file_without_reading_the_catalogue(client, catalogue):
    tasks.feeds_refresh()
    ProductFactory(title="Roti Baru", workshop=catalogue["listed"].workshop)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/feeds/google-id.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = b"".join(response.streaming_content)
    assert b"Roti Sobek Cokelat" in body and b"Roti Baru" not in body  # until the next build
    assert len(queries) <= 3
    meta = client.get("/feeds/meta-en.csv")
    assert meta.status_code == 200 and meta["Content-Type"].startswith("text/csv")


def test_a_feed_never_built_is_built_on_its_first_request(client, catalogue):
    response = client.get("/feeds/meta-id.csv")

    assert response.status_code == 200
    assert b"Roti Sobek Cokelat" in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "path", ["/feeds/amazon-id.xml", "/feeds/google-fr.xml", "/feeds/google-id.csv"]
)
def test_unknown_feeds_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_building_a_feed_costs_the_same_queries_for_more_products(lapas):
    workshop = WorkshopFactory(lapas=lapas)
    ProductFactory.create_batch(2, workshop=workshop)
    feeds.feed_build(kind="google", language="id")  # the feed's row exists from now on
    with CaptureQueriesContext(connection) as few:
        feeds.feed_build(kind="google", language="id")
    ProductFactory.create_batch(6, workshop=workshop)

    with CaptureQueriesContext(connection) as more:
        feed = feeds.feed_build(kind="google", language="id")

    assert feed.items == 8
    assert len(more) == len(few)
