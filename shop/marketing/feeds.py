"""Product feeds for Google Merchant Center (RSS 2.0 with the g: namespace) and the Meta
catalogue (CSV), one per language, built into storage by a Celery task (tasks.py) and
served as files at stable public URLs (views.py): a request never scans the catalogue.

What is listed: public products with an online price (Oscar's browsable products with a
priced stock record), in stock or not (availability says which). Karya's goods are made
in the prison workshops and carry no GTIN: identifier_exists is "no", and the product's
own code is its MPN under the brand "Karya". Links carry UTM parameters, so orders from
the feeds are credited to them (shop.marketing.touch).
"""

import csv
import io
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from .models import FeedFile

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

BRAND = "Karya"
GOOGLE_NS = "http://base.google.com/ns/1.0"
UTM_SOURCES = {FeedFile.Kind.GOOGLE: "google", FeedFile.Kind.META: "facebook"}
UTM_CAMPAIGN = "product-feed"
MAX_IMAGES = 10  # Google takes up to 10 additional images, Meta 20
TITLE_MAX = {FeedFile.Kind.GOOGLE: 150, FeedFile.Kind.META: 200}
DESCRIPTION_MAX = 5000
CHUNK = 500
META_FIELDS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "additional_image_link",
    "brand",
    "mpn",
    "product_type",
)
FILE_TYPES = {FeedFile.Kind.GOOGLE: "xml", FeedFile.Kind.META: "csv"}
CONTENT_TYPES = {
    FeedFile.Kind.GOOGLE: "application/xml; charset=utf-8",
    FeedFile.Kind.META: "text/csv; charset=utf-8",
}

# Characters XML 1.0 forbids (a title pasted from a spreadsheet may hold them) and line
# breaks, which feed readers do not want in one-line fields.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def plain(text: str, limit: int) -> str:
    """Text as a feed wants it: no HTML, no control characters, one line, cut at `limit`."""
    text = text or ""
    if "<" in text:  # strip_tags parses HTML: only for text that may hold some
        text = strip_tags(text)
    text = _FORBIDDEN.sub("", text)
    return _SPACES.sub(" ", text).strip()[:limit]


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    description: str
    link: str
    image_link: str
    additional_image_links: tuple[str, ...]
    price: str
    in_stock: bool
    brand: str
    mpn: str
    product_type: str


def _products() -> Iterator:
    priced = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
    qs = (
        Product.objects.browsable()
        .filter(Exists(priced))
        .select_related("product_class")
        .prefetch_related(
            Prefetch("stockrecords", queryset=StockRecord.objects.order_by("pk")),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
            "categories",
        )
        .order_by("pk")
    )
    return qs.iterator(chunk_size=CHUNK)


def _category_paths() -> dict[int, str]:
    """Every category's "Parent > Child" path in the active language, from one query."""
    categories = list(Category.objects.order_by("path"))
    names = {c.path: c.name for c in categories}
    steplen = Category.steplen
    paths = {}
    for c in categories:
        parts = [names.get(c.path[:i]) for i in range(steplen, len(c.path) + 1, steplen)]
        paths[c.pk] = " > ".join(p for p in parts if p)
    return paths


def _absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base + url


def with_utm(url: str, *, source: str, medium: str, campaign: str) -> str:
    query = urlencode({"utm_source": source, "utm_medium": medium, "utm_campaign": campaign})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def feed_items(*, base: str) -> Iterator[FeedItem]:
    """The items of the active language's feeds, shared by both formats: each writer
    cuts the title to its own limit and adds its own UTM source to the link."""
    categories = _category_paths()
    for product in _products():
        records = list(product.stockrecords.all())
        record = next((r for r in records if r.price is not None), None)
        if record is None:
            continue
        images = [
            _absolute(base, image.original.url) for image in product.images.all() if image.original
        ]
        category = next(iter(product.categories.all()), None)
        price = Decimal(record.price).quantize(Decimal(1))
        yield FeedItem(
            id=str(product.pk),
            title=plain(product.title, max(TITLE_MAX.values())),
            description=plain(product.description or product.title, DESCRIPTION_MAX),
            link=base + product.get_absolute_url(),
            image_link=images[0] if images else "",
            additional_image_links=tuple(images[1 : 1 + MAX_IMAGES]),
            price=f"{price} {record.price_currency or 'IDR'}",
            in_stock=(record.net_stock_level or 0) > 0,
            brand=BRAND,
            mpn=plain(product.upc or f"KARYA-{product.pk}", 70),
            product_type=plain(categories.get(category.pk, "") if category else "", 750),
        )


