import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model

from production_link.models import Batch, BatchStock, StockLocation
from production_link.qc.specs import passing_findings
from production_link.services import (
    BatchError,
    batch_create,
    batch_record_production,
    batch_record_qc,
    batch_release,
)

StockRecord = get_model("partner", "StockRecord")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def make_released(bread, workshop, user, quantity=12, day=None, expiry=None):
    day = day or datetime.date.today()
    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=quantity,
        production_date=day,
        expiry_date=expiry,
        user=user,
    )
    batch_record_production(
        batch_id=batch.pk,
        produced_quantity=quantity,
        materials_cost=120000,
        labor_hours=16,
        head_count=4,
        user=user,
    )
    # A second pair of eyes: the inspector is not the one who recorded production.
    checks, measures = passing_findings(bread)
    batch_record_qc(
        batch_id=batch.pk,
        passed=True,
        checklist=checks,
        measurements=measures,
        user=inspector_of(workshop.lapas),
    )
    return batch_release(batch_id=batch.pk, user=user)


def inspector_of(lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    user = lapas.users.filter(username__startswith="pemeriksa").first()
    return user or user_assign_role(
        user=UserFactory(username=f"pemeriksa.{lapas.pk}"), role_code="workshop_staff", lapas=lapas
    )


def test_batch_codes_are_readable_and_unique_per_day(bread, workshop, workshop_staff, day):
    first = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=10,
        production_date=day,
        user=workshop_staff,
    )
    second = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=5,
        production_date=day,
        user=workshop_staff,
    )

    assert first.code == "TNG-ROTI-261120-01"
    assert second.code == "TNG-ROTI-261120-02"
    assert first.status == Batch.Status.PLANNED


def test_release_puts_units_in_the_lapas_warehouse_and_on_sale(bread, workshop, workshop_staff):
    batch = make_released(bread, workshop, workshop_staff, quantity=12)

    warehouse = StockLocation.objects.get(lapas=workshop.lapas, kind="warehouse")
    assert batch.status == Batch.Status.RELEASED
    assert BatchStock.objects.get(batch=batch, location=warehouse).quantity == 12
    assert StockRecord.objects.get(product=bread).num_in_stock == 12


def test_a_batch_cannot_be_released_before_passing_qc(bread, workshop, workshop_staff, day):
    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=10,
        production_date=day,
        user=workshop_staff,
    )

    with pytest.raises(BatchError) as error:
        batch_release(batch_id=batch.pk, user=workshop_staff)

    assert "cannot be released" in str(error.value)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.PLANNED
    assert not BatchStock.objects.exists()


def test_a_failed_batch_needs_a_reason_and_is_never_sellable(bread, workshop, workshop_staff, day):
    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=10,
        production_date=day,
        user=workshop_staff,
    )
    batch_record_production(batch_id=batch.pk, produced_quantity=10, user=workshop_staff)

    # Every item in order, yet failed: the notes must say why.
    checks, measures = passing_findings(bread)
    inspector = inspector_of(workshop.lapas)
    with pytest.raises(BatchError):
        batch_record_qc(
            batch_id=batch.pk, passed=False, checklist=checks, measurements=measures, user=inspector
        )
    batch_record_qc(
        batch_id=batch.pk,
        passed=False,
        checklist=checks,
        measurements=measures,
        notes="Gosong",
        user=inspector,
    )
    with pytest.raises(BatchError):
        batch_release(batch_id=batch.pk, user=workshop_staff)

    batch.refresh_from_db()
    assert batch.status == Batch.Status.QC_FAILED
    assert batch.qc_inspector == inspector_of(workshop.lapas)


def test_bad_quantities_and_dates_are_refused_naming_the_field(
    bread, workshop, workshop_staff, day
):
    with pytest.raises(BatchError) as error:
        batch_create(
            product=bread,
            workshop=workshop,
            planned_quantity=0,
            production_date=day,
            expiry_date=day - datetime.timedelta(days=1),
            user=workshop_staff,
        )

    assert set(error.value.message_dict) == {"planned_quantity", "expiry_date"}
    assert not Batch.objects.exists()


def test_staff_of_another_lapas_cannot_touch_the_batches(
    bread, workshop, workshop_staff, other_workshop_staff, day
):
    with pytest.raises(PermissionDenied):
        batch_create(
            product=bread,
            workshop=workshop,
            planned_quantity=10,
            production_date=day,
            user=other_workshop_staff,
        )
    batch = batch_create(
        product=bread,
        workshop=workshop,
        planned_quantity=10,
        production_date=day,
        user=workshop_staff,
    )
    with pytest.raises(PermissionDenied):
        batch_record_production(batch_id=batch.pk, produced_quantity=10, user=other_workshop_staff)


def test_a_batch_records_head_count_and_hours_never_names():
    field_names = {f.name for f in Batch._meta.get_fields()}

    assert {"head_count", "labor_hours"} <= field_names
    assert not {n for n in field_names if "inmate" in n or "narapidana" in n or "wbp" in n}


def test_recent_batches_feed_the_products_cost_basis(client, bread, workshop, workshop_staff):
    from production_link.selectors import product_batch_cost_basis

    make_released(bread, workshop, workshop_staff, quantity=12)  # 120000 Rp, 16 h
    make_released(bread, workshop, workshop_staff, quantity=8)  # 120000 Rp, 16 h

    basis = product_batch_cost_basis(product=bread)

    assert basis == {
        "batches": 2,
        "materials_per_unit": Decimal("12000"),
        "labour_hours_per_unit": Decimal("1.60"),
    }
    client.force_login(workshop_staff)
    page = client.get(f"/dashboard/catalogue/products/{bread.pk}/").content.decode()
    assert "batch-cost-basis" in page and "Rp12.000" in page
