"""Demo production data: workshop codes, warehouses and released batches behind the stock.

Called by shop/apps/core/demo.py after the products and users exist. Idempotent: a product
gets a new batch only when it has nothing left to sell (e.g. its demo bread expired).
Batches are inspected by a QC inspector who did not record their production; one batch
fails QC and a licence expires soon (production_link.qc.demo).
"""

import datetime
import re
from decimal import Decimal

from django.utils import timezone

from .models import Batch, Workshop
from .qc.demo import expiring_licence_demo, failed_batch_demo, inspector_for_demo
from .qc.services import qc_checklists_load
from .qc.specs import passing_findings
from .selectors import sellable_online_units
from .services import (
    batch_create,
    batch_record_production,
    batch_record_qc,
    batch_release,
    stock_location_warehouse,
    stockrecord_sync,
)

WORKSHOP_CODES = {
    "Bengkel Roti": "ROTI",
    "Bengkel Konveksi": "KONV",
    "Bengkel Cuci Kendaraan": "CUCI",
    "Bengkel Batik": "BATIK",
    "Bengkel Kerajinan Kayu": "KAYU",
    "Dapur Jasa Boga": "BOGA",
    "Bengkel Mebel": "MEBEL",
    "Laundry": "LNDRY",
    "Bengkel Perawatan Mebel": "RAWAT",
    "Dapur Kue dan Camilan": "KUE",
    "Bengkel Anyaman": "ANYAM",
    "Bengkel Keramik": "KRMK",
    "Kebun Sayur dan Sawah": "KEBUN",
    "Kebun Kopi": "KOPI",
    "Kolam Ikan dan Kandang Ayam": "KOLAM",
}

# Shelf life in days by a word of the title, for demo food; other food keeps 90 days.
SHELF_LIFE = (("roti", 5), ("ikan", 3), ("sayur", 4), ("cabai", 7), ("telur", 14), ("kue", 30))


def _workshop_code(name: str) -> str:
    if name in WORKSHOP_CODES:
        return WORKSHOP_CODES[name]
    letters = re.sub(r"[^A-Z]", "", name.split()[-1].upper())
    return (letters or "BK")[:5].ljust(2, "X")


def _shelf_life(title: str) -> int:
    lowered = title.lower()
    return next((days for word, days in SHELF_LIFE if word in lowered), 90)


def _is_food(product) -> bool:
    product_class = product.get_product_class()
    return bool(getattr(product_class, "is_food", False)) or product_class.slug == "pangan"


def _released(*, product, quantity, made, user, materials_per_unit):
    expiry = (
        made + datetime.timedelta(days=_shelf_life(product.title)) if _is_food(product) else None
    )
    batch = batch_create(
        product=product,
        workshop=product.workshop,
        planned_quantity=quantity,
        production_date=made,
        expiry_date=expiry,
        user=user,
    )
    batch_record_production(
        batch_id=batch.pk,
        produced_quantity=quantity,
        materials_cost=materials_per_unit * quantity,
        labor_hours=Decimal(quantity) / 4,
        head_count=min(12, 2 + quantity // 20),
        user=user,
    )
    # A second pair of eyes: the demo inspector passes it, every item in order.
    checks, measurements = passing_findings(product)
    batch_record_qc(
        batch_id=batch.pk,
        passed=True,
        checklist=checks,
        measurements=measurements,
        sni_reference="",
        user=inspector_for_demo(),
    )
    return batch_release(batch_id=batch.pk, user=user)


def production_demo_load(*, products: dict, stock: dict[str, int], user) -> None:
    qc_checklists_load()  # the kinds' QC checklists, from production_link/qc/checklists.yaml
    for workshop in Workshop.objects.filter(code=""):
        workshop.code = _workshop_code(workshop.name)
        workshop.save(update_fields=["code"])
    today = timezone.localdate()
    for upc, quantity in stock.items():
        product = products[upc]
        product.workshop.refresh_from_db(fields=["code"])  # codes may have just been set
        if not quantity or not product.get_product_class().track_stock:
            continue
        lapas = product.workshop.lapas
        stock_location_warehouse(lapas=lapas)
        if sellable_online_units(product=product, lapas=lapas) > 0:
            continue
        price = product.stockrecords.first().price or Decimal("0")
        materials = (price * Decimal("0.35")).quantize(Decimal("1"))
        if _is_food(product) and quantity >= 10 and not product.batches.exists():
            # Food gets an older batch too, so FEFO has something to choose from.
            older = quantity // 3
            _released(
                product=product,
                quantity=older,
                made=today - datetime.timedelta(days=2),
                user=user,
                materials_per_unit=materials,
            )
            quantity -= older
        _released(
            product=product,
            quantity=quantity,
            made=today - datetime.timedelta(days=1),
            user=user,
            materials_per_unit=materials,
        )
    for product in products.values():
        stockrecord_sync(product_id=product.pk)
    failed_batch_demo(user=user, inspector=inspector_for_demo())
    expiring_licence_demo()


def production_demo_counts() -> dict[str, int]:
    return {"batches": Batch.objects.count()}
