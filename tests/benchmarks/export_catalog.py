"""Export Karya's browsable catalogue as JSON that a stock Oscar shop can load.

    DJANGO_SETTINGS_MODULE=shop.settings.dev .venv/bin/python -m tests.benchmarks.export_catalog OUT.json

Only facts every Oscar shop has are written (categories, product classes, partners,
products with their stock records and images), so the baseline loads the same catalogue
without any of Karya's models. "Browsable" is what Karya's listing shows:
``Product.objects.browsable()``. Images are written as paths relative to ``media_root``,
which the baseline then uses as its own MEDIA_ROOT, so both shops read the same files.

A fixed handful of queries, whatever the catalogue's size: products are read in chunks with
their stock records, images and categories prefetched per chunk.
"""

import json
import sys
from decimal import Decimal

CHUNK = 2000


def _money(value: Decimal | None) -> str | None:
    # Whole rupiah as "50000" rather than the column's "50000.00".
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _category_paths(categories) -> dict:
    """Each category's names from the root down, from treebeard's materialised paths."""
    by_path = {c.path: c for c in categories}
    paths = {}
    for category in categories:
        steplen = category.steplen
        names = [
            by_path[category.path[:end]].name
            for end in range(steplen, len(category.path) + 1, steplen)
        ]
        paths[category.pk] = names
    return paths


def export_catalog() -> dict:
    from django.conf import settings
    from django.db.models import Prefetch
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    ProductImage = get_model("catalogue", "ProductImage")
    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")

    categories = list(Category.objects.order_by("path"))
    paths = _category_paths(categories)
    partner_codes = dict(Partner.objects.values_list("pk", "code"))

    products = (
        Product.objects.browsable()
        .select_related("product_class")
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.order_by("pk").only(
                    "product_id",
                    "partner_id",
                    "partner_sku",
                    "price",
                    "num_in_stock",
                    "num_allocated",
                ),
            ),
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("display_order", "pk").only(
                    "product_id", "original", "caption", "display_order"
                ),
            ),
            Prefetch("categories", queryset=Category.objects.only("pk")),
        )
    )
    exported = []
    class_ids, partner_ids = set(), set()
    for product in products.iterator(chunk_size=CHUNK):
        product_class = product.get_product_class()
        if product_class is not None:
            class_ids.add(product_class.pk)
        stockrecords = list(product.stockrecords.all())
        partner_ids.update(record.partner_id for record in stockrecords)
        exported.append(
            {
                "upc": product.upc,
                "title": product.title,
                "slug": product.slug,
                "description": product.description,
                "product_class": product_class.slug if product_class else None,
                "categories": sorted(paths[c.pk] for c in product.categories.all()),
                "stockrecords": [
                    {
                        "partner": partner_codes[record.partner_id],
                        "partner_sku": record.partner_sku,
                        "price": _money(record.price),
                        "num_in_stock": record.num_in_stock,
                        "num_allocated": record.num_allocated or 0,
                    }
                    for record in stockrecords
                ],
                "images": [
                    {
                        "original": image.original.name,
                        "caption": image.caption,
                        "display_order": image.display_order,
                    }
                    for image in product.images.all()
                ],
            }
        )

    return {
        "media_root": str(settings.MEDIA_ROOT),
        "categories": [
            {
                "path": paths[c.pk],
                "name": c.name,
                "slug": c.slug,
                "description": c.description,
                "is_public": c.is_public,
            }
            for c in categories
        ],
        "product_classes": [
            {
                "name": pc.name,
                "slug": pc.slug,
                "requires_shipping": pc.requires_shipping,
                "track_stock": pc.track_stock,
            }
            for pc in ProductClass.objects.filter(pk__in=class_ids).order_by("pk")
        ],
        "partners": [
            {"name": partner.name, "code": partner.code}
            for partner in Partner.objects.filter(pk__in=partner_ids).order_by("pk")
        ],
        "products": exported,
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m tests.benchmarks.export_catalog OUT.json", file=sys.stderr)
        return 2
    import django

    django.setup()
    catalog = export_catalog()
    with open(argv[0], "w", encoding="utf-8") as out:
        json.dump(catalog, out, ensure_ascii=False)
    print(f"exported {len(catalog['products'])} products to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
