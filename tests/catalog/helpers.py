"""Label facts and product builders shared by the catalogue tests."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.factories import ProductClassFactory, ProductFactory

COMPLETE_FOOD_LABEL = {
    "label_name": "Roti Sobek Cokelat",
    "ingredients": "Tepung terigu, cokelat, gula, telur, mentega, ragi, garam.",
    "allergens": "Gandum (gluten), telur, susu",
    "storage_instructions": "Simpan di tempat sejuk dan kering.",
    "shelf_life_days": 4,
    "licence_type": "pirt",
    "licence_number": "2063671010001-29",
    "net_quantity": Decimal("450"),
    "net_quantity_unit": "g",
    "gross_weight_grams": 500,
    "packaging_type": "bag",
    "packaging_material": "Plastik PP food grade",
}
HALAL = {"halal_claimed": True, "halal_certificate_number": "ID36110000123450324"}

COMPLETE_GOODS_LABEL = {
    "ingredients": "Kayu jati, pernis.",
    "net_quantity": Decimal("1"),
    "net_quantity_unit": "pcs",
    "gross_weight_grams": 7600,
    "packaging_type": "wrap",
    "packaging_material": "Plastik stretch",
}


def food_class():
    return ProductClassFactory(name="Pangan", is_food=True)


def service_class():
    return ProductClassFactory(name="Jasa", requires_shipping=False, track_stock=False)


def halal_until(days: int) -> dict:
    return {**HALAL, "halal_certificate_expiry": timezone.localdate() + timedelta(days=days)}


def food_product(**kwargs):
    values = {
        "product_class": food_class(),
        **COMPLETE_FOOD_LABEL,
        **halal_until(365),
        **kwargs,
    }
    return ProductFactory(**values)


def goods_product(**kwargs):
    return ProductFactory(**{**COMPLETE_GOODS_LABEL, **kwargs})


def today() -> date:
    return timezone.localdate()
