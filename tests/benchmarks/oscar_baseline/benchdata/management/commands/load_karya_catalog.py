"""Load the catalogue that tests/benchmarks/export_catalog.py wrote into this stock shop.

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.benchmarks.oscar_baseline.settings \
        .venv/bin/django-admin load_karya_catalog catalog.json [--domain 127.0.0.1:8001]

Meant for a freshly migrated database. Rows go in with bulk_create in chunks (10,000
products take seconds, not minutes); the few categories go through treebeard so their tree
is valid. Then the Whoosh index is rebuilt through haystack, as an Oscar shop does after an import.
Indonesia becomes the one shipping country, so checkout offers it, and the Site gets the
domain the bench serves on.
"""

import json
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection as db_connection
from django.db import transaction
from haystack import connections as haystack_connections
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")

CHUNK = 1000
# Whoosh commits once per batch; bigger batches mean fewer, larger segment merges.
INDEX_CHUNK = 1000


class Command(BaseCommand):
    help = "Load Karya's exported catalogue (JSON) into the stock Oscar shop and index it."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON written by tests.benchmarks.export_catalog")
        parser.add_argument("--domain", default="127.0.0.1", help="the Site's domain")
        parser.add_argument("--no-index", action="store_true", help="leave the search index alone")

    def handle(self, *args, path, domain, no_index, **options):
        with open(path, encoding="utf-8") as source:
            catalog = json.load(source)
        if Product.objects.exists():
            raise CommandError("This database already has products: load into a fresh one.")

        started = time.monotonic()
        count = self._load(catalog, domain=domain)
        loaded = time.monotonic()
        self.stdout.write(f"loaded {count} products in {loaded - started:.1f} s")
        # As seed_catalog does for Karya: statistics for the rows just loaded.
        with db_connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if not no_index:
            self._index()
            self.stdout.write(f"indexed in {time.monotonic() - loaded:.1f} s")

    def _index(self):
        """What `rebuild_index` does (clear, then every browsable product through Oscar's
        ProductIndex), with each batch's stock records and product class read in two
        queries rather than six per product: the same documents in half the time. Then
        the index is merged into one segment."""
        connection = haystack_connections["default"]
        backend = connection.get_backend()
        index = connection.get_unified_index().get_index(Product)
        backend.clear(commit=True)
        pks = list(index.index_queryset().values_list("pk", flat=True))
        for start in range(0, len(pks), INDEX_CHUNK):
            batch = (
                index.index_queryset()
                .filter(pk__in=pks[start : start + INDEX_CHUNK])
                .select_related("product_class")
                .prefetch_related("stockrecords")
            )
            backend.update(index, batch)
        # One commit per batch leaves a segment per batch, and Whoosh searches each of
        # them on every listing: merged into one, /catalogue/ at 10,000 products takes
        # half the time. The baseline should be Oscar at its best, not at its first try.
        backend.index.optimize()

    @transaction.atomic
    def _load(self, catalog, *, domain) -> int:
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "Oscar baseline"}
        )
        Country.objects.update_or_create(
            iso_3166_1_a2="ID",
            defaults={
                "iso_3166_1_a3": "IDN",
                "iso_3166_1_numeric": "360",
                "printable_name": "Indonesia",
                "name": "Republic of Indonesia",
                "is_shipping_country": True,
            },
        )

        classes = {
            pc["slug"]: ProductClass.objects.create(
                name=pc["name"],
                slug=pc["slug"],
                requires_shipping=pc["requires_shipping"],
                track_stock=pc["track_stock"],
            )
            for pc in catalog["product_classes"]
        }
        partners = {
            p["code"]: Partner.objects.create(name=p["name"], code=p["code"])
            for p in catalog["partners"]
        }
        categories = {}
        # Parents come before children in the export, so each parent exists already.
        for c in catalog["categories"]:
            fields = {
                "name": c["name"],
                "slug": c["slug"],
                "description": c.get("description", ""),
                "is_public": c.get("is_public", True),
            }
            parent = categories.get(tuple(c["path"][:-1]))
            node = parent.add_child(**fields) if parent else Category.add_root(**fields)
            categories[tuple(c["path"])] = node

        rows = catalog["products"]
        for start in range(0, len(rows), CHUNK):
            self._load_chunk(rows[start : start + CHUNK], classes, partners, categories)
        return len(rows)

    def _load_chunk(self, rows, classes, partners, categories):
        products = Product.objects.bulk_create(
            [
                Product(
                    structure=Product.STANDALONE,
                    upc=row["upc"],
                    title=row["title"],
                    slug=row["slug"],
                    description=row["description"],
                    product_class=classes.get(row["product_class"]),
                    is_public=True,
                )
                for row in rows
            ]
        )
        links, records, images = [], [], []
        for product, row in zip(products, rows, strict=True):
            links += [
                ProductCategory(product=product, category=categories[tuple(path)])
                for path in row["categories"]
            ]
            records += [
                StockRecord(
                    product=product,
                    partner=partners[sr["partner"]],
                    partner_sku=sr["partner_sku"],
                    price_currency=settings.OSCAR_DEFAULT_CURRENCY,
                    price=None if sr["price"] is None else Decimal(sr["price"]),
                    num_in_stock=sr["num_in_stock"],
                    num_allocated=sr["num_allocated"],
                )
                for sr in row["stockrecords"]
            ]
            images += [
                ProductImage(
                    product=product,
                    original=image["original"],
                    caption=image["caption"],
                    display_order=image["display_order"],
                )
                for image in row["images"]
            ]
        ProductCategory.objects.bulk_create(links)
        StockRecord.objects.bulk_create(records)
        ProductImage.objects.bulk_create(images)
