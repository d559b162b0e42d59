"""Public, read-only catalogue API: products with their segments, packaging, label and
prices, and the buyer segments. Mounted at /api/v1/ by shop/api.py.

Only published products are served, with the online price a visitor would pay; the
unit cost and the price history stay in the dashboard.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from oscar.core.loading import get_model

from production_link.inputs import BoundedPageNumberPagination, Id, parse_id
from shop.apps.search import facets as search_facets

from . import selectors

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

router = Router(tags=["catalogue"])

PAGE_SIZE = 24


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


def _plain(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(format(value.normalize(), "f"))


class SegmentOut(Schema):
    slug: str
    name: str
    description: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context["request"], obj.get_absolute_url())


class CategoryOut(Schema):
    id: int
    name: str
    slug: str


class MakerOut(Schema):
    lapas: str | None = Field(None, description="The Lapas (correctional institution).")
    satker_code: str | None = None
    workshop: str | None = Field(None, description="The prison workshop (bengkel kerja).")


class PackagingOut(Schema):
    type: str = Field("", description="pouch, box, jar, bottle, bag, wrap, tray, crate, none")
    material: str = ""
    recyclable: bool = False
    net_quantity: Decimal | None = None
    net_quantity_unit: str = Field("", description="g, kg, ml, l or pcs")
    units_per_pack: int = 1
    gross_weight_grams: int | None = None
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None


class LabelOut(Schema):
    name: str = ""
    ingredients: str = Field("", description="Composition, ingredients or material.")
    allergens: str = ""
    storage_instructions: str = ""
    shelf_life_days: int | None = None
    licence_type: str = Field("", description="pirt or bpom")
    licence_number: str = ""
    halal: bool = False
    halal_certificate_number: str = ""
    halal_certificate_expiry: date | None = None
    sni_number: str = ""
    producer: str = Field("", description="The Lapas's name and address, as printed.")


class TierOut(Schema):
    min_quantity: int
    price: int


class ProductOut(Schema):
    id: int
    upc: str | None
    title: str
    url: str
    description: str
    product_class: str | None
    is_food: bool
    requires_shipping: bool
    price: int | None = Field(None, description="Online unit price in whole rupiah.")
    currency: str | None
    available: bool
    availability: str
    image: str | None
    categories: list[CategoryOut]
    segments: list[SegmentOut]
    maker: MakerOut
    packaging: PackagingOut
    label: LabelOut
    institutional_tiers: list[TierOut] = Field(
        ..., description="Unit prices for registered institutional buyers, by quantity."
    )

    @staticmethod
    def resolve_title(obj):
        return obj.get_title()

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context["request"], obj.get_absolute_url())

    @staticmethod
    def resolve_product_class(obj):
        product_class = obj.get_product_class()
        return product_class.name if product_class else None

    @staticmethod
    def resolve_is_food(obj):
        product_class = obj.get_product_class()
        return bool(product_class and product_class.is_food)

    @staticmethod
    def resolve_requires_shipping(obj):
        return obj.is_shipping_required

    @staticmethod
    def _info(obj, context):
        cache = context.setdefault("purchase_info", {})
        if obj.pk not in cache:
            cache[obj.pk] = context["request"].strategy.fetch_for_product(obj)
        return cache[obj.pk]

    @staticmethod
    def resolve_price(obj, context):
        price = ProductOut._info(obj, context).price
        return int(price.incl_tax) if price.exists else None

    @staticmethod
    def resolve_currency(obj, context):
        price = ProductOut._info(obj, context).price
        return price.currency if price.exists else None

    @staticmethod
    def resolve_available(obj, context):
        return ProductOut._info(obj, context).availability.is_available_to_buy

    @staticmethod
    def resolve_availability(obj, context):
        return str(ProductOut._info(obj, context).availability.message)

    @staticmethod
    def resolve_image(obj, context):
        image = obj.primary_image()
        original = getattr(image, "original", None)
        if not original or not getattr(image, "pk", None):
            return None
        return _absolute(context["request"], original.url)

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())

    @staticmethod
    def resolve_segments(obj):
        return list(obj.segments.all())

    @staticmethod
    def resolve_maker(obj):
        lapas = obj.lapas
        return {
            "lapas": lapas.name if lapas else None,
            "satker_code": lapas.satker_code if lapas else None,
            "workshop": obj.workshop.name if obj.workshop_id else None,
        }

    @staticmethod
    def resolve_packaging(obj):
        return {
            "type": obj.packaging_type,
            "material": obj.packaging_material,
            "recyclable": obj.packaging_recyclable,
            "net_quantity": _plain(obj.net_quantity),
            "net_quantity_unit": obj.net_quantity_unit,
            "units_per_pack": obj.units_per_pack,
            "gross_weight_grams": obj.gross_weight_grams,
            "length_cm": _plain(obj.length_cm),
            "width_cm": _plain(obj.width_cm),
            "height_cm": _plain(obj.height_cm),
        }

    @staticmethod
    def resolve_label(obj):
        return {
            "name": obj.label_name,
            "ingredients": obj.ingredients,
            "allergens": obj.allergens,
            "storage_instructions": obj.storage_instructions,
            "shelf_life_days": obj.shelf_life_days,
            "licence_type": obj.licence_type,
            "licence_number": obj.licence_number,
            "halal": obj.halal_claimed,
            "halal_certificate_number": obj.halal_certificate_number,
            "halal_certificate_expiry": obj.halal_certificate_expiry,
            "sni_number": obj.sni_number,
            "producer": obj.producer_line,
        }

    @staticmethod
    def resolve_institutional_tiers(obj):
        return [
            {"min_quantity": t.min_quantity, "price": int(t.price)} for t in obj.price_tiers.all()
        ]


PriceBand = Literal[tuple(search_facets.PRICE_KEYS)]


class ProductFilter(Schema):
    category: str | None = Field(
        None, description="A category id or slug; its subcategories are included."
    )
    segment: str | None = Field(None, description="A buyer segment slug.")
    q: str = Field(
        "",
        max_length=200,
        description=(
            "Words to search for, ranked as on the site's search page; "
            "text in double quotes is a phrase. English words of the term list find "
            "their Indonesian equivalents (bread: roti)."
        ),
    )
    # Facets, as on the listing pages (shop.apps.search.facets); /products/facets/ counts them.
    lapas: str | None = Field(None, max_length=128, description="A Lapas code.")
    province: str | None = Field(None, max_length=64, description="The Lapas's province.")
    price: PriceBand | None = Field(None, description="A price band in rupiah, e.g. 0-50000.")
    halal: bool = Field(False, description="Only halal-certified products.")
    food: bool | None = Field(None, description="true: food only; false: everything else.")
    in_stock: bool = Field(False, description="Only products that can be bought now.")

    def facet_filters(self) -> search_facets.Filters:
        return search_facets.Filters(
            segment=self.segment or None,
            lapas=self.lapas or None,
            province=self.province or None,
            price=self.price,
            halal=self.halal,
            food=self.food,
            in_stock=self.in_stock,
        )


def _category(value: str | None):
    if not value:
        return None
    category_id = parse_id(value)
    lookup = {"pk": category_id} if category_id is not None else {"slug": value}
    # An unknown category matches no product rather than being ignored.
    return Category.objects.filter(**lookup).order_by("depth", "path").first() or False


@router.get("/products/", response=list[ProductOut], summary="List published products")
@paginate(BoundedPageNumberPagination, page_size=PAGE_SIZE, max_page_size=100)
def product_list(request, filters: Query[ProductFilter]):
    category = _category(filters.category)
    if category is False:
        return Product.objects.none()
    return selectors.product_list_for_api(
        category=category,
        query=filters.q,
        filters=filters.facet_filters(),
    )


class FacetValueOut(Schema):
    value: str = Field(..., description="The parameter's value that chooses it.")
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str = Field(..., description="The query parameter: lapas, province, price, …")
    label: str
    values: list[FacetValueOut]


class FacetsOut(Schema):
    count: int = Field(..., description="Products matching the query and every facet given.")
    query: str = Field(..., description="What was searched (the correction, if any).")
    suggestion: str | None = Field(None, description="“Did you mean”, when few matched.")
    corrected_from: str | None = Field(
        None,
        description="The words asked for, when nothing matched them and the count is "
        "for the suggestion.",
    )
    facets: list[FacetOut]


@router.get("/products/facets/", response=FacetsOut, summary="Facet counts of a product search")
def product_facets(request, filters: Query[ProductFilter]):
    category = _category(filters.category)
    if category is False:
        return {"count": 0, "query": filters.q, "facets": []}
    result = selectors.product_search(
        query=filters.q, category=category, filters=filters.facet_filters()
    )
    return {
        "count": result.total,
        "query": result.query,
        "suggestion": result.suggestion,
        "corrected_from": result.corrected_from,
        "facets": [
            {
                "name": facet.name,
                "label": str(facet.label),
                "values": [
                    {
                        "value": v.key,
                        "label": str(v.label),
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in facet.values
                ],
            }
            for facet in result.facets.facets
        ],
    }


@router.get("/products/{product_id}/", response=ProductOut, summary="One published product")
def product_detail(request, product_id: Id):
    return get_object_or_404(selectors.product_list_for_api(), pk=product_id)


@router.get("/segments/", response=list[SegmentOut], summary="Buyer segments")
def segment_list(request):
    return list(selectors.segment_list())
