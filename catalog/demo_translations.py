"""English texts of the demo catalogue (issue 18), from a data file.

catalog/demo_data/translations_en.json holds the English name (and description, label
texts, skills) of each demo product, product class, category, segment and workshop,
keyed by what the demo loaders key them by: a product's UPC, a class's or segment's
slug, a category's slug path ("industri/mebel"), a workshop's Indonesian name; packaging
materials by their Indonesian text, for every product packed in it.
``demo_translations_load`` writes them into the English columns (catalog/translation.py)
and leaves the Indonesian ones alone, so any demo loader may call it after its own
rows exist, as often as it likes. Entries whose row does not exist are skipped.
"""

import json
from pathlib import Path

from django.db import transaction
from oscar.core.loading import get_model

from production_link.models import Workshop
from shop.apps.core import shared_cache

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Segment = get_model("catalogue", "Segment")

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "translations_en.json"


def _english(fields: dict) -> dict:
    return {f"{name}_en": value for name, value in fields.items()}


def _category(path: str):
    """The category at a path of slugs ("pertanian-dan-perikanan/hortikultura/sayuran"):
    slugs repeat across branches, so each is looked up under its parent."""
    root_slug, *child_slugs = path.split("/")
    node = Category.objects.filter(depth=1, slug=root_slug).first()
    for slug in child_slugs:
        if node is None:
            return None
        node = node.get_children().filter(slug=slug).first()
    return node


@transaction.atomic
def demo_translations_load(data_file: Path = DATA_FILE) -> dict[str, int]:
    """Write the file's English texts; returns how many rows of each kind got them."""
    data = json.loads(data_file.read_text(encoding="utf-8"))
    counts = {}
    # update() writes the English columns only: no save() of Oscar's models (slugs,
    # signals) and, on PostgreSQL, the search triggers recompute the vectors.
    counts["products"] = sum(
        Product.objects.filter(upc=upc).update(**_english(fields))
        for upc, fields in data.get("products", {}).items()
    )
    counts["packaging materials"] = sum(
        Product.objects.filter(packaging_material_ind=material).update(
            packaging_material_en=english
        )
        for material, english in data.get("packaging_materials", {}).items()
    )
    counts["product classes"] = sum(
        ProductClass.objects.filter(slug=slug).update(**_english(fields))
        for slug, fields in data.get("product_classes", {}).items()
    )
    counts["segments"] = sum(
        Segment.objects.filter(slug=slug).update(**_english(fields))
        for slug, fields in data.get("segments", {}).items()
    )
    counts["workshops"] = sum(
        Workshop.objects.filter(name_ind=name).update(**_english(fields))
        for name, fields in data.get("workshops", {}).items()
    )
    categories = 0
    for path, fields in data.get("categories", {}).items():
        node = _category(path)
        if node is not None:
            categories += Category.objects.filter(pk=node.pk).update(**_english(fields))
    counts["categories"] = categories
    # Names are cached per language (menus, facets, breadcrumbs); update() sends no
    # signal, so the shared cache is told here.
    transaction.on_commit(shared_cache.invalidate)
    return counts
