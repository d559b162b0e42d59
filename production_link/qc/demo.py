"""Demo of quality control and licence dates (loaded by production_link.demo): a QC
inspector who is not the person recording production, one batch that failed QC item by
item (awaiting rework or write-off), and a licence expiring soon. Safe to run again."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.core.services import user_assign_role

from ..models import Batch, Workshop
from ..services import batch_create, batch_record_production
from . import specs
from .services import batch_inspect

Product = get_model("catalogue", "Product")
INSPECTOR = "pemeriksa.mutu"
FAILED_QC_UPC = "KRY-TNG-0001"  # Roti Tawar Gandum
EXPIRING_UPC = "KRY-NKT-0010"  # Madu Lebah Kebun Kopi (BPOM MD)
EXPIRING_IN_DAYS = 25


def qc_inspector_demo(*, lapas_list) -> object:
    """The demo's QC inspector: a member of every demo Lapas's workshop staff, without a
    password (nobody logs in as them); the demo's batches are inspected by them."""
    user, created = get_user_model().objects.get_or_create(
        username=INSPECTOR, defaults={"first_name": "Pemeriksa", "last_name": "Mutu"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    for lapas in lapas_list:
        if not lapas.users.filter(pk=user.pk).exists():
            user_assign_role(user=user, role_code="workshop_staff", lapas=lapas)
    return user


def inspector_for_demo():
    lapas_list = {w.lapas for w in Workshop.objects.select_related("lapas")}
    return qc_inspector_demo(lapas_list=sorted(lapas_list, key=lambda lapas: lapas.pk))


def failed_batch_demo(*, user, inspector) -> Batch | None:
    """A batch of bread that failed QC: the packaging unticked and the net weight short."""
    product = Product.objects.filter(upc=FAILED_QC_UPC).select_related("workshop").first()
    if product is None or product.batches.filter(inspections__passed=False).exists():
        return None
    made = timezone.localdate() - datetime.timedelta(days=1)
    batch = batch_create(
        product=product,
        workshop=product.workshop,
        planned_quantity=30,
        production_date=made,
        expiry_date=made + datetime.timedelta(days=5),
        user=user,
    )
    batch_record_production(
        batch_id=batch.pk, produced_quantity=30, materials_cost=Decimal("240000"), user=user
    )
    checks, measurements = specs.passing_findings(product)
    checks["kemasan"] = False
    measurements["berat-bersih"] = Decimal("-6")
    batch_inspect(
        batch_id=batch.pk,
        user=inspector,
        checks=checks,
        measurements=measurements,
        notes="Sebagian kantong plastik bocor; timbangan dikalibrasi ulang.",
    )
    return batch


def expiring_licence_demo() -> None:
    """The honey's BPOM registration expires in 25 days: the daily sweep warns its Lapas
    (60 and 30 days ahead) and withdraws it on the day, unless renewed."""
    expires = timezone.localdate() + datetime.timedelta(days=EXPIRING_IN_DAYS)
    Product.objects.filter(upc=EXPIRING_UPC).update(licence_expires_on=expires)
