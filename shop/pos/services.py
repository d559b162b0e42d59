"""Writes of the point of sale: sessions, sales (applied once per device UUID), voids,
conflicts, payment verification, supervisor PINs and locations.

Stock transfers live in shop.pos.transfers. Every function that changes money or stock
runs in one transaction and locks what it reads before it writes.
"""

import datetime
import json
import logging
import uuid as uuid_lib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from catalog import compliance
from production_link.bulk_insert import bulk_insert
from production_link.models import Batch, StockLocation
from production_link.selectors import today
from production_link.services import InsufficientStock, LockedStock
from shop.apps.order import placement, statuses
from shop.payments.providers import get_provider
from shop.payments.refund_services import RefundError, RefundLineRequest, refund_create

from . import selectors
from .models import (
    PaymentMethod,
    PosConflict,
    PosLapasSettings,
    PosLocation,
    PosSale,
    PosSession,
    PosVoid,
    SupervisorPin,
)

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

ZERO = Decimal("0")
PIN_MAX_FAILURES = 5
PIN_LOCK_SECONDS = 15 * 60


class PosError(Exception):
    """A point-of-sale request that cannot be done; the message is for the cashier.

    ``code`` is the machine code the API returns, ``status`` its HTTP status, ``field``
    the request field at fault (if one is).
    """

    def __init__(self, message, *, code: str = "invalid", status: int = 400, field: str = ""):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.status = status
        self.field = field


# --- small helpers ---------------------------------------------------------------------


def _amount_name(field: str) -> str:
    """An amount's name in words for the cashier's messages, never the API's field name."""
    names = {
        "opening_float": _("the opening float"),
        "unit_price": _("the price of an item"),
        "payment.tendered": _("the cash received"),
    }
    return str(names.get(field, _("the amount")))


