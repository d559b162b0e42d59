"""The rows of the procurement catalogue of one Lapas: every public product its
workshops make that has a price at the Lapas, with the facts LKPP's e-Katalog asks for.

A constant number of queries whatever the size of the catalogue: products with their
stock records, tiers, images and categories in a handful of prefetches, the category
tree once, the sellable units in one query (production_link.selectors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from oscar.core.loading import get_model

from production_link.selectors import lapas_for_user, sellable_online_units_of
from shop.apps.core.public_url import public_url

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

# e-Katalog v6 asks for the category in three levels; deeper trees are cut at three.
CATEGORY_LEVELS = 3
# How many image URLs a row carries (the form takes several photos per product).
IMAGE_COLUMNS = 3
# Perishable goods (fresh bread, cakes) are offered within the Lapas's own province
# only: a parcel to another island would not arrive fit to eat.
PERISHABLE_DAYS = 14


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    price: Decimal


@dataclass
class CatalogueRow:
    product_id: int
    title: str
    description: str
    categories: list[str]
    sku: str
    unit: str
    specification: str
    price: Decimal
    tiers: list[Tier]
    stock: int
    min_order: int
    weight_grams: int | None
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None
    sni_number: str
    licence: str
    halal: str
    shelf_life_days: int | None
    delivery_area: str
    origin: str
    producer: str
    workshop: str
    url: str
    image_urls: list[str] = field(default_factory=list)

    @property
    def category_path(self) -> str:
        return " > ".join(self.categories)


def procurement_lapas_for_user(user):
    """The Lapas whose procurement catalogue a user may download: their own; central
    admins every Lapas."""
    return lapas_for_user(user).order_by("name")


def procurement_lapas_get(*, user, lapas_id) -> Partner | None:
    """The Lapas named by a request, if the user may see it (else None: a 404)."""
    try:
        lapas_id = int(lapas_id)
    except (TypeError, ValueError):
        return None
    return procurement_lapas_for_user(user).filter(pk=lapas_id).first()


def _plain(text: str) -> str:
    """Product descriptions are sanitised HTML; the e-Katalog form takes plain text."""
    text = normalize_newlines(strip_tags(text or "")).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _category_names() -> dict[str, tuple[str, int]]:
    """(name, depth) of every category by its tree path (one query: categories are few)."""
    return {
        path: (name, depth)
        for path, name, depth in Category.objects.values_list("path", "name", "depth")
    }


def _category_trail(category, names, steplen: int) -> list[str]:
    trail = []
    for depth in range(1, category.depth + 1):
        found = names.get(category.path[: depth * steplen])
        if found:
            trail.append(found[0])
    return trail[:CATEGORY_LEVELS]


def _unit(product) -> str:
    if product.units_per_pack and product.units_per_pack > 1:
        return f"pak isi {product.units_per_pack}"
    return "buah"


def _number(value) -> str:
    from catalog.validators import plain_number

    return plain_number(value)


def _specification(product) -> str:
    """The technical facts a procurement officer compares, as one line."""
    facts = []
    if product.net_quantity is not None:
        facts.append(f"Isi bersih {product.net_quantity_display}")
    if product.dimensions_display:
        facts.append(f"Ukuran {product.dimensions_display}")
    if product.gross_weight_grams:
        facts.append(f"Berat kemas {product.gross_weight_grams} g")
    if product.ingredients:
        facts.append(f"Bahan: {' '.join(product.ingredients.split())}")
    if product.packaging_type:
        packaging = product.get_packaging_type_display()
        if product.packaging_material:
            packaging = f"{packaging} ({product.packaging_material})"
        facts.append(f"Kemasan: {packaging}")
    if product.shelf_life_days:
        facts.append(f"Masa simpan {product.shelf_life_days} hari")
    return "; ".join(str(fact) for fact in facts)


def _licence(product) -> str:
    if not product.licence_number:
        return ""
    kind = product.get_licence_type_display() if product.licence_type else ""
    return f"{kind} {product.licence_number}".strip()


def _halal(product) -> str:
    if product.halal_claimed and product.halal_certificate_number:
        return product.halal_certificate_number
    return ""


def _place(lapas) -> tuple[str, str]:
    """(town, province) of the Lapas's address."""
    address = lapas.primary_address
    if address is None:
        return "", ""
    return address.line4 or "", address.state or ""


def procurement_rows(*, lapas) -> list[CatalogueRow]:
    """The catalogue of one Lapas, ordered by category path, then title."""
    town, province = _place(lapas)
    origin = ", ".join(part for part in (town, province) if part)
    producer = Product.producer_line_of(lapas)
    names = _category_names()
    steplen = Category.steplen
    products = list(
        Product.objects.filter(workshop__lapas=lapas, is_public=True)
        .exclude(structure=Product.PARENT)
        .select_related("workshop", "product_class", "parent__product_class")
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.filter(partner=lapas).order_by("pk"),
                to_attr="lapas_stockrecords",
            ),
            "price_tiers",
            "categories",
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        )
        .order_by("pk")
    )
    units = sellable_online_units_of(product_ids=[p.pk for p in products])
    rows = []
    for product in products:
        stockrecord = product.lapas_stockrecords[0] if product.lapas_stockrecords else None
        if stockrecord is None or stockrecord.price is None:
            # No price, nothing to offer: the e-Katalog refuses a product without one.
            continue
        categories = sorted(product.categories.all(), key=lambda c: c.path)
        trail = _category_trail(categories[0], names, steplen) if categories else []
        perishable = bool(product.shelf_life_days and product.shelf_life_days < PERISHABLE_DAYS)
        if not product.is_shipping_required:
            area = f"Diambil di {lapas.name}"
        elif perishable and province:
            area = f"Provinsi {province}"
        else:
            area = "Seluruh Indonesia"
        images = [public_url(image.original.url) for image in product.images.all()]
        rows.append(
            CatalogueRow(
                product_id=product.pk,
                title=product.get_title(),
                description=_plain(
                    product.description or (product.parent and product.parent.description) or ""
                ),
                categories=trail,
                sku=stockrecord.partner_sku or product.upc or "",
                unit=_unit(product),
                specification=_specification(product),
                price=stockrecord.price,
                tiers=[Tier(t.min_quantity, t.price) for t in product.price_tiers.all()],
                stock=units.get((product.pk, lapas.pk), 0),
                min_order=1,
                weight_grams=product.gross_weight_grams,
                length_cm=product.length_cm,
                width_cm=product.width_cm,
                height_cm=product.height_cm,
                sni_number=product.sni_number,
                licence=_licence(product),
                halal=_halal(product),
                shelf_life_days=product.shelf_life_days,
                delivery_area=area,
                origin=origin,
                producer=producer,
                workshop=product.workshop.name if product.workshop_id else "",
                url=public_url(product.get_absolute_url()),
                image_urls=images[:IMAGE_COLUMNS],
            )
        )
    rows.sort(key=lambda row: ([c.lower() for c in row.categories], row.title.lower()))
    return rows
