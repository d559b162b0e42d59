"""The batch lifecycle: planned → produced → QC passed or failed → released → sold out,
or recalled. Each step is one service; a step out of order is refused with a message."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Batch, BatchStock
from ..selectors import batch_allocations, today, user_may_manage_lapas
from .stock import stock_location_warehouse, stockrecord_sync

S = Batch.Status


class BatchError(ValidationError):
    """A batch step that is not allowed now; the message says why and what to do."""


def _status_label(status):
    return str(S(status).label)


def _require_status(batch, allowed, action):
    if batch.status not in allowed:
        raise BatchError(
            _("Batch %(code)s is %(status)s; it cannot be %(action)s now.")
            % {"code": batch.code, "status": _status_label(batch.status), "action": action}
        )


def _require_member(user, lapas):
    if not user_may_manage_lapas(user=user, lapas=lapas):
        raise PermissionDenied(_("You may only manage batches of your own Lapas."))


def product_requires_expiry(product) -> bool:
    # Food must carry an expiry date; the catalogue marks food product classes.
    return bool(getattr(product.get_product_class(), "is_food", False))


# Bounds of a batch's plan, for every way in (dashboard form, CSV import, API). A workshop
# run of more units than this is a typing mistake; the database column holds 2^31 - 1.
MAX_PLANNED_QUANTITY = 1_000_000
# A batch recorded this long after it was made is a mistake (0001-01-01 was accepted once).
MAX_PRODUCTION_AGE_DAYS = 10 * 365
# How long after production a batch may expire, by kind: food keeps at most three years;
# other goods (soap, crafts) carry an expiry date at most ten years out.
MAX_SHELF_LIFE_DAYS = {"food": 3 * 366, "other": 10 * 366}


def _production_date_errors(production_date: date) -> dict:
    if production_date > today():
        return {"production_date": _("The production date cannot be in the future.")}
    if (today() - production_date).days > MAX_PRODUCTION_AGE_DAYS:
        return {
            "production_date": _("The production date cannot be more than %(years)d years ago.")
            % {"years": MAX_PRODUCTION_AGE_DAYS // 365}
        }
    return {}


def _date_errors(product, production_date: date, expiry_date: date | None) -> dict:
    if expiry_date and expiry_date < production_date:
        return {"expiry_date": _("The expiry date cannot be before the production date.")}
    kind = "food" if product_requires_expiry(product) else "other"
    if expiry_date and (expiry_date - production_date).days > MAX_SHELF_LIFE_DAYS[kind]:
        return {
            "expiry_date": _(
                "The expiry date is too far away: at most %(years)d years after production."
            )
            % {"years": MAX_SHELF_LIFE_DAYS[kind] // 366}
        }
    if product_requires_expiry(product) and not expiry_date:
        return {"expiry_date": _("Food needs an expiry date.")}
    return {}


def _plan_errors(product, planned_quantity, production_date, expiry_date) -> dict:
    errors = _production_date_errors(production_date) or _date_errors(
        product, production_date, expiry_date
    )
    if not planned_quantity or planned_quantity < 1:
        errors["planned_quantity"] = _("Plan at least one unit.")
    elif planned_quantity > MAX_PLANNED_QUANTITY:
        errors["planned_quantity"] = _("Plan at most %(max)s units in one batch.") % {
            "max": f"{MAX_PLANNED_QUANTITY:,}".replace(",", ".")
        }
    return errors


def _batch_code(*, workshop, production_date: date) -> str:
    lapas_code = workshop.lapas.short_code or "KRY"
    workshop_code = workshop.code or "BK"
    prefix = f"{lapas_code}-{workshop_code}-{production_date:%y%m%d}-"
    taken = Batch.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:02d}"


def _locked(batch_id: int) -> Batch:
    return (
        # NO KEY: see batch_mark_sold_out_if_empty; the key never changes.
        Batch.objects.select_for_update(of=("self",), no_key=True)
        .select_related("workshop__lapas", "product")
        .get(pk=batch_id)
    )


def batch_create(
    *,
    product,
    workshop,
    planned_quantity: int,
    production_date: date,
    expiry_date: date | None = None,
    notes: str = "",
    user,
) -> Batch:
    """Plan a batch. Its human-readable code is LAPAS-WORKSHOP-YYMMDD-NN."""
    _require_member(user, workshop.lapas)
    errors = {}
    made_here = (
        product.workshop.lapas_id == workshop.lapas_id
        if product.workshop_id
        else product.stockrecords.filter(partner_id=workshop.lapas_id).exists()
    )
    if not made_here:
        errors["workshop"] = _("This product is made by another Lapas.")
    errors.update(_plan_errors(product, planned_quantity, production_date, expiry_date))
    if errors:
        raise BatchError(errors)
    # Two staff creating a batch of the same workshop on the same day may pick the same
    # number; the unique code makes one of them retry with the next.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Batch.objects.create(
                    code=_batch_code(workshop=workshop, production_date=production_date),
                    product=product,
                    workshop=workshop,
                    planned_quantity=planned_quantity,
                    production_date=production_date,
                    expiry_date=expiry_date,
                    notes=notes,
                    created_by=user,
                )
        except IntegrityError:
            continue
    raise BatchError(_("Could not give the batch a unique code; please try again."))


@transaction.atomic
def batch_update_plan(
    *,
    batch_id: int,
    planned_quantity: int,
    production_date: date,
    expiry_date: date | None = None,
    notes: str = "",
    user,
) -> Batch:
    """Correct a batch that is still only planned. Its code follows a new production date,
    which is safe because nothing has been produced or labelled under it yet."""
    batch = _locked(batch_id)
    _require_member(user, batch.lapas)
    _require_status(batch, {S.PLANNED}, _("changed (only a planned batch can be)"))
    errors = _plan_errors(batch.product, planned_quantity, production_date, expiry_date)
    if errors:
        raise BatchError(errors)
    if production_date != batch.production_date:
        batch.code = _batch_code(workshop=batch.workshop, production_date=production_date)
    batch.planned_quantity = planned_quantity
    batch.production_date = production_date
    batch.expiry_date = expiry_date
    batch.notes = notes
    batch.save()
    return batch


@transaction.atomic
def batch_record_production(
    *,
    batch_id: int,
    produced_quantity: int,
    materials_cost: Decimal | None = None,
    labor_hours: Decimal | None = None,
    head_count: int | None = None,
    expiry_date: date | None = None,
    user,
) -> Batch:
    batch = _locked(batch_id)
    _require_member(user, batch.lapas)
    _require_status(batch, {S.PLANNED, S.PRODUCED}, _("recorded as produced"))
    # A batch made to order waits for its deposit (production_link.commissions).
    from ..commissions.services.made_to_order import commission_before_production

    commission_before_production(batch=batch)
    errors = {}
    if produced_quantity is None or produced_quantity < 1:
        errors["produced_quantity"] = _("Enter how many units were produced (at least one).")
    elif produced_quantity > MAX_PLANNED_QUANTITY:
        errors["produced_quantity"] = _("At most %(max)s units in one batch.") % {
            "max": f"{MAX_PLANNED_QUANTITY:,}".replace(",", ".")
        }
    if materials_cost is not None and materials_cost < 0:
        errors["materials_cost"] = _("The materials cost cannot be negative.")
    if labor_hours is not None and labor_hours < 0:
        errors["labor_hours"] = _("Labour hours cannot be negative.")
    expiry = expiry_date or batch.expiry_date
    errors.update(_date_errors(batch.product, batch.production_date, expiry))
    if errors:
        raise BatchError(errors)
    batch.produced_quantity = produced_quantity
    batch.materials_cost = materials_cost
    batch.labor_hours = labor_hours
    batch.head_count = head_count
    batch.expiry_date = expiry
    batch.status = S.PRODUCED
    batch.produced_by = user
    batch.save()
    return batch


def batch_record_qc(
    *,
    batch_id: int,
    user,
    checklist: dict | None = None,
    measurements: dict | None = None,
    passed: bool | None = None,
    notes: str = "",
    sni_reference: str = "",
    evidence=(),
) -> Batch:
    """Inspect a produced batch against its product's QC checklist (``checklist``: item
    code → ticked; ``measurements``: item code → value); see production_link.qc."""
    from ..qc.services import batch_inspect

    inspection = batch_inspect(
        batch_id=batch_id,
        user=user,
        checks=checklist,
        measurements=measurements,
        passed=passed,
        notes=notes,
        sni_reference=sni_reference,
        evidence=evidence,
    )
    return inspection.batch


@transaction.atomic
def batch_release(*, batch_id: int, user) -> Batch:
    """Put a batch that passed QC on sale: its units go to the Lapas warehouse."""
    batch = _locked(batch_id)
    _require_member(user, batch.lapas)
    _require_status(batch, {S.QC_PASSED}, _("released (it must pass quality control first)"))
    if batch.expiry_date and batch.expiry_date < today():
        raise BatchError(
            _("Batch %(code)s has expired and cannot be released.") % {"code": batch.code}
        )
    warehouse = stock_location_warehouse(lapas=batch.lapas)
    stock, _created = BatchStock.objects.select_for_update().get_or_create(
        batch=batch, location=warehouse
    )
    BatchStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + batch.produced_quantity)
    batch.status = S.RELEASED
    batch.released_at = timezone.now()
    batch.save()
    # A batch made to order gives its units to the commission's order line first, under
    # the locks taken above, before any other buyer can see them (production_link.commissions).
    from ..commissions.services.made_to_order import commission_allocate_on_release

    if commission_allocate_on_release(batch=batch, warehouse=warehouse):
        batch.refresh_from_db()
    stockrecord_sync(product_id=batch.product_id)
    return batch


@transaction.atomic
def batch_recall(*, batch_id: int, reason: str, user, public_notice: str = "") -> list:
    """Withdraw a batch everywhere at once and tell its buyers.

    Units stay recorded where they were (the batch page shows them) but are no longer
    sellable anywhere. Returns the allocations (order lines and POS sales) it affects.
    The reason stays internal; the public notice is what the trace page, the API and the
    buyers' e-mail show (without one they say only that the batch is recalled).
    """
    batch = _locked(batch_id)
    if not (user.is_superuser or user.has_perm("production_link.recall_batch")):
        raise PermissionDenied(
            _("Only the head of the Lapas or a central admin may recall a batch.")
        )
    _require_member(user, batch.lapas)
    _require_status(batch, {S.PRODUCED, S.QC_PASSED, S.RELEASED, S.SOLD_OUT}, _("recalled"))
    if not reason.strip():
        raise BatchError({"recall_reason": _("Give the reason for the recall.")})
    batch.status = S.RECALLED
    batch.recalled_at = timezone.now()
    batch.recalled_by = user
    batch.recall_reason = reason.strip()
    batch.public_recall_notice = public_notice.strip()
    batch.save()
    stockrecord_sync(product_id=batch.product_id)

    from ..tasks import recall_notify_buyers

    transaction.on_commit(lambda: recall_notify_buyers.delay(batch.pk))
    return list(batch_allocations(batch=batch))


def batch_mark_sold_out_if_empty(*, batch_id: int) -> None:
    """Released batches with no unit left anywhere are sold out; restocked ones come back.

    The row is locked FOR NO KEY UPDATE (its status changes, never its key): a plain FOR
    UPDATE would block the foreign-key check another placement makes at its COMMIT on
    the allocations it inserted for this batch, while this one waits for that placement's
    stock record lock: a deadlock (seen in the race of split checkouts and tills)."""
    batch = Batch.objects.select_for_update(no_key=True).get(pk=batch_id)
    units = sum(batch.stock.values_list("quantity", flat=True))
    if batch.status == S.RELEASED and units == 0:
        batch.status = S.SOLD_OUT
        batch.save(update_fields=["status", "updated_at"])
    elif batch.status == S.SOLD_OUT and units > 0:
        batch.status = S.RELEASED
        batch.save(update_fields=["status", "updated_at"])