def _link(item: FeedItem, kind: str) -> str:
    return with_utm(item.link, source=UTM_SOURCES[kind], medium="feed", campaign=UTM_CAMPAIGN)


def google_write(out, items, *, title: str, link: str) -> int:
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    # The namespace is declared on the root by hand; XMLGenerator's prefix mapping only
    # reaches elements started with startElementNS.
    xml.startElement("rss", {"version": "2.0", "xmlns:g": GOOGLE_NS})
    xml.startElement("channel", {})

    def element(name, text, ns=False):
        tag = f"g:{name}" if ns else name
        xml.startElement(tag, {})
        xml.characters(text)
        xml.endElement(tag)

    element("title", title)
    element("link", link)
    element("description", title)
    count = 0
    for item in items:
        xml.startElement("item", {})
        element("id", item.id, ns=True)
        element("title", item.title[: TITLE_MAX[FeedFile.Kind.GOOGLE]].rstrip(), ns=True)
        element("description", item.description, ns=True)
        element("link", _link(item, FeedFile.Kind.GOOGLE), ns=True)
        if item.image_link:
            element("image_link", item.image_link, ns=True)
        for url in item.additional_image_links:
            element("additional_image_link", url, ns=True)
        element("availability", "in_stock" if item.in_stock else "out_of_stock", ns=True)
        element("price", item.price, ns=True)
        element("condition", "new", ns=True)
        element("brand", item.brand, ns=True)
        element("mpn", item.mpn, ns=True)
        element("identifier_exists", "no", ns=True)
        if item.product_type:
            element("product_type", item.product_type, ns=True)
        xml.endElement("item")
        count += 1
    xml.endElement("channel")
    xml.endElement("rss")
    xml.endDocument()
    return count


def meta_write(out, items) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(META_FIELDS)
    count = 0
    for item in items:
        writer.writerow(
            [
                item.id,
                item.title[: TITLE_MAX[FeedFile.Kind.META]],
                item.description,
                "in stock" if item.in_stock else "out of stock",
                "new",
                item.price,
                _link(item, FeedFile.Kind.META),
                item.image_link,
                ",".join(item.additional_image_links),
                item.brand,
                item.mpn,
                item.product_type,
            ]
        )
        count += 1
    text.flush()
    text.detach()
    return count


def feed_build(*, kind: str, language: str, items=None) -> FeedFile:
    """Write one feed to storage under a new name and point its FeedFile at it. Safe to
    run twice at once: each writes its own file; the last to commit is served, and the
    file it replaced is deleted after the commit. `items`: the language's items, when
    already read for the other format."""
    from cms.selectors import public_base_url

    base = public_base_url()
    out = io.BytesIO()
    with translation.override(language):
        if items is None:
            items = feed_items(base=base)
        if kind == FeedFile.Kind.GOOGLE:
            count = google_write(out, items, title="Karya", link=base + "/")
        else:
            count = meta_write(out, items)
    name = default_storage.save(
        f"feeds/{kind}-{language}-{uuid.uuid4().hex[:12]}.{FILE_TYPES[kind]}",
        ContentFile(out.getvalue()),
    )
    with transaction.atomic():
        feed = FeedFile.objects.select_for_update().filter(kind=kind, language=language).first()
        old = feed.path if feed is not None else ""
        if feed is None:
            feed = FeedFile(kind=kind, language=language)
        feed.path, feed.items, feed.generated_at = name, count, timezone.now()
        feed.save()
        if old and old != name:
            transaction.on_commit(lambda: default_storage.delete(old))
    logger.info("Feed %s-%s: %d products in %s", kind, language, count, name)
    return feed


def feeds_build_all() -> list[FeedFile]:
    """Every feed: the catalogue is read once per language for both formats."""
    from cms.selectors import public_base_url

    built = []
    for language in languages():
        with translation.override(language):
            items = list(feed_items(base=public_base_url()))
        built += [
            feed_build(kind=kind, language=language, items=items) for kind in FeedFile.Kind.values
        ]
    return built
