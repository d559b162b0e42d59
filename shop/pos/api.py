"""Point-of-sale API for the cashier's device, at /api/v1/pos/ (session login + CSRF, as
the rest of the API). Thin: each endpoint calls one selector or service.

Errors come as {"detail": "<message in the user's language>", "code": "<machine code>"}.
A cashier sees and sells only at the locations they are assigned to; anyone else is
refused with 403 (not a cashier) or 404 (not their location or session).
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from pydantic import PlainValidator
from pydantic import ValidationError as PydanticValidationError

from production_link.inputs import Id
from shop.api_errors import ErrorOut, FieldErrorOut, validation_messages
from shop.apps.order.placement import StockBusy

from . import selectors, services
from .models import PosSession

router = Router(tags=["point of sale"])

# Bounds of what a device may send: far above any real sale, within what the columns hold.
MAX_RUPIAH = 10**12
MAX_LINE_QUANTITY = 10_000
MAX_SALE_LINES = 500
MAX_SYNC_SALES = 1000


def _error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


def _from(error: services.PosError) -> JsonResponse:
    return _error(error.status, error.message, error.code)


def _refuse_non_cashier(request) -> JsonResponse | None:
    if selectors.user_is_cashier(request.user):
        return None
    return _error(403, _("Only cashiers may use the point of sale."), "not_a_cashier")


# --- schemas (documentation of the shapes; see /tmp contract in the README) ------------


class LapasRef(Schema):
    id: int
    name: str
    short_code: str


class OpenSessionOut(Schema):
    id: int
    opened_at: datetime
    opening_float: str


class LocationOut(Schema):
    id: int
    name: str
    kind: str
    venue: str
    city: str
    starts_on: date | None
    ends_on: date | None
    lapas: LapasRef
    open_session: OpenSessionOut | None


class PosBatchOut(Schema):
    code: str
    barcode: str
    quantity: int
    expiry_date: date | None


class PosProductOut(Schema):
    id: int
    title: str
    sku: str
    upc: str
    price: str
    refusal: str = Field(
        "",
        description="Why the till must refuse this product (withdrawn from sale, a licence "
        "expired, a compliance fact missing), in the cashier's language; empty if it may "
        "be sold.",
    )
    stock_version: int = Field(
        0,
        description="The highest order line number that took units of this product at "
        "this location: a sale answered with a higher line number is not yet in these "
        "quantities.",
    )
    batches: list[PosBatchOut]


class LapasOut(Schema):
    id: int
    name: str
    short_code: str
    address: str
    satker_code: str
    phone: str


class CatalogueOut(Schema):
    location_id: int
    generated_at: datetime
    qris_image_url: str | None
    lapas: LapasOut
    products: list[PosProductOut]


class SessionIn(Schema):
    location_id: Id
    # Whole rupiah, as a string ("150000"); the service says what is wrong with it.
    opening_float: str = Field(..., max_length=20)


class SessionOut(Schema):
    id: int
    location_id: int
    opened_at: datetime
    opening_float: str


class SaleLineOut(Schema):
    line_id: int
    product_id: int | None
    title: str  # the product's name as sold, for a device whose catalogue lacks it
    quantity: int
    unit_price: str


class SessionSaleOut(Schema):
    uuid: str
    status: str
    order_number: str | None
    receipt_url: str | None
    total: str
    payment_method: str
    created_at: datetime
    # The order's lines with the units not yet given back, and the amount given back: any
    # device of the session can reprint and void the sale.
    lines: list[SaleLineOut]
    voided: str


class SessionDetailOut(SessionOut):
    closed_at: datetime | None
    sales_count: int
    expected: dict[str, str]
    # For reprinting a receipt from the session.
    sales: list[SessionSaleOut]


# Whole rupiah as the device sends them (a string "150000" or a number); the services
# check they are whole. The upper bound keeps them within the money columns.
Rupiah = Annotated[Decimal, Field(ge=0, le=MAX_RUPIAH)]


class PosSaleLineIn(Schema):
    product_id: Id
    batch_code: str | None = Field(None, max_length=64)
    quantity: int = Field(..., ge=1, le=MAX_LINE_QUANTITY)
    unit_price: Rupiah


class PosPaymentIn(Schema):
    method: Literal["cash", "qris", "card_terminal"]
    # Cash only: what the buyer handed over (the total if left out).
    tendered: Rupiah | None = None
    # QRIS or card: the bank's reference, if the cashier noted it.
    reference: str = Field("", max_length=128)


class PosSaleIn(Schema):
    uuid: UUID
    session_id: Id
    created_at: datetime
    lines: list[PosSaleLineIn] = Field(..., min_length=1, max_length=MAX_SALE_LINES)
    payment: PosPaymentIn
    # Made without a connection (card and QRIS are then checked by a supervisor).
    offline: bool = False


def _sales_list(value):
    # The envelope must be a list of at most MAX_SYNC_SALES; each sale is checked on its
    # own in the view, so one malformed sale is answered "rejected" and the others apply.
    if not isinstance(value, list):
        raise ValueError(_("send a list of sales."))
    if len(value) > MAX_SYNC_SALES:
        raise ValueError(_("at most %(max)d sales in one sync.") % {"max": MAX_SYNC_SALES})
    return value


class SyncIn(Schema):
    sales: Annotated[list[Any], PlainValidator(_sales_list, json_schema_input_type=list[PosSaleIn])]


class SaleResultOut(Schema):
    uuid: str | None
    status: str
    order_number: str | None
    receipt_url: str | None
    total: str | None
    change: str | None
    unverified: bool
    message: str
    # Only on "rejected": what was wrong (e.g. "invalid", "session_closed", "not_found").
    code: str | None = None
    # Only on a sale that failed validation: the first field at fault, and every problem.
    field: str | None = None
    errors: list[FieldErrorOut] = []
    lines: list[SaleLineOut] = []


class SyncOut(Schema):
    results: list[SaleResultOut]


class CloseIn(Schema):
    # Banknote or coin value → how many were counted.
    counted: dict[str, Annotated[int, Field(ge=0, le=MAX_LINE_QUANTITY * 100)]] = Field(
        ..., max_length=50
    )
    reason: str = Field("", max_length=2000)


class CloseOut(Schema):
    id: int
    expected: dict[str, str]
    counted_cash: str
    difference: str
    z_report_url: str
    z_report_pdf_url: str


class VoidLineIn(Schema):
    line_id: Id
    quantity: int = Field(..., ge=1, le=MAX_LINE_QUANTITY)


class VoidIn(Schema):
    pin: str = Field(..., max_length=32)
    reason: str = Field(..., max_length=2000)
    lines: list[VoidLineIn] | None = Field(None, max_length=MAX_SALE_LINES)
    # Optional: the same token is the same void, so a retried request voids once.
    token: str = Field("", max_length=64)


class VoidOut(Schema):
    order_number: str
    refund_id: int
    amount: str
    order_status: str
    supervisor: str


# --- endpoints --------------------------------------------------------------------------------


def _session_out(session: PosSession) -> dict:
    return {
        "id": session.pk,
        "location_id": session.location_id,
        "opened_at": session.opened_at,
        "opening_float": str(session.opening_float),
    }


def _location_out(location, user) -> dict:
    session = selectors.open_session(user=user, location=location)
    lapas = location.lapas
    return {
        "id": location.pk,
        "name": location.name,
        "kind": location.kind,
        "venue": location.venue,
        "city": location.city,
        "starts_on": location.starts_on,
        "ends_on": location.ends_on,
        "lapas": {"id": lapas.pk, "name": lapas.name, "short_code": lapas.short_code},
        "open_session": _session_out(session) if session else None,
    }


@router.get(
    "/pos/locations",
    response={200: list[LocationOut], 403: ErrorOut},
    summary="Locations this cashier sells at",
)
def location_list(request):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    locations = [
        loc
        for loc in selectors.locations_for_cashier(request.user)
        if selectors.location_open_for_sale(loc)
    ]
    return [_location_out(loc, request.user) for loc in locations]


def _cashier_location(request, location_id: int):
    return selectors.locations_for_cashier(request.user).filter(pk=location_id).first()


@router.get(
    "/pos/locations/{location_id}/catalogue",
    response={200: CatalogueOut, 403: ErrorOut, 404: ErrorOut},
    summary="The location's products, prices and batches, for selling offline",
)
def location_catalogue(request, location_id: Id):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    location = _cashier_location(request, location_id)
    if location is None:
        return _error(404, _("You do not sell at this location."), "not_found")
    lapas = location.lapas
    lapas_settings = selectors.lapas_settings(lapas=lapas)
    qris = None
    if lapas_settings and lapas_settings.qris_image:
        qris = request.build_absolute_uri(lapas_settings.qris_image.url)
    body = {
        "location_id": location.pk,
        "qris_image_url": qris,
        "lapas": {
            "id": lapas.pk,
            "name": lapas.name,
            "short_code": lapas.short_code,
            "address": selectors.lapas_address(lapas),
            "satker_code": lapas.satker_code or "",
            "phone": lapas.phone,
        },
        "products": [
            {**p, "price": str(Decimal(p["price"]).quantize(Decimal("1")))}
            for p in selectors.location_catalogue(location=location)
        ],
    }
    # The device asks again whenever it is online; an unchanged catalogue costs a 304.
    digest = hashlib.sha256(json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True).encode())
    etag = f'"{digest.hexdigest()[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse({**body, "generated_at": timezone.now()}, encoder=DjangoJSONEncoder)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@router.post(
    "/pos/sessions",
    response={201: SessionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: SessionOut},
    summary="Open a cash session (409 with the open one if there is one)",
)
def session_open(request, payload: SessionIn):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    location = _cashier_location(request, payload.location_id)
    if location is None:
        return _error(404, _("You do not sell at this location."), "not_found")
    try:
        session, created = services.session_open(
            user=request.user, location=location, opening_float=payload.opening_float
        )
    except services.PosError as error:
        return _from(error)
    if not created:
        return JsonResponse(
            {
                **_session_out(session),
                "detail": _("A session is already open here; continue it."),
                "code": "session_open",
            },
            status=409,
            encoder=DjangoJSONEncoder,
        )
    return JsonResponse(_session_out(session), status=201, encoder=DjangoJSONEncoder)


def _own_session(request, session_id: int) -> PosSession | None:
    return (
        selectors.sessions_visible_to(request.user)
        .filter(pk=session_id)
        .filter(cashier=request.user)
        .first()
    )


@router.get(
    "/pos/sessions/{session_id}",
    response={200: SessionDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A session with the money expected so far",
)
def session_detail(request, session_id: Id):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    session = _own_session(request, session_id)
    if session is None:
        return _error(404, _("No session of yours has this id."), "not_found")
    figures = selectors.session_figures(session)
    sale_lines = selectors.session_sale_lines(sales=figures["sales"])
    return {
        **_session_out(session),
        "closed_at": session.closed_at,
        "sales_count": figures["sales_count"],
        "expected": {m: str(v) for m, v in figures["expected"].items()},
        "sales": [
            {
                "uuid": str(sale.uuid),
                "status": sale.status,
                "order_number": sale.order.number if sale.order_id else None,
                "receipt_url": services.receipt_path(sale.order.number) if sale.order_id else None,
                "total": str(sale.total),
                "payment_method": sale.payment_method,
                "created_at": sale.created_at,
                "lines": sale_lines[sale.order_id]["lines"] if sale.order_id else [],
                "voided": str(sale_lines[sale.order_id]["voided"] if sale.order_id else 0),
            }
            for sale in figures["sales"]
        ],
    }


@router.post(
    "/pos/sales/sync",
    response={200: SyncOut, 403: ErrorOut, 503: ErrorOut},
    summary="Apply queued sales, each UUID once",
)
def sales_sync(request, payload: SyncIn):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    checked = [_checked_sale(raw) for raw in payload.sales]
    valid = [sale for sale in checked if not isinstance(sale, _Rejected)]
    try:
        applied = iter(services.sales_sync(user=request.user, sales=valid) if valid else [])
    except StockBusy as busy:
        # Stock stayed locked by other sales (lock timeout, retried once): nothing was
        # applied; the device keeps the sales queued and sends them again.
        return _error(503, str(busy), "busy")
    return {
        "results": [
            sale.result if isinstance(sale, _Rejected) else next(applied) for sale in checked
        ]
    }


class _Rejected:
    def __init__(self, result: dict):
        self.result = result


def _checked_sale(raw) -> dict | _Rejected:
    """One sale of a sync, validated: the data the services take (plain JSON, as the device
    sent it, which they also keep as the sale's payload), or its "rejected" answer naming
    the fields at fault."""
    try:
        sale = PosSaleIn.model_validate(raw)
    except PydanticValidationError as error:
        errors = validation_messages(error.errors())
        raw_uuid = raw.get("uuid") if isinstance(raw, dict) else None
        return _Rejected(
            {
                "uuid": None if raw_uuid is None else str(raw_uuid)[:64],
                "status": "rejected",
                "order_number": None,
                "receipt_url": None,
                "total": None,
                "change": None,
                "unverified": False,
                "message": "; ".join(
                    f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
                ),
                "code": "invalid",
                "field": errors[0]["field"] if errors else None,
                "errors": errors,
                "lines": [],
            }
        )
    return sale.model_dump(mode="json")


@router.post(
    "/pos/sessions/{session_id}/close",
    response={200: CloseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Close a session with the counted cash",
)
def session_close(request, session_id: Id, payload: CloseIn):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    session = _own_session(request, session_id)
    if session is None:
        return _error(404, _("No session of yours has this id."), "not_found")
    try:
        session = services.session_close(
            user=request.user, session=session, counted=payload.counted, reason=payload.reason
        )
    except services.PosError as error:
        return _from(error)
    return {
        "id": session.pk,
        "expected": session.expected,
        "counted_cash": str(session.counted_cash),
        "difference": str(session.difference),
        "z_report_url": reverse("pos_print:z-report", kwargs={"pk": session.pk}),
        "z_report_pdf_url": reverse("pos_print:z-report-pdf", kwargs={"pk": session.pk}),
    }


@router.post(
    "/pos/sales/{order_number}/void",
    response={200: VoidOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Void a sale or some lines (supervisor PIN)",
)
def sale_void(request, order_number: Annotated[str, Path(max_length=64)], payload: VoidIn):
    refusal = _refuse_non_cashier(request)
    if refusal:
        return refusal
    try:
        void = services.sale_void(
            user=request.user,
            order_number=order_number,
            pin=payload.pin,
            reason=payload.reason,
            lines=[line.dict() for line in payload.lines] if payload.lines else None,
            token=payload.token,
        )
    except services.PosError as error:
        return _from(error)
    order = void.refund.order
    order.refresh_from_db(fields=["status"])
    return {
        "order_number": order.number,
        "refund_id": void.refund.pk,
        "amount": str(void.refund.amount.quantize(Decimal("1"))),
        "order_status": order.status,
        "supervisor": void.supervisor.get_full_name() or void.supervisor.get_username(),
    }