def _rupiah(value, *, field: str, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise PosError(_("Enter %(field)s.") % {"field": _amount_name(field)}, field=field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PosError(
            _("“%(value)s” is not an amount of rupiah (%(field)s).")
            % {"field": _amount_name(field), "value": value},
            field=field,
        ) from None
    if amount < 0 or amount != amount.to_integral_value():
        raise PosError(
            _("Use whole rupiah, not negative, for %(field)s.") % {"field": _amount_name(field)},
            field=field,
        )
    return amount.quantize(Decimal("1"))


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("the system")


def receipt_path(order_number: str) -> str:
    return reverse("pos_print:receipt", kwargs={"number": order_number})


# --- locations, settings, PINs ---------------------------------------------------------


def _require_supervisor(user, lapas):
    if not selectors.user_is_supervisor(user, lapas=lapas):
        raise PosError(
            _("Only the treasurer or head of this Lapas, or a central admin, may do this."),
            code="forbidden",
            status=403,
        )


@transaction.atomic
def location_save(
    *,
    user,
    lapas,
    kind: str,
    name: str,
    city: str = "",
    venue: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    is_active: bool = True,
    cashiers=(),
    location: PosLocation | None = None,
) -> PosLocation:
    """Create or change a gallery or exhibition of a Lapas, and who sells there."""
    _require_supervisor(user, lapas)
    if kind not in selectors.SALE_KINDS:
        raise PosError(_("kind: choose gallery or exhibition."), field="kind")
    if not name.strip():
        raise PosError(_("name: give the location a name."), field="name")
    if kind == StockLocation.Kind.EXHIBITION and not (starts_on and ends_on):
        raise PosError(
            _("starts_on: an exhibition needs its first and last day."), field="starts_on"
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise PosError(_("ends_on: the last day cannot be before the first."), field="ends_on")
    allowed = set(selectors.cashier_candidates(lapas=lapas).values_list("pk", flat=True))
    cashiers = list(cashiers)
    if any(c.pk not in allowed for c in cashiers):
        raise PosError(
            _("cashiers: only cashiers and supervisors of this Lapas can sell here."),
            field="cashiers",
        )
    if location is None:
        stock_location = StockLocation.objects.create(
            lapas=lapas, kind=kind, name=name.strip(), city=city.strip(), is_active=is_active
        )
        location = PosLocation.objects.create(stock_location=stock_location)
    else:
        location = PosLocation.objects.select_for_update().get(pk=location.pk)
        if location.lapas.pk != lapas.pk:
            raise PosError(_("This location belongs to another Lapas."), status=404)
        stock_location = location.stock_location
        stock_location.kind = kind
        stock_location.name = name.strip()
        stock_location.city = city.strip()
        stock_location.is_active = is_active
        stock_location.save(update_fields=["kind", "name", "city", "is_active"])
    location.venue = venue.strip()
    location.starts_on = starts_on
    location.ends_on = ends_on
    location.save(update_fields=["venue", "starts_on", "ends_on"])
    location.cashiers.set(cashiers)
    return location


@transaction.atomic
def lapas_settings_save(*, user, lapas, qris_image=None, clear_qris: bool = False):
    _require_supervisor(user, lapas)
    settings_row, _created = PosLapasSettings.objects.select_for_update().get_or_create(lapas=lapas)
    if clear_qris:
        settings_row.qris_image = ""
    elif qris_image is not None:
        settings_row.qris_image = qris_image
    settings_row.save()
    return settings_row


def supervisor_pin_set(*, user, pin: str) -> SupervisorPin:
    """Set the PIN a supervisor types on a cashier's device to approve a void."""
    if not selectors.user_is_supervisor(user):
        raise PosError(_("Only supervisors have a PIN."), code="forbidden", status=403)
    pin = (pin or "").strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise PosError(_("A PIN has 4 to 8 digits."), field="pin")
    row, _created = SupervisorPin.objects.update_or_create(
        user=user, defaults={"pin_hash": make_password(pin)}
    )
    return row


def supervisor_for_pin(*, lapas, pin: str, asked_by):
    """The supervisor of this Lapas whose PIN this is, or None.

    Wrong PINs are counted per cashier; after five in a row the cashier must wait a
    quarter of an hour, so a PIN cannot be guessed at the till.
    """
    key = f"pos-pin-failures-{asked_by.pk}"
    failures = cache.get(key, 0)
    if failures >= PIN_MAX_FAILURES:
        raise PosError(
            _("Too many wrong PINs. Try again in 15 minutes."), code="pin_locked", status=429
        )
    pin = (pin or "").strip()
    if pin:
        # Only this Lapas's people and central admins: each check costs a password hash.
        supervisors = (
            SupervisorPin.objects.select_related("user")
            .filter(user__is_active=True)
            .filter(Q(user__is_superuser=True) | Q(user__partners=lapas))
            .distinct()
        )
        for row in supervisors:
            if check_password(pin, row.pin_hash) and selectors.user_is_supervisor(
                row.user, lapas=lapas
            ):
                cache.delete(key)
                return row.user
    cache.set(key, failures + 1, PIN_LOCK_SECONDS)
    return None


# --- sessions ----------------------------------------------------------------------------


def session_open(*, user, location: PosLocation, opening_float) -> tuple[PosSession, bool]:
    """Open the cashier's session at a location; returns (session, created).

    A cashier has one open session per location: opening again returns the open one.
    """
    if not selectors.user_may_sell_at(user, location=location):
        raise PosError(
            _("You are not a cashier of this location."), code="not_your_location", status=403
        )
    if not selectors.location_open_for_sale(location):
        raise PosError(
            _("%(name)s sells only from %(start)s to %(end)s.")
            % {"name": location.name, "start": location.starts_on, "end": location.ends_on},
            code="location_closed",
        )
    opening_float = _rupiah(opening_float, field="opening_float")
    existing = selectors.open_session(user=user, location=location)
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return PosSession.objects.create(
                cashier=user, location=location, opening_float=opening_float
            ), True
    except IntegrityError:
        # Two devices opened at the same moment; the other one won.
        return selectors.open_session(user=user, location=location), False


def _parse_counted(counted) -> dict[str, int]:
    clean = {}
    for key, value in (counted or {}).items():
        try:
            denomination, count = int(str(key)), int(value)
        except (TypeError, ValueError):
            raise PosError(
                _("“%(key)s” is not a banknote or coin.") % {"key": key}, field="counted"
            ) from None
        if denomination not in selectors.DENOMINATIONS:
            raise PosError(
                _("Rp%(key)s is not a rupiah banknote or coin.") % {"key": key},
                field="counted",
            )
        if count < 0:
            raise PosError(_("A count of notes or coins cannot be negative."), field="counted")
        if count:
            clean[str(denomination)] = count
    return clean


@transaction.atomic
def session_close(*, user, session: PosSession, counted: dict, reason: str = "") -> PosSession:
    """Close a session: count the cash, compare with what is expected per method.

    A difference between counted and expected cash needs a reason. A closed session
    takes no more sales. Closing again returns the closed session unchanged.
    """
    session = (
        PosSession.objects.select_for_update(of=("self",))
        .select_related("location__stock_location__lapas")
        .get(pk=session.pk)
    )
    if session.cashier_id != user.pk and not selectors.user_is_supervisor(
        user, lapas=session.location.lapas
    ):
        raise PosError(_("This is not your session."), code="not_found", status=404)
    if not session.is_open:
        return session
    counted = _parse_counted(counted)
    figures = selectors.session_figures(session)
    counted_cash = selectors.counted_total(counted)
    difference = counted_cash - figures["expected"]["cash"]
    reason = (reason or "").strip()
    if difference and not reason:
        raise PosError(
            _(
                "The counted cash differs from the expected cash by %(difference)s: "
                "write down the reason."
            )
            % {"difference": currency(difference)},
            code="reason_required",
            field="reason",
        )
    session.closed_at = timezone.now()
    session.closed_by = user
    session.counted = counted
    session.counted_cash = counted_cash
    session.expected = {m: str(v) for m, v in figures["expected"].items()}
    session.difference = difference
    session.difference_reason = reason
    session.save()
    return session


# --- sales ---------------------------------------------------------------------------------


@dataclass
class _SaleLine:
    product: object
    quantity: int
    unit_price: Decimal
    batch_code: str


class _Conflict(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _product_ids(raw_lines) -> set[int]:
    ids = set()
    for raw in raw_lines or ():
        try:
            ids.add(int(raw.get("product_id")))
        except (AttributeError, TypeError, ValueError):
            continue
    return ids


class _SyncContext:
    """What the sales of one sync share, read once instead of once per sale.

    A device sends its queue in batches of 25 sales of one session, mostly of the same
    few products: the products, their prices at the location, the cashier's right to sell
    there and Oscar's lookup rows are the same for all of them. Only reads that cannot
    change a sale's outcome within one request are kept here; stock, the session and the
    UUID are still read under their locks, sale by sale.
    """

    def __init__(self, *, user, sales: list[dict]):
        self.user = user
        uuids = []
        for data in sales:
            try:
                uuids.append(uuid_lib.UUID(str(data.get("uuid"))))
            except (AttributeError, TypeError, ValueError):
                continue
        self.applied = (
            {s.uuid: s for s in PosSale.objects.select_related("session").filter(uuid__in=uuids)}
            if uuids
            else {}
        )
        ids = set().union(*(_product_ids(data.get("lines")) for data in sales if data))
        # The Strategy prices a product from its stock records and channel prices.
        self.products = (
            Product.objects.select_related("product_class")
            .prefetch_related("stockrecords", "channel_prices")
            .in_bulk(ids)
        )
        self._may_sell: dict[int, bool] = {}
        self._prices: dict[tuple[int, int], Decimal | None] = {}
        self._records: dict[tuple[int, int], object] = {}
        self._refusals: dict[int, str] = {}

    def products_for(self, ids) -> dict:
        missing = set(ids) - set(self.products)
        if missing:
            self.products.update(Product.objects.select_related("product_class").in_bulk(missing))
        return self.products

    def may_sell_at(self, location) -> bool:
        if location.pk not in self._may_sell:
            self._may_sell[location.pk] = selectors.user_may_sell_at(self.user, location=location)
        return self._may_sell[location.pk]

    def channel_price(self, *, product, location) -> Decimal | None:
        key = (product.pk, location.pk)
        if key not in self._prices:
            self._prices[key] = selectors.channel_price(product=product, location=location)
        return self._prices[key]

    def sale_refusal(self, product) -> str:
        # The same few products recur in every sale of a batch; their label facts and
        # licences do not change within one request.
        if product.pk not in self._refusals:
            self._refusals[product.pk] = str(compliance.sale_refusal(product))
        return self._refusals[product.pk]

    def stockrecords(self, *, lapas, product_ids) -> dict:
        missing = {pk for pk in product_ids if (lapas.pk, pk) not in self._records}
        if missing:
            found = {
                r.product_id: r
                for r in StockRecord.objects.filter(partner=lapas, product_id__in=missing)
            }
            for pk in missing:
                self._records[(lapas.pk, pk)] = found.get(pk)
        return {pk: self._records[(lapas.pk, pk)] for pk in product_ids}


def _parse_lines(raw_lines, *, context: _SyncContext | None = None) -> list[_SaleLine]:
    if not raw_lines:
        raise PosError(_("A sale needs at least one item."), field="lines")
    ids = set()
    for raw in raw_lines:
        try:
            ids.add(int(raw.get("product_id")))
        except (TypeError, ValueError):
            raise PosError(_("An item of this sale names no product."), field="lines") from None
    if context is not None:
        products = context.products_for(ids)
    else:
        products = Product.objects.select_related("product_class").in_bulk(ids)
    lines = []
    for raw in raw_lines:
        product = products.get(int(raw["product_id"]))
        if product is None:
            raise PosError(
                _("An item of this sale is not in the catalogue (product %(id)s).")
                % {"id": raw["product_id"]},
                field="lines",
            )
        try:
            quantity = int(raw.get("quantity"))
        except (TypeError, ValueError):
            quantity = 0
        if quantity < 1:
            raise PosError(
                _("The quantity of “%(title)s” must be at least 1.")
                % {"title": product.get_title()},
                field="lines",
            )
        lines.append(
            _SaleLine(
                product=product,
                quantity=quantity,
                unit_price=_rupiah(raw.get("unit_price"), field="unit_price"),
                batch_code=(raw.get("batch_code") or "").strip().upper(),
            )
        )
    return lines


def _parse_created_at(value) -> datetime.datetime:
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value or ""))
    if moment is None:
        raise PosError(_("The sale has no valid time."), field="created_at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _result(sale: PosSale, *, message: str = "", order_lines=None) -> dict:
    number = sale.order.number if sale.order_id else None
    if order_lines is None:
        order_lines = sale.order.lines.order_by("pk") if sale.order_id else []
    return {
        "uuid": str(sale.uuid),
        "status": sale.status,
        "order_number": number,
        "receipt_url": receipt_path(number) if number else None,
        "total": str(sale.total),
        "change": str(sale.change) if sale.change is not None else None,
        "unverified": sale.unverified,
        "message": message,
        # The order's lines, so the device can void some of them later.
        "lines": [
            {
                "line_id": line.pk,
                "product_id": line.product_id,
                "title": line.title,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price_incl_tax.quantize(Decimal("1"))),
            }
            for line in sorted(order_lines, key=lambda line: line.pk)
        ],
    }


def _rejected(uuid, message: str, code: str = "invalid") -> dict:
    return {
        "uuid": str(uuid),
        "status": "rejected",
        "order_number": None,
        "receipt_url": None,
        "total": None,
        "change": None,
        "unverified": False,
        "message": message,
        "code": code,
        "lines": [],
    }


def _replay(existing: PosSale, user) -> dict:
    if existing.session.cashier_id != user.pk and not user.is_superuser:
        return _rejected(existing.uuid, _("This sale id belongs to another cashier."), "forbidden")
    return existing.result


def sales_sync(*, user, sales: list[dict]) -> list[dict]:
    """Apply a device's queued sales, each once; the answers in the same order.

    The new sales of one session are applied together, in one transaction under the
    session's lock, in the order sent: a sale takes what the sales before it left, as if
    each had been applied alone, but the whole batch costs a fixed number of queries.
    """
    sales = [data if isinstance(data, dict) else {} for data in sales]
    context = _SyncContext(user=user, sales=sales)
    answers: list[dict | None] = [None] * len(sales)
    first_seen: dict[uuid_lib.UUID, int] = {}
    by_session: dict[str, list[tuple[int, uuid_lib.UUID, dict]]] = {}
    for index, data in enumerate(sales):
        sale_uuid = _sale_uuid(data)
        if sale_uuid is None:
            answers[index] = _rejected(data.get("uuid"), _("The sale has no identifier."))
        elif sale_uuid in context.applied:
            answers[index] = _replay(context.applied[sale_uuid], user)
        elif sale_uuid not in first_seen:
            first_seen[sale_uuid] = index
            by_session.setdefault(str(data.get("session_id")), []).append((index, sale_uuid, data))
    for items in by_session.values():
        try:
            # Stock locks wait at most the lock timeout, retried once; then StockBusy
            # (the API answers 503 and the device keeps the sales queued).
            applied = placement.with_lock_retry(
                lambda items=items: _sales_apply(user=user, items=items, context=context)
            )
        except IntegrityError:
            # A UUID was applied meanwhile through another request: one by one, so that
            # sale is answered as applied and the others are still applied once.
            applied = [sale_record(user=user, data=data, context=context) for _i, _u, data in items]
        for (index, _uuid, _data), answer in zip(items, applied, strict=True):
            answers[index] = answer
    # The same sale twice in one request: the second gets the first one's answer.
    for index, data in enumerate(sales):
        if answers[index] is None:
            answers[index] = answers[first_seen[_sale_uuid(data)]]
    return answers


def _sale_uuid(data: dict) -> uuid_lib.UUID | None:
    try:
        return uuid_lib.UUID(str(data.get("uuid")))
    except (TypeError, ValueError):
        return None


def sale_record(*, user, data: dict, context: _SyncContext | None = None) -> dict:
    """Record one sale from a device, exactly once per UUID.

    Returns the answer for the device: "recorded" (an order in the pos channel, paid,
    with its units taken from the location's batches and its PNBP entry), "conflict"
    (kept for a supervisor: its batch at the location could not supply it) or
    "rejected" (the request itself is wrong; nothing kept, the device may correct it).
    A UUID already applied returns the first answer unchanged.
    """
    sale_uuid = _sale_uuid(data)
    if sale_uuid is None:
        return _rejected(data.get("uuid"), _("The sale has no identifier."), "invalid")
    if context is None:
        context = _SyncContext(user=user, sales=[data])
    existing = context.applied.get(sale_uuid)
    if existing is None:
        existing = PosSale.objects.select_related("session").filter(uuid=sale_uuid).first()
    if existing is not None:
        return _replay(existing, user)
    try:
        return placement.with_lock_retry(
            lambda: _sales_apply(user=user, items=[(0, sale_uuid, data)], context=context)
        )[0]
    except IntegrityError:
        # The same UUID arrived through another session at the same moment.
        existing = PosSale.objects.select_related("session").filter(uuid=sale_uuid).first()
        if existing is None:
            raise
        return _replay(existing, user)


@dataclass
class _Draft:
    """A sale that passed the checks of its request, before anything is written."""

    uuid: uuid_lib.UUID
    data: dict
    lines: list[_SaleLine]
    method: str
    reference: str
    offline: bool
    created_at: datetime.datetime
    total: Decimal
    tendered: Decimal | None
    change: Decimal | None
    unverified: bool
    price_differs: bool
    conflict: _Conflict | None = None
    pinned: list = None
    plan: list = None


def _locked_session(*, user, session_id, context: _SyncContext) -> PosSession:
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        raise PosError(_("The sale names no cash session."), field="session_id") from None
    # Sales of a session are applied one batch after the other: the lock makes the UUID
    # check and the inserts one step, and keeps the session from closing meanwhile.
    session = (
        PosSession.objects.select_for_update(of=("self",))
        .select_related("location__stock_location__lapas", "cashier")
        .filter(pk=session_id)
        .first()
    )
    if session is None or (session.cashier_id != user.pk and not user.is_superuser):
        raise PosError(_("This session does not exist or is not yours."), code="not_found")
    if not context.may_sell_at(session.location):
        raise PosError(_("You are not a cashier of this location."), code="not_your_location")
    return session


# No savepoint of its own: with_lock_retry's transaction is the only one it runs in, and
# any error rolls all of it back.
@transaction.atomic(savepoint=False)
def _sales_apply(*, user, items, context: _SyncContext) -> list[dict]:
    """Apply new sales of one session (``items``: (index, uuid, data)); answers in order."""
    try:
        session = _locked_session(
            user=user, session_id=items[0][2].get("session_id"), context=context
        )
    except PosError as error:
        return [_rejected(sale_uuid, error.message, error.code) for _i, sale_uuid, _d in items]
    applied = {
        sale.uuid: sale
        for sale in PosSale.objects.select_related("session").filter(
            uuid__in=[sale_uuid for _i, sale_uuid, _d in items]
        )
    }
    answers: list[dict | None] = [None] * len(items)
    drafts: list[tuple[int, _Draft]] = []
    for position, (_index, sale_uuid, data) in enumerate(items):
        if sale_uuid in applied:
            answers[position] = _replay(applied[sale_uuid], user)
            continue
        try:
            drafts.append(
                (position, _draft(sale_uuid=sale_uuid, data=data, session=session, context=context))
            )
        except PosError as error:
            answers[position] = _rejected(sale_uuid, error.message, error.code)
    if drafts:
        results = _drafts_record(
            drafts=[draft for _p, draft in drafts], session=session, user=user, context=context
        )
        for (position, _unused), result in zip(drafts, results, strict=True):
            answers[position] = result
    return answers


def _draft(*, sale_uuid, data: dict, session: PosSession, context: _SyncContext) -> _Draft:
    """Check one sale as sent; raises PosError (the sale is rejected, nothing kept)."""
    location = session.location
    lines = _parse_lines(data.get("lines"), context=context)
    payment = data.get("payment") or {}
    method = payment.get("method")
    if method not in PaymentMethod.values:
        raise PosError(
            _("payment.method: choose cash, qris or card_terminal."), field="payment.method"
        )
    reference = (payment.get("reference") or "").strip()[:128]
    offline = bool(data.get("offline"))
    created_at = _parse_created_at(data.get("created_at"))
    # The gate at the till: what the shop may not publish may not be sold here either.
    # Online the cashier is told at once and nothing is kept; a sale made offline has
    # happened already, so it waits for a supervisor as a conflict (never dropped).
    refusals = _sale_refusals(lines, context=context)
    if refusals and not offline:
        raise PosError(" ".join(refusals), code="not_for_sale", field="lines")
    total = sum((line.unit_price * line.quantity for line in lines), ZERO)
    tendered = change = None
    if method == PaymentMethod.CASH:
        tendered = _rupiah(payment.get("tendered"), field="payment.tendered", allow_none=True)
        tendered = total if tendered is None else tendered
        if tendered < total:
            raise PosError(
                _("payment.tendered: %(tendered)s is less than the total %(total)s.")
                % {"tendered": currency(tendered), "total": currency(total)},
                field="payment.tendered",
            )
        change = tendered - total
    # Card and QRIS are checked on the bank's side by a supervisor when the cashier could
    # not confirm them online, or did not note the reference.
    unverified = method != PaymentMethod.CASH and (offline or not reference)
    price_differs = any(
        context.channel_price(product=line.product, location=location) != line.unit_price
        for line in lines
    )
    if not session.is_open and not (offline and created_at <= session.closed_at):
        raise PosError(
            _("The session is closed; open a new session to sell."), code="session_closed"
        )
    draft = _Draft(
        uuid=sale_uuid,
        data=data,
        lines=lines,
        method=method,
        reference=reference,
        offline=offline,
        created_at=created_at,
        total=total,
        tendered=tendered,
        change=change,
        unverified=unverified,
        price_differs=price_differs,
    )
    if not session.is_open:
        # Sold offline before the close, synced after it: the money is in the
        # closed count, the goods are gone; a supervisor decides.
        draft.conflict = _Conflict(
            PosConflict.Reason.SESSION_CLOSED,
            _("The sale reached the server after its session was closed."),
        )
    elif refusals:
        draft.conflict = _Conflict(PosConflict.Reason.NOT_FOR_SALE, " ".join(refusals))
    return draft


def _sale_refusals(lines: list[_SaleLine], *, context: _SyncContext) -> list[str]:
    """The cashier's message for each product of the sale the till may not sell."""
    refusals, seen = [], set()
    for line in lines:
        if line.product.pk in seen:
            continue
        seen.add(line.product.pk)
        message = context.sale_refusal(line.product)
        if message:
            refusals.append(str(message))
    return refusals


def _drafts_record(
    *, drafts: list[_Draft], session: PosSession, user, context: _SyncContext
) -> list[dict]:
    """Write checked sales: each becomes an order (recorded) or waits for a supervisor
    (conflict: a batch unknown, recalled, expired or short at the location)."""
    location = session.location
    codes = {
        line.batch_code for d in drafts if not d.conflict for line in d.lines if line.batch_code
    }
    found = Batch.objects.in_bulk(codes, field_name="code") if codes else {}
    for draft in drafts:
        if draft.conflict is None:
            try:
                draft.pinned = _pinned_batches(lines=draft.lines, location=location, found=found)
            except _Conflict as conflict:
                draft.conflict = conflict
    selling = [d for d in drafts if d.conflict is None]
    stock = LockedStock(
        product_ids={line.product.pk for d in selling for line in d.lines},
        locations=[location.stock_location],
    )
    for draft in selling:
        try:
            draft.plan = _take(stock, lines=draft.lines, pinned=draft.pinned, location=location)
        except _Conflict as conflict:
            draft.conflict = conflict

    sales = bulk_insert(
        [
            PosSale(
                uuid=d.uuid,
                session=session,
                status=PosSale.Status.CONFLICT if d.conflict else PosSale.Status.RECORDED,
                payment_method=d.method,
                total=d.total,
                tendered=d.tendered,
                change=d.change,
                reference=d.reference,
                unverified=d.unverified,
                price_differs=d.price_differs,
                offline=d.offline,
                created_at=d.created_at,
                payload=d.data,
            )
            for d in drafts
        ]
    )
    recorded = [(sale, d) for sale, d in zip(sales, drafts, strict=True) if not d.conflict]
    written = _orders_create(
        sales=[(sale, d.lines, d.pinned, d.plan) for sale, d in recorded],
        location=location,
        user=user,
        stock=stock,
        context=context,
    )
    bulk_insert(
        [
            PosConflict(sale=sale, reason=d.conflict.reason, message=d.conflict.message)
            for sale, d in zip(sales, drafts, strict=True)
            if d.conflict
        ],
        with_ids=False,
    )
    for sale, draft in zip(sales, drafts, strict=True):
        order_lines = []
        message = ""
        if draft.conflict:
            message = draft.conflict.message
        else:
            sale.order, order_lines = written[sale.pk]
            if draft.price_differs:
                message = _("Recorded at the price charged, which differs from the catalogue.")
        sale.result = _result(sale, message=message, order_lines=order_lines)
    _sales_answers_write(sales)
    return [sale.result for sale in sales]


def _sales_answers_write(sales: list[PosSale]) -> None:
    """Store each sale's order and answer, in one statement for the whole batch."""
    if connection.vendor != "postgresql":
        PosSale.objects.bulk_update(sales, ["order", "result"])
        return
    # bulk_update builds a CASE of one WHEN per sale and field, which costs more to
    # compile than the sales cost to place; UPDATE ... FROM VALUES is one cheap statement.
    field = PosSale._meta.get_field("result")
    rows = ", ".join(["(%s, %s, %s::jsonb)"] * len(sales))
    params = []
    for sale in sales:
        params += [sale.pk, sale.order_id, json.dumps(sale.result, cls=field.encoder)]
    # The table name and placeholders are constants; every value is a parameter.
    sql = (
        f"UPDATE {PosSale._meta.db_table} AS s SET order_id = v.order_id::integer, "  # noqa: S608
        f"result = v.result FROM (VALUES {rows}) AS v(id, order_id, result) WHERE s.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _take(stock: LockedStock, *, lines: list[_SaleLine], pinned, location) -> list:
    """The rows a sale's lines take from, or _Conflict when the location is short."""
    try:
        return stock.take(
            [
                (line.product, line.quantity, batch.pk if batch is not None else None)
                for line, batch in zip(lines, pinned, strict=True)
            ]
        )
    except InsufficientStock as short:
        code = next((line.batch_code for line in lines if line.product.pk == short.product.pk), "")
        where = _("batch %(code)s at %(location)s") if code else _("%(location)s")
        raise _Conflict(
            PosConflict.Reason.INSUFFICIENT_STOCK,
            _("“%(title)s”: %(wanted)d sold, only %(available)d left at %(where)s.")
            % {
                "title": short.product.get_title(),
                "wanted": short.wanted,
                "available": short.available,
                "where": where % {"code": code, "location": location.name},
            },
        ) from short


def _pinned_batches(*, lines: list[_SaleLine], location, found=None) -> list[Batch | None]:
    """The batch each line's units must come from (the scanned label), checked.

    ``found`` holds the batches by code when the caller read them for several sales."""
    if found is None:
        codes = {line.batch_code for line in lines if line.batch_code}
        found = Batch.objects.in_bulk(codes, field_name="code") if codes else {}
    pinned = []
    for line in lines:
        if not line.batch_code:
            pinned.append(None)
            continue
        batch = found.get(line.batch_code)
        if batch is None or batch.product_id != line.product.pk:
            raise _Conflict(
                PosConflict.Reason.UNKNOWN_BATCH,
                _("“%(title)s”: no batch %(code)s of this product is known.")
                % {"title": line.product.get_title(), "code": line.batch_code},
            )
        if batch.status == Batch.Status.RECALLED:
            raise _Conflict(
                PosConflict.Reason.RECALLED,
                _("“%(title)s”: batch %(code)s was recalled.")
                % {"title": line.product.get_title(), "code": batch.code},
            )
        if batch.expiry_date and batch.expiry_date < today():
            raise _Conflict(
                PosConflict.Reason.EXPIRED,
                _("“%(title)s”: batch %(code)s expired on %(date)s.")
                % {
                    "title": line.product.get_title(),
                    "code": batch.code,
                    "date": batch.expiry_date,
                },
            )
        pinned.append(batch)
    return pinned


def _orders_create(*, sales, location: PosLocation, user, stock: LockedStock, context) -> dict:
    """Each sale as an order of the location's Lapas in the pos channel, through the one
    placement service (shop.apps.order.placement): lines at the charged price, units
    taken from the location's batches as planned by ``stock.take``, then paid through
    its counter method's provider and the mark-paid service (which books its PNBP), and
    handed over (Completed). ``sales`` are (PosSale, lines, pinned batches, plan);
    returns {sale id: (order, order lines)}. A fixed number of queries per batch.
    """
    if not sales:
        return {}
    lapas = location.lapas
    records = context.stockrecords(
        lapas=lapas, product_ids={line.product.pk for _s, lines, _p, _pl in sales for line in lines}
    )
    drafts = [
        placement.OrderDraft(
            number=f"POS-{lapas.short_code or 'KRY'}-{sale.pk:06d}",
            lapas=lapas,
            channel=Order.Channel.POS,
            # A counter sale is paid and handed over in the same moment.
            status=statuses.COMPLETED,
            shipping_method=str(_("Counter sale")),
            shipping_code="pos-counter",
            locations=[location.stock_location],
            payment_reference=sale.reference,
            plan=plan,
            lines=[
                placement.LineDraft(
                    product=line.product,
                    quantity=line.quantity,
                    unit_price_incl_tax=line.unit_price,
                    stockrecord=records.get(line.product.pk),
                    batch_id=batch.pk if batch is not None else None,
                )
                for line, batch in zip(lines, pinned, strict=True)
            ],
        )
        for sale, lines, pinned, plan in sales
    ]
    orders = placement.orders_create(drafts, stock)
    sale_of = {order.pk: sale for order, (sale, _l, _p, _pl) in zip(orders, sales, strict=True)}
    by_method: dict[str, list] = {}
    for order in orders:
        by_method.setdefault(sale_of[order.pk].payment_method, []).append(order)
    # One payment step for the whole batch, whatever its mix of methods: each method's
    # provider is asked once, and all the orders are marked paid and booked together.
    placement.orders_take_payments(
        groups=[(paid, get_provider(method)) for method, paid in by_method.items()],
        user=user,
        references={order.pk: sale_of[order.pk].reference for order in orders},
        notes={
            order.pk: _("Sold at %(location)s by %(cashier)s, paid by %(method)s.")
            % {
                "location": location.name,
                "cashier": _who(sale_of[order.pk].session.cashier),
                "method": PaymentMethod(sale_of[order.pk].payment_method).label,
            }
            for order in orders
        },
    )
    return {sale_of[order.pk].pk: (order, order.placed_lines) for order in orders}


# --- voids and refunds ------------------------------------------------------------------------


def sale_void(
    *,
    user,
    order_number: str,
    pin: str,
    reason: str,
    lines: list[dict] | None = None,
    token: str = "",
) -> PosVoid:
    """Void a sale (or give back some of its lines) within its open session.

    A supervisor of the Lapas approves with their PIN. The money goes back through the
    shop's refund service (Refund, "Refunded" payment event, order status), the units
    go back to the batch and location they came from, and the PNBP reversal is written.
    ``token`` makes a retried request the same void.
    """
    sale = selectors.sale_by_order_number(number=order_number)
    if sale is None or (sale.session.cashier_id != user.pk and not user.is_superuser):
        raise PosError(_("No sale of yours has this receipt number."), code="not_found", status=404)
    if not sale.session.is_open:
        raise PosError(
            _("Only a sale of an open session can be voided at the till."),
            code="session_closed",
            status=409,
        )
    reason = (reason or "").strip()
    if not reason:
        raise PosError(_("Write down why the sale is voided."), field="reason")
    lapas = sale.session.location.lapas
    supervisor = supervisor_for_pin(lapas=lapas, pin=pin, asked_by=user)
    if supervisor is None:
        raise PosError(_("The supervisor PIN is wrong."), code="wrong_pin", status=403, field="pin")

    order = sale.order
    order_lines = {line.pk: line for line in order.lines.all()}
    if lines:
        requests = []
        for raw in lines:
            try:
                line_id, quantity = int(raw.get("line_id")), int(raw.get("quantity"))
            except (TypeError, ValueError):
                raise PosError(
                    _("Choose the items to give back and how many."), field="lines"
                ) from None
            if line_id not in order_lines:
                raise PosError(_("An item chosen is not part of this sale."), field="lines")
            requests.append(RefundLineRequest(line_id=line_id, quantity=quantity, restock=True))
    else:
        from shop.payments.selectors import line_refundable

        requests = [
            RefundLineRequest(line_id=pk, quantity=line_refundable(line=line)[0], restock=True)
            for pk, line in order_lines.items()
        ]
    token = (token or "").strip()[:64] or uuid_lib.uuid4().hex
    try:
        refund = refund_create(
            order_id=order.pk,
            user=supervisor,
            token=f"pos-{token}",
            lines=requests,
            reason=reason,
        )
    except RefundError as error:
        raise PosError(str(error), code="refund_refused") from error
    void, _created = PosVoid.objects.get_or_create(
        refund=refund,
        defaults={"sale": sale, "session": sale.session, "cashier": user, "supervisor": supervisor},
    )
    if _created:
        order.notes.create(
            user=user,
            note_type="System",
            message=_("Voided at the till by %(cashier)s, approved by %(supervisor)s: %(reason)s")
            % {"cashier": _who(user), "supervisor": _who(supervisor), "reason": reason},
        )
    return void


# --- supervisors: payments and conflicts ----------------------------------------------------


@transaction.atomic
def sale_verify(*, user, sale: PosSale, reference: str = "") -> PosSale:
    """A supervisor confirms an offline card or QRIS payment arrived (bank statement)."""
    sale = (
        PosSale.objects.select_for_update(of=("self",))
        .select_related("session__location__stock_location__lapas")
        .get(pk=sale.pk)
    )
    _require_supervisor(user, sale.session.location.lapas)
    if not sale.unverified:
        return sale
    reference = (reference or "").strip()[:128]
    if not (reference or sale.reference):
        raise PosError(_("Enter the bank's reference of this payment."), field="reference")
    if reference and not sale.reference:
        sale.reference = reference
        if sale.order_id:
            sale.order.sources.filter(reference="").update(reference=reference)
    sale.unverified = False
    sale.verified_by = user
    sale.verified_at = timezone.now()
    sale.save(update_fields=["unverified", "verified_by", "verified_at", "reference"])
    return sale


def _lock_open_conflict(user, conflict) -> PosConflict:
    conflict = (
        PosConflict.objects.select_for_update(of=("self",))
        .select_related("sale__session__location__stock_location__lapas", "sale__session__cashier")
        .get(pk=conflict.pk)
    )
    _require_supervisor(user, conflict.sale.session.location.lapas)
    if conflict.is_resolved:
        raise PosError(_("This conflict is already resolved."), code="resolved", status=409)
    return conflict


def conflict_resolve_record(
    *, user, conflict: PosConflict, batch_codes: list[str | None], note: str = ""
) -> PosConflict:
    """Record a conflicting sale with units from other batches at its location.

    ``batch_codes`` gives, per line of the sale as sent, the batch to take it from
    (None: first-expiring first at the location). Stock still short: nothing changes
    and the message says which item; stock locked by other sales: the message says to
    try again.
    """
    try:
        return placement.with_lock_retry(
            lambda: _conflict_resolve_record(
                user=user, conflict=conflict, batch_codes=batch_codes, note=note
            )
        )
    except placement.StockBusy as busy:
        raise PosError(str(busy), code="busy", status=503) from None


def _conflict_resolve_record(*, user, conflict, batch_codes, note) -> PosConflict:
    conflict = _lock_open_conflict(user, conflict)
    sale = PosSale.objects.select_for_update(of=("self",)).get(pk=conflict.sale_id)
    location = sale.session.location
    lines = _parse_lines(sale.payload.get("lines"))
    if len(batch_codes) != len(lines):
        raise PosError(_("Choose a batch for every item."), field="batch")
    for line, code in zip(lines, batch_codes, strict=True):
        line.batch_code = (code or "").strip().upper()
    try:
        pinned = _pinned_batches(lines=lines, location=location)
        stock = LockedStock(
            product_ids={line.product.pk for line in lines}, locations=[location.stock_location]
        )
        plan = _take(stock, lines=lines, pinned=pinned, location=location)
    except _Conflict as still:
        raise PosError(still.message, code=still.reason) from None
    written = _orders_create(
        sales=[(sale, lines, pinned, plan)],
        location=location,
        user=user,
        stock=stock,
        context=_SyncContext(user=user, sales=[]),
    )
    sale.order = written[sale.pk][0]
    sale.save(update_fields=["order"])
    conflict.resolution = PosConflict.Resolution.RECORDED
    conflict.resolved_by = user
    conflict.resolved_at = timezone.now()
    conflict.note = (note or "").strip()
    conflict.save()
    return conflict


@transaction.atomic
def conflict_resolve_refund(*, user, conflict: PosConflict, note: str) -> PosConflict:
    """The buyer got their money back for a sale that could not be recorded.

    No order existed, so no PNBP was written and none is reversed; the refund is paid
    out of the session's money if the session is still open (its Z report shows it).
    """
    conflict = _lock_open_conflict(user, conflict)
    note = (note or "").strip()
    if not note:
        raise PosError(_("note: say how the buyer was refunded."), field="note")
    conflict.resolution = PosConflict.Resolution.REFUNDED
    conflict.refunded_amount = conflict.sale.total
    conflict.resolved_by = user
    conflict.resolved_at = timezone.now()
    conflict.note = note
    conflict.save()
    return conflict
