"""Writes for shipping: the parcels of an order (courier and waybill), a spreadsheet of
them for many orders at once, and the staff's record of courier-rate fallbacks.

Rules (README, "Parcels and waybills"):
- Parcels are recorded by staff of the order's Lapas (or central admins), on an order
  that goes to the buyer's address and has been paid; never on one that is cancelled,
  refunded, awaiting payment or picked up at a gallery.
- The waybill must fit its courier's format (shipping.couriers); a courier's waybill is
  recorded once across all orders. Recording the same parcel again changes nothing.
- A spreadsheet is checked row by row first; if any row is wrong, nothing is recorded and
  every wrong row is named. Otherwise all rows are recorded in one transaction and, if
  asked, the orders are set Shipped (each buyer e-mailed once it commits).
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from shop.apps.order import statuses
from shop.apps.shipping import selectors
from shop.apps.shipping.couriers import courier_for, waybill_validate

Order = get_model("order", "Order")
OrderParcel = get_model("shipping", "OrderParcel")
RateFallback = get_model("shipping", "RateFallback")

# Money has arrived and the goods have not all gone back: a parcel may leave (or has).
PARCEL_STATUSES = (
    statuses.PAID,
    statuses.BEING_PREPARED,
    statuses.SHIPPED,
    statuses.COMPLETED,
    statuses.PARTLY_REFUNDED,
)
# Statuses from which "Shipped" is reached, and the steps on the way.
TO_SHIPPED = {
    statuses.PAID: (statuses.BEING_PREPARED, statuses.SHIPPED),
    statuses.BEING_PREPARED: (statuses.SHIPPED,),
    statuses.PARTLY_REFUNDED: (statuses.SHIPPED,),
}
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 1024 * 1024
HEADERS = {
    "order": ("order", "order number", "pesanan", "nomor pesanan", "no pesanan"),
    "courier": ("courier", "kurir", "ekspedisi"),
    "waybill": ("waybill", "waybill number", "resi", "nomor resi", "no resi", "awb"),
}


class ParcelError(Exception):
    """A parcel that cannot be recorded or removed; the message is for staff."""


@dataclass
class ParcelImportError(Exception):
    """A spreadsheet with wrong rows: (row number, message) for each; nothing recorded."""

    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ParcelImportResult:
    recorded: int = 0  # new parcels
    unchanged: int = 0  # rows already recorded before
    shipped: list[str] = field(default_factory=list)  # numbers of orders set Shipped


def _check_order(order, user) -> None:
    if not selectors.user_may_record_parcels(user=user, order=order):
        # The same answer as a wrong number: staff of another Lapas learn nothing.
        raise ParcelError(_("Order %(number)s was not found.") % {"number": order.number})
    if not selectors.order_ships_by_courier(order):
        raise ParcelError(
            _("Order %(number)s is not sent by courier (picked up, or nothing to ship).")
            % {"number": order.number}
        )
    if order.status not in PARCEL_STATUSES:
        raise ParcelError(
            _("Order %(number)s is %(status)s: parcels are recorded once it is paid.")
            % {"number": order.number, "status": statuses.label(order.status)}
        )


def _clean(courier: str, waybill: str) -> tuple[str, str]:
    try:
        code = courier_for(courier).code
        return code, waybill_validate(courier_code=code, waybill=waybill)
    except ValidationError as error:
        raise ParcelError(" ".join(error.messages)) from None


def _taken_by_other(order, courier: str, waybill: str):
    if not waybill:
        return None
    return (
        OrderParcel.objects.filter(courier=courier, waybill=waybill)
        .exclude(order=order)
        .select_related("order")
        .first()
    )


@transaction.atomic
def parcel_record(*, order_id: int, courier: str, waybill: str, user) -> tuple[object, bool]:
    """Record one parcel of an order. Returns (parcel, created): the same parcel posted
    again (a double click) is returned with created False."""
    order = Order.objects.select_for_update().get(pk=order_id)
    _check_order(order, user)
    courier, waybill = _clean(courier, waybill)
    return _record(order=order, courier=courier, waybill=waybill, user=user)


def _record(*, order, courier, waybill, user):
    # The same parcel again (a double click, a file uploaded twice): nothing new. For own
    # delivery without a number, one such parcel says all there is to say.
    existing = OrderParcel.objects.filter(order=order, courier=courier, waybill=waybill).first()
    if existing is not None:
        return existing, False
    other = _taken_by_other(order, courier, waybill)
    if other is not None:
        raise ParcelError(
            _("Waybill %(waybill)s is already recorded on order %(number)s.")
            % {"waybill": waybill, "number": other.order.number}
        )
    try:
        with transaction.atomic():
            parcel = OrderParcel.objects.create(
                order=order, courier=courier, waybill=waybill, created_by=user
            )
    except IntegrityError:
        # Another request recorded the same waybill a moment ago.
        raise ParcelError(
            _("Waybill %(waybill)s has just been recorded elsewhere.") % {"waybill": waybill}
        ) from None
    order.notes.create(
        user=user,
        note_type="System",
        message=_("Parcel recorded: %(parcel)s.") % {"parcel": str(parcel)},
    )
    return parcel, True


@transaction.atomic
def parcel_remove(*, parcel_id: int, user) -> None:
    """Remove a parcel recorded by mistake. A shipped order keeps at least one: the buyer
    has been told to follow it, so the right one is added first."""
    parcel = OrderParcel.objects.select_related("order").get(pk=parcel_id)
    order = Order.objects.select_for_update().get(pk=parcel.order_id)
    if not selectors.user_may_record_parcels(user=user, order=order):
        raise ParcelError(_("Order %(number)s was not found.") % {"number": order.number})
    shipped = order.status in (statuses.SHIPPED, statuses.COMPLETED)
    if shipped and order.parcels.count() == 1:
        raise ParcelError(
            _(
                "The buyer is already following this parcel. Record the right waybill "
                "first, then remove this one."
            )
        )
    parcel.delete()
    order.notes.create(
        user=user,
        note_type="System",
        message=_("Parcel removed: %(parcel)s.") % {"parcel": str(parcel)},
    )


# --- many orders at once -------------------------------------------------------------------


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    if len(data) > MAX_IMPORT_BYTES:
        raise ParcelImportError([(0, _("The file is larger than 1 MB."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParcelImportError([(0, _("Save the file as CSV in UTF-8."))]) from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [cell.strip().lower() for cell in next(reader, [])]
    columns = {}
    for name, spellings in HEADERS.items():
        found = [i for i, cell in enumerate(header) if cell in spellings]
        if not found:
            raise ParcelImportError(
                [
                    (
                        1,
                        _(
                            "The first row must name the columns: order, courier, waybill "
                            "(or pesanan, kurir, resi)."
                        ),
                    )
                ]
            )
        columns[name] = found[0]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            (
                number,
                {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()},
            )
        )
    if not rows:
        raise ParcelImportError([(0, _("The file has no rows below its header."))])
    if len(rows) > MAX_IMPORT_ROWS:
        raise ParcelImportError(
            [(0, _("At most %(count)d rows per file.") % {"count": MAX_IMPORT_ROWS})]
        )
    return rows


def parcels_import(*, data: bytes, user, mark_shipped: bool) -> ParcelImportResult:
    """Record the parcels of a CSV file (order, courier, waybill), all or nothing.

    Raises ParcelImportError naming every wrong row (nothing recorded). With
    ``mark_shipped``, each order not yet Shipped is set Shipped in the same transaction;
    the buyers' e-mails go once it commits.
    """
    rows = _read_rows(data)
    numbers = {row["order"] for _n, row in rows}
    with transaction.atomic():
        orders = {
            order.number: order
            for order in Order.objects.select_for_update().filter(number__in=numbers)
        }
        errors, planned, seen = [], [], {}
        for line, row in rows:
            order = orders.get(row["order"])
            try:
                if order is None:
                    raise ParcelError(
                        _("Order %(number)s was not found.") % {"number": row["order"] or "-"}
                    )
                _check_order(order, user)
                courier, waybill = _clean(row["courier"], row["waybill"])
                if waybill and seen.setdefault((courier, waybill), order.number) != order.number:
                    raise ParcelError(
                        _("Waybill %(waybill)s is also given for order %(number)s in this file.")
                        % {"waybill": waybill, "number": seen[(courier, waybill)]}
                    )
                other = _taken_by_other(order, courier, waybill)
                if other is not None:
                    raise ParcelError(
                        _("Waybill %(waybill)s is already recorded on order %(number)s.")
                        % {"waybill": waybill, "number": other.order.number}
                    )
                if mark_shipped and order.status not in (
                    statuses.SHIPPED,
                    statuses.COMPLETED,
                    *TO_SHIPPED,
                ):
                    raise ParcelError(
                        _("Order %(number)s is %(status)s and cannot be set Shipped.")
                        % {"number": order.number, "status": statuses.label(order.status)}
                    )
            except ParcelError as error:
                errors.append((line, str(error)))
                continue
            planned.append((order, courier, waybill))
        if errors:
            raise ParcelImportError(errors)
        result = ParcelImportResult()
        for order, courier, waybill in planned:
            _parcel, created = _record(order=order, courier=courier, waybill=waybill, user=user)
            if created:
                result.recorded += 1
            else:
                result.unchanged += 1
        if mark_shipped:
            EventHandler = get_class("order.processing", "EventHandler")
            for order in {order.pk: order for order, _c, _w in planned}.values():
                for status in TO_SHIPPED.get(order.status, ()):
                    EventHandler(user).handle_order_status_change(order, status)
                    order.refresh_from_db()
                    if status == statuses.SHIPPED:
                        result.shipped.append(order.number)
    return result


# --- courier rates -------------------------------------------------------------------------


def rate_fallback_record(*, basket_id: int | None, parcels) -> None:
    """Remember that the zone table stood in for the courier aggregator on these parcels,
    so the order placed from the basket tells its staff (order_note_rate_fallback)."""
    fallen = [parcel for parcel in parcels or () if parcel.fallback_reason]
    if not fallen:
        return
    RateFallback.objects.bulk_create(
        [
            RateFallback(
                provider="aggregator",
                reason=parcel.fallback_reason[:255],
                basket_id=basket_id,
                lapas=parcel.lapas,
            )
            for parcel in fallen
        ]
    )


def order_note_rate_fallback(*, order) -> bool:
    """A staff note on an order whose shipping was charged from the zone table because
    the courier aggregator failed during its checkout. True when a note was written."""
    if not order.basket_id or order.lapas_id is None:
        return False
    fallback = (
        RateFallback.objects.filter(basket_id=order.basket_id, lapas_id=order.lapas_id)
        .order_by("-created_at")
        .first()
    )
    if fallback is None:
        return False
    order.notes.create(
        note_type="System",
        message=_(
            "Shipping was charged from the zone table: the courier rate service did not "
            "answer during checkout (%(reason)s). Check the charge before booking the "
            "courier."
        )
        % {"reason": fallback.reason},
    )
    return True
