"""Production API: the public trace of a batch, and batches for workshop staff.

Batches are scoped like the dashboard: staff see and plan batches of their own Lapas only.
Who may call each operation is the permission policy's (shop.apps.core.policy, applied to
every operation in shop/api.py).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from . import selectors, services
from .inputs import BoundedPageNumberPagination, Id, invalid_input
from .services.batches import MAX_PLANNED_QUANTITY

router = Router(tags=["production"])


class TraceOut(Schema):
    code: str
    product: str
    product_url: str
    workshop: str
    field_of_work: str
    lapas: str
    production_date: date
    expiry_date: date | None
    qc_passed: bool | None
    qc_date: datetime | None
    sni_reference: str
    recalled: bool
    recalled_at: datetime | None
    # The notice written for the public; the internal recall reason never leaves.
    recall_notice: str


class BatchOut(Schema):
    id: int
    code: str
    status: str
    product_id: int
    product: str
    workshop_id: int
    workshop: str
    lapas: str
    planned_quantity: int
    produced_quantity: int | None
    production_date: date
    expiry_date: date | None
    head_count: int | None
    labor_hours: float | None
    qc_passed: bool | None
    units_by_location: dict[str, int]


class BatchIn(Schema):
    product_id: Id
    workshop_id: Id
    planned_quantity: int = Field(..., ge=1, le=MAX_PLANNED_QUANTITY)
    # Not in the future, expiry after it and within the product kind's limit: the service
    # checks those (its message names the field), as for the dashboard and the CSV import.
    production_date: date
    expiry_date: date | None = None
    notes: str = Field("", max_length=2000)


def _trace(batch) -> dict:
    return {
        "code": batch.code,
        "product": batch.product.get_title(),
        "product_url": batch.product.get_absolute_url(),
        "workshop": batch.workshop.name,
        "field_of_work": batch.workshop.field_of_work.name,
        "lapas": batch.workshop.lapas.name,
        "production_date": batch.production_date,
        "expiry_date": batch.expiry_date,
        "qc_passed": batch.qc_passed,
        "qc_date": batch.qc_at,
        "sni_reference": batch.qc_sni_reference,
        "recalled": batch.is_recalled,
        "recalled_at": batch.recalled_at,
        "recall_notice": batch.public_recall_notice,
    }


def _batch(batch) -> dict:
    return {
        "id": batch.pk,
        "code": batch.code,
        "status": batch.status,
        "product_id": batch.product_id,
        "product": batch.product.get_title(),
        "workshop_id": batch.workshop_id,
        "workshop": batch.workshop.name,
        "lapas": batch.workshop.lapas.name,
        "planned_quantity": batch.planned_quantity,
        "produced_quantity": batch.produced_quantity,
        "production_date": batch.production_date,
        "expiry_date": batch.expiry_date,
        "head_count": batch.head_count,
        "labor_hours": float(batch.labor_hours) if batch.labor_hours is not None else None,
        "qc_passed": batch.qc_passed,
        "units_by_location": {s.location.name: s.quantity for s in batch.stock.all()},
    }


@router.get("/trace/{code}", response=TraceOut, summary="Public trace of a batch")
def trace(request, code: str):
    batch = selectors.batch_public(code=code.strip().upper())
    if batch is None:
        raise HttpError(404, "No batch has this code.")
    return _trace(batch)


@router.get("/batches", response=list[BatchOut], summary="Batches of my Lapas")
@paginate(BoundedPageNumberPagination, page_size=50)
def batch_list(request, status: str = ""):
    batches = selectors.batches_for_user(request.user).prefetch_related("stock__location")
    if status:
        batches = batches.filter(status=status)
    return [_batch(b) for b in batches.order_by("-production_date", "-pk")]


@router.get("/batches/{batch_id}", response=BatchOut, summary="One batch")
def batch_detail(request, batch_id: Id):
    batch = get_object_or_404(
        selectors.batches_for_user(request.user).prefetch_related("stock__location"), pk=batch_id
    )
    return _batch(batch)


@router.post("/batches", response={201: BatchOut}, summary="Plan a batch")
def batch_create(request, payload: BatchIn):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    workshop = get_object_or_404(selectors.workshops_for_user(request.user), pk=payload.workshop_id)
    product = get_object_or_404(Product, pk=payload.product_id)
    try:
        batch = services.batch_create(
            product=product,
            workshop=workshop,
            planned_quantity=payload.planned_quantity,
            production_date=payload.production_date,
            expiry_date=payload.expiry_date,
            notes=payload.notes,
            user=request.user,
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except ValidationError as error:
        raise invalid_input(error) from error
    return Status(201, _batch(batch))
