"""Demo data of the catalogue: buyer segments, packaging and label facts, channel prices,
institutional tiers and cost bases for the demo products of shop.apps.core.demo.

Called by shop.apps.core.demo.demo_data_load after the products exist. Looked up by UPC
and updated in place, so loading twice changes nothing (and records no new price
changes). Prices go through catalog.services.product_pricing_set like any staff edit,
so the demo shows a price history, including one confirmed below-cost gallery price.

Licence and certificate numbers are made up in the right formats; they belong to no
real business. Fresh produce carries a P-IRT number here for the demo; in practice
fresh food is registered differently (PSAT), a licence type the gate does not know yet.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from shop.apps.core import reference
from shop.apps.core.datafiles import data_file

from . import compliance, selectors, services

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")

FOOD_CLASS_SLUG = "pangan"
PRICE_EDITOR = "admin"  # the demo's central admin "made" the demo price changes

HOUSEHOLDS = "rumah-tangga"
OFFICES = "kantor-dan-instansi"
SOUVENIRS = "oleh-oleh-dan-wisatawan"
COLLECTORS = "kolektor-dan-hadiah"

# Buyer segments are reference data (data/reference/segments.yaml); the demo draws each a
# tile in its colour.
SEGMENT_COLOURS = {
    HOUSEHOLDS: "#8a5a2b",
    OFFICES: "#1f3a5f",
    SOUVENIRS: "#a44a3f",
    COLLECTORS: "#3f8c8c",
}


@dataclass(frozen=True)
class Facts:
    segments: tuple[str, ...]
    net: tuple[str, str] | None = None  # (quantity, unit)
    packaging: tuple[str, str, bool] = ("", "", False)  # (type, material, recyclable)
    gross_weight_grams: int | None = None
    dimensions_cm: tuple[str, str, str] | None = None
    units_per_pack: int = 1
    ingredients: str = ""
    label_name: str = ""
    allergens: str = ""
    storage: str = ""
    shelf_life_days: int | None = None
    licence: tuple[str, str] | None = None  # (type, number)
    halal: tuple[str, date] | None = None  # (certificate number, expiry)
    sni_number: str = ""
    cost: tuple[int, int] | None = None  # (materials, labour) per unit
    gallery: int | None = None
    exhibition: int | None = None
    tiers: dict[int, int] = field(default_factory=dict)
    confirm_below_cost: bool = False


def _facts(row: dict) -> Facts:
    """One product's facts from data/demo/catalog_facts.yaml: its lists become the tuples
    Facts holds."""
    return Facts(**{key: tuple(v) if isinstance(v, list) else v for key, v in row.items()})


# The demo products' catalogue facts are data: data/demo/catalog_facts.yaml, by UPC.
FACTS = {upc: _facts(row) for upc, row in data_file("demo/catalog_facts.yaml").items()}
BLOCKED_UPC = "KRY-TNG-0004"


@transaction.atomic
def catalog_demo_load(*, products: dict) -> dict[str, int]:
    """Fill the catalogue facts of the demo ``products`` (UPC → Product)."""
    segments = _segments_sync()
    ProductClass.objects.filter(slug=FOOD_CLASS_SLUG, is_food=False).update(is_food=True)
    editor = get_user_model().objects.filter(username=PRICE_EDITOR).first()
    for upc, product in products.items():
        facts = FACTS.get(upc)
        if facts is None:
            continue
        product.refresh_from_db()
        _facts_sync(product, facts)
        product.segments.set([segments[slug] for slug in facts.segments])
        _prices_sync(product, facts, editor)
        if upc == BLOCKED_UPC:
            services.product_unpublish(product=product)
        elif not compliance.is_publishable(product):
            # A mistake in the demo data above: show it rather than publish it.
            services.product_unpublish(product=product)
    return {"segments": Segment.objects.count()}


def _segments_sync() -> dict[str, object]:
    reference.segments_sync()
    found = {}
    for segment in Segment.objects.filter(slug__in=SEGMENT_COLOURS):
        if not segment.image:
            image = _segment_image(SEGMENT_COLOURS[segment.slug])
            segment.image.save(f"segmen-{segment.slug}.png", ContentFile(image))
        found[segment.slug] = segment
    return found


def _segment_image(colour: str) -> bytes:
    # A plain tile in the segment's colour with a few rings: enough for a demo.
    image = Image.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(image)
    for radius in range(40, 200, 30):
        draw.ellipse((160 - radius, 160 - radius, 160 + radius, 160 + radius), outline="#f4ead5")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _facts_sync(product, facts: Facts) -> None:
    packaging_type, packaging_material, recyclable = facts.packaging
    length, width, height = facts.dimensions_cm or (None, None, None)
    licence_type, licence_number = facts.licence or ("", "")
    halal_number, halal_expiry = facts.halal or ("", None)
    values = {
        "net_quantity": Decimal(facts.net[0]) if facts.net else None,
        "net_quantity_unit": facts.net[1] if facts.net else "",
        "packaging_type": packaging_type,
        "packaging_material": packaging_material,
        "packaging_recyclable": recyclable,
        "gross_weight_grams": facts.gross_weight_grams,
        "length_cm": Decimal(length) if length else None,
        "width_cm": Decimal(width) if width else None,
        "height_cm": Decimal(height) if height else None,
        "units_per_pack": facts.units_per_pack,
        "label_name": facts.label_name,
        "ingredients": facts.ingredients,
        "allergens": facts.allergens,
        "storage_instructions": facts.storage,
        "shelf_life_days": facts.shelf_life_days,
        "licence_type": licence_type,
        "licence_number": licence_number,
        "halal_claimed": bool(halal_number),
        "halal_certificate_number": halal_number,
        "halal_certificate_expiry": halal_expiry,
        "sni_number": facts.sni_number,
    }
    changed = [name for name, value in values.items() if getattr(product, name) != value]
    for name in changed:
        setattr(product, name, values[name])
    if changed:
        product.full_clean(exclude=["categories", "slug", "code"])
        product.save(update_fields=changed)


def _prices_sync(product, facts: Facts, editor) -> None:
    current = selectors.pricing_state(product)
    materials, labour = facts.cost or (None, None)
    services.product_pricing_set(
        product=product,
        user=editor,
        online=current.online,
        gallery=Decimal(facts.gallery) if facts.gallery else None,
        exhibition=Decimal(facts.exhibition) if facts.exhibition else None,
        tiers=[(q, Decimal(p)) for q, p in facts.tiers.items()],
        cost_materials=Decimal(materials) if materials is not None else None,
        cost_labor=Decimal(labour) if labour is not None else None,
        confirm_below_cost=facts.confirm_below_cost,
    )
