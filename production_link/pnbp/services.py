"""The PNBP ledger's one writer: sales, refund reversals, revenue splits, deposits, alerts.

Every rupiah a Lapas earns is booked here the moment a sale is paid; a refund books a
negative reversal of exactly what was given back. Entries and their lines are only ever
inserted (on PostgreSQL a trigger refuses UPDATE and DELETE). Recording twice is
impossible: the order (or refund) row is locked while its entries are written, and a
unique constraint per (order, Lapas) and (refund, Lapas) backs that up.

Shipping is not PNBP: only goods and services (the order lines, after discounts) are booked.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from ..bulk_insert import bulk_insert
from ..models import (
    Allocation,
    Deposit,
    DepositEntry,
    LedgerEntry,
    LedgerEntryLine,
    PnbpAlert,
    PublicHoliday,
    RevenueSplit,
)
from . import selectors as sel
from .money import apportion, fractions_of_entry, fractions_of_split, split_shares

Order = get_model("order", "Order")
Line = get_model("order", "Line")

SALE = LedgerEntry.Kind.SALE
REVERSAL = LedgerEntry.Kind.REVERSAL
ZERO = Decimal("0.00")
BILLING_CODE = re.compile(r"^\d{15}$")
NTPN = re.compile(r"^[0-9A-Z]{16}$")


class PnbpError(ValidationError):
    """A ledger or deposit step that is not allowed; the message says why."""


@dataclass
class _Part:
    """One (order line, batch) piece of an entry, before it is written."""

    line_id: int
    batch_id: int | None
    workshop_id: int | None
    quantity: int
    gross: Decimal


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _number(order) -> str:
    return order.number


# --- Sales -------------------------------------------------------------------------------


def _line_parts(line, allocations) -> list[_Part]:
    """A line's amount per batch its units came from, in whole rupiah, adding up exactly.

    Units still held by each allocation weigh its share; units with no allocation (a
    service, or stock not tracked by batch) form a part without a batch.
    """
    product_workshop = line.product_workshop
    pieces = [
        (a.batch_id, a.batch_workshop, a.held_quantity) for a in allocations if a.held_quantity > 0
    ]
    rest = line.quantity - sum(q for _b, _w, q in pieces)
    if rest > 0 or not pieces:
        pieces.append((None, product_workshop, max(rest, 0)))
    amounts = apportion(line.line_price_incl_tax, [q for _b, _w, q in pieces])
    return [
        _Part(line_id=line.pk, batch_id=b, workshop_id=w, quantity=q, gross=amount)
        for (b, w, q), amount in zip(pieces, amounts, strict=True)
    ]


def _write_entry(*, fields: dict, parts: list[_Part], premi: Decimal) -> LedgerEntry | None:
    """Insert an entry and its lines; None when a concurrent call inserted it first."""
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(**fields)
    except IntegrityError:
        return None
    LedgerEntryLine.objects.bulk_create(_entry_lines(entry, parts, premi))
    return entry


def _entry_lines(entry, parts: list[_Part], premi: Decimal) -> list[LedgerEntryLine]:
    premis = apportion(premi, [abs(p.gross) for p in parts]) if parts else []
    return [
        LedgerEntryLine(
            entry=entry,
            line_id=p.line_id,
            batch_id=p.batch_id,
            workshop_id=p.workshop_id,
            quantity=p.quantity,
            gross=p.gross,
            premi_amount=line_premi,
        )
        for p, line_premi in zip(parts, premis, strict=True)
    ]


@transaction.atomic
def pnbp_record_sale(*, order) -> list[LedgerEntry]:
    """Book a paid sale: one entry per Lapas whose goods are in the order. Idempotent.

    Called when an order is paid, online or at a point of sale. A second call returns the
    entries already booked. An order that is not paid is refused.
    """
    return pnbp_record_sales(orders=[order])[order.pk]


@transaction.atomic
def pnbp_record_sales(*, orders) -> dict[int, list[LedgerEntry]]:
    """Book many paid sales at once (a point of sale's synced queue): the same entries as
    pnbp_record_sale for each order, read and written with a fixed number of queries.

    All the orders are locked (in id order, so two callers cannot deadlock) before their
    entries are looked for, as one order is. Returns each order's entries by order id.
    Any order that cannot be booked refuses the whole call.
    """
    ids = sorted({order.pk for order in orders})
    if not ids:
        return {}
    locked = {o.pk: o for o in Order.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    lines_of: dict[int, list] = {pk: [] for pk in ids}
    # Only the workshops of products and batches are read, not the rows themselves: a
    # synced till queue books hundreds of lines at once.
    for line in (
        Line.objects.filter(order_id__in=ids)
        .select_related("partner")
        .annotate(product_workshop=F("product__workshop_id"))
        .order_by("pk")
    ):
        lines_of[line.order_id].append(line)
    existing: dict[int, dict[int, LedgerEntry]] = {pk: {} for pk in ids}
    for entry in LedgerEntry.objects.filter(order_id__in=ids, kind=SALE):
        existing[entry.order_id][entry.lapas_id] = entry

    by_order: dict[int, dict[int, list]] = {}
    result: dict[int, list[LedgerEntry]] = {}
    for pk in ids:
        order = locked[pk]
        by_lapas: dict[int, list] = {}
        for line in lines_of[pk]:
            if line.partner_id is None:
                raise PnbpError(
                    _("Line %(line)s of order %(number)s has no Lapas; its sale cannot be booked.")
                    % {"line": line.pk, "number": _number(order)}
                )
            by_lapas.setdefault(line.partner_id, []).append(line)
        if by_lapas and set(by_lapas) <= set(existing[pk]):
            result[pk] = [existing[pk][lapas_id] for lapas_id in by_lapas]
        else:
            by_order[pk] = by_lapas
    if not by_order:
        return result

    paid_at = sel.orders_paid_at(order_ids=list(by_order))
    for pk in by_order:
        order = locked[pk]
        if order.status not in sel.paid_statuses() and pk not in paid_at:
            raise PnbpError(
                _(
                    "Order %(number)s is not paid (it is %(status)s): PNBP is booked only when "
                    "the money has arrived."
                )
                % {"number": _number(order), "status": _status_label(order.status)}
            )
    allocations: dict[int, list] = {}
    for allocation in (
        Allocation.objects.filter(line__order_id__in=list(by_order))
        .annotate(batch_workshop=F("batch__workshop_id"))
        .order_by("pk")
    ):
        allocations.setdefault(allocation.line_id, []).append(allocation)
    planned = _entries_plan(
        by_order=by_order,
        orders=locked,
        paid_at=paid_at,
        allocations=allocations,
        existing=existing,
    )
    written = _write_entries(planned)
    for pk, by_lapas in by_order.items():
        entries = []
        for lapas_id in by_lapas:
            entry = existing[pk].get(lapas_id) or written.get((pk, lapas_id))
            if entry is None:  # booked meanwhile by a concurrent call
                entry = LedgerEntry.objects.get(order_id=pk, lapas_id=lapas_id, kind=SALE)
            entries.append(entry)
        result[pk] = entries
    return result


def _entries_plan(*, by_order, orders, paid_at, allocations, existing=None) -> list:
    """The entries to write: (order pk, lapas id, entry fields, parts, premi) per order
    and Lapas not booked yet. ``by_order``: {order pk: {lapas id: lines}}, each line with
    ``partner`` and ``product_workshop``; ``allocations``: {line id: allocations}, each
    with ``batch_workshop``."""
    existing = existing or {}
    splits: dict[tuple, object] = {}
    now = timezone.now()
    planned = []
    for pk, by_lapas in by_order.items():
        order = orders[pk]
        received_at = paid_at.get(pk) or now
        received_on = timezone.localtime(received_at).date()
        for lapas_id, lapas_lines in by_lapas.items():
            if lapas_id in existing.get(pk, {}):
                continue
            lapas = lapas_lines[0].partner
            gross = _money(sum((line.line_price_incl_tax for line in lapas_lines), ZERO))
            if (lapas_id, received_on) not in splits:
                splits[(lapas_id, received_on)] = sel.revenue_split_in_force(
                    lapas=lapas, on=received_on
                )
            split = splits[(lapas_id, received_on)]
            shares = split_shares(gross, **fractions_of_split(split))
            parts = [
                part
                for line in lapas_lines
                for part in _line_parts(line, allocations.get(line.pk, []))
            ]
            fields = {
                "lapas": lapas,
                "kind": SALE,
                "order": order,
                "channel": order.channel,
                "account_code": lapas.pnbp_account_code,
                "gross": gross,
                "pnbp_amount": shares.pnbp,
                "premi_amount": shares.premi,
                "working_capital_amount": shares.working_capital,
                "programme_amount": shares.programme,
                "split": split,
                "due_at": received_at,
            }
            planned.append((pk, lapas_id, fields, parts, shares.premi))
    return planned


def pnbp_record_placed_sales(*, orders, paid_at) -> dict[int, list[LedgerEntry]]:
    """Book sales paid in the very transaction that placed them (a point of sale's
    counter sales, through shop.payments.services): the entries pnbp_record_sales would
    write, from what the placement holds in memory, in two inserts.

    No other transaction can see these orders yet, so nothing is locked and no entry is
    looked for; the unique constraint per (order, Lapas) still stands behind it (a
    violation rolls the whole placement back). Each order carries ``placed_lines`` (its
    lines, with ``partner`` and ``product`` set), each line ``placed_allocations`` (its
    allocations, with ``batch_workshop``); ``paid_at``: {order pk: moment recorded}.
    """
    by_order: dict[int, dict[int, list]] = {}
    allocations: dict[int, list] = {}
    for order in orders:
        by_lapas = by_order.setdefault(order.pk, {})
        for line in order.placed_lines:
            if line.partner_id is None:
                raise PnbpError(
                    _("Line %(line)s of order %(number)s has no Lapas; its sale cannot be booked.")
                    % {"line": line.pk, "number": _number(order)}
                )
            line.product_workshop = line.product.workshop_id
            by_lapas.setdefault(line.partner_id, []).append(line)
            allocations[line.pk] = line.placed_allocations
    planned = _entries_plan(
        by_order=by_order,
        orders={order.pk: order for order in orders},
        paid_at=paid_at,
        allocations=allocations,
    )
    written = _write_entries(planned, fresh=True)
    return {
        pk: [written[(pk, lapas_id)] for lapas_id in by_lapas] for pk, by_lapas in by_order.items()
    }


def _write_entries(planned, *, fresh: bool = False) -> dict[tuple[int, int], LedgerEntry]:
    """Insert planned entries and their lines: in two statements, or one by one (each
    tolerating a concurrent insert, as _write_entry does) if the unique constraint says
    one of them exists already. ``fresh``: the orders were placed in this transaction, no
    one else can have booked them: no savepoint, a violation rolls everything back."""
    if not planned:
        return {}
    try:
        with transaction.atomic(savepoint=not fresh):
            entries = bulk_insert(
                [LedgerEntry(**fields) for _pk, _lapas, fields, _parts, _premi in planned]
            )
    except IntegrityError:
        if fresh:
            raise
        return {
            (pk, lapas_id): entry
            for pk, lapas_id, fields, parts, premi in planned
            if (entry := _write_entry(fields=fields, parts=parts, premi=premi)) is not None
        }
    bulk_insert(
        [
            line
            for entry, (_pk, _lapas, _fields, parts, premi) in zip(entries, planned, strict=True)
            for line in _entry_lines(entry, parts, premi)
        ],
        with_ids=False,
    )
    return {
        (pk, lapas_id): entry
        for entry, (pk, lapas_id, _f, _p, _m) in zip(entries, planned, strict=True)
    }


def _status_label(status: str) -> str:
    return get_class("order.statuses", "label")(status)


# --- Refunds -----------------------------------------------------------------------------


@dataclass
class _Position:
    """What is still booked (sales less reversals) for one (order line, batch)."""

    line_id: int
    lapas_id: int
    batch_id: int | None
    workshop_id: int | None
    quantity: int
    gross: Decimal
    first_pk: int


def _positions(order) -> dict[tuple, _Position]:
    positions: dict[tuple, _Position] = {}
    for row in (
        LedgerEntryLine.objects.filter(entry__order=order).select_related("entry").order_by("pk")
    ):
        key = (row.line_id, row.batch_id)
        position = positions.get(key)
        if position is None:
            position = positions[key] = _Position(
                line_id=row.line_id,
                lapas_id=row.entry.lapas_id,
                batch_id=row.batch_id,
                workshop_id=row.workshop_id,
                quantity=0,
                gross=ZERO,
                first_pk=row.pk,
            )
        position.quantity += row.quantity
        position.gross += row.gross
    return positions


def _reverse_line(refund_line, positions: list[_Position]) -> list[_Part]:
    """Parts reversing one refunded line: units from the newest batch first (the units
    a buyer returns are most likely the last ones handed over, as restocking assumes),
    the amount over those units at what each still carries."""
    line = refund_line.line
    held_qty = sum(p.quantity for p in positions)
    held_gross = sum((p.gross for p in positions), ZERO)
    if refund_line.quantity > held_qty:
        raise PnbpError(
            _(
                "Line “%(title)s” of order %(number)s: %(wanted)d unit(s) refunded but only "
                "%(held)d are still booked."
            )
            % {
                "title": line.title,
                "number": line.order.number,
                "wanted": refund_line.quantity,
                "held": held_qty,
            }
        )
    if refund_line.amount > held_gross:
        raise PnbpError(
            _(
                "Line “%(title)s” of order %(number)s: %(amount)s refunded but only %(held)s is "
                "still booked. The ledger never reverses more than it recorded."
            )
            % {
                "title": line.title,
                "number": line.order.number,
                "amount": refund_line.amount,
                "held": held_gross,
            }
        )
    newest_first = sorted(positions, key=lambda p: p.first_pk, reverse=True)
    taken, remaining = [], refund_line.quantity
    for position in newest_first:
        if remaining == 0:
            break
        take = min(position.quantity, remaining)
        if take > 0:
            taken.append((position, take))
            remaining -= take
    weights = [position.gross * take / position.quantity for position, take in taken]
    amounts = apportion(refund_line.amount, weights) if taken else []
    if not taken or any(a > p.gross for (p, _t), a in zip(taken, amounts, strict=True)):
        # The amount does not fit the units' batches (a price adjusted by an earlier
        # amount-only refund): spread it over every batch of the line by what each carries.
        amounts = apportion(refund_line.amount, [p.gross for p in positions])
        quantities = {id(p): take for p, take in taken}
        return [
            _Part(
                line_id=p.line_id,
                batch_id=p.batch_id,
                workshop_id=p.workshop_id,
                quantity=-quantities.get(id(p), 0),
                gross=-amount,
            )
            for p, amount in zip(positions, amounts, strict=True)
            if amount or quantities.get(id(p))
        ]
    return [
        _Part(
            line_id=p.line_id,
            batch_id=p.batch_id,
            workshop_id=p.workshop_id,
            quantity=-take,
            gross=-amount,
        )
        for (p, take), amount in zip(taken, amounts, strict=True)
    ]


def _reversal_shares(*, sale: LedgerEntry, amount: Decimal):
    """Shares of a reversal of ``amount`` (positive) that mirror the sale's split.

    Computed on the running total reversed for this sale, so several partial refunds that
    add up to the whole sale reverse every share exactly to zero.
    """
    before = LedgerEntry.objects.filter(order=sale.order_id, lapas=sale.lapas_id, kind=REVERSAL)
    sums = before.aggregate(
        gross=Sum("gross"),
        premi=Sum("premi_amount"),
        working=Sum("working_capital_amount"),
        programme=Sum("programme_amount"),
    )
    reversed_gross = -(sums["gross"] or ZERO)
    target = split_shares(reversed_gross + amount, **fractions_of_entry(sale))
    premi = target.premi + (sums["premi"] or ZERO)
    working = target.working_capital + (sums["working"] or ZERO)
    programme = target.programme + (sums["programme"] or ZERO)
    return {
        "pnbp_amount": -(amount - premi - working - programme),
        "premi_amount": -premi,
        "working_capital_amount": -working,
        "programme_amount": -programme,
    }


@transaction.atomic
def pnbp_record_refund(*, refund) -> list[LedgerEntry]:
    """Book the reversal of a completed refund: per Lapas, negative, exactly the goods and
    services given back. Idempotent per (refund, Lapas).

    Refunded lines reverse their amount (units from the newest batch first). A refund with
    no lines (an amount refunded at the payment provider) is spread over the order's Lapas
    and lines in proportion to what each still has booked. Shipping is not reversed: it was
    never PNBP. Refused: a refund that did not complete, or more than the ledger recorded.
    """
    Refund = get_model("payments", "Refund")

    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    existing = list(LedgerEntry.objects.filter(refund=refund, kind=REVERSAL).order_by("pk"))
    if existing:
        return existing
    if refund.status != Refund.Status.SUCCEEDED:
        raise PnbpError(
            _(
                "Refund %(id)s has not completed (%(status)s); only money actually given back is reversed."
            )
            % {"id": refund.pk, "status": refund.get_status_display()}
        )
    sales = {e.lapas_id: e for e in LedgerEntry.objects.filter(order=order, kind=SALE)}
    if not sales:
        # A paid sale the ledger missed is booked now, so that its refund can be reversed.
        pnbp_record_sale(order=order)
        sales = {e.lapas_id: e for e in LedgerEntry.objects.filter(order=order, kind=SALE)}
    positions = _positions(order)
    refund_lines = list(refund.lines.select_related("line__order").order_by("pk"))
    plan: dict[int, list[_Part]] = {}
    if refund_lines:
        for refund_line in refund_lines:
            line_positions = [p for p in positions.values() if p.line_id == refund_line.line_id]
            if refund_line.line.order_id != order.pk or not line_positions:
                raise PnbpError(
                    _("Refund %(id)s names a line that is not booked for order %(number)s.")
                    % {"id": refund.pk, "number": order.number}
                )
            if refund_line.amount <= 0:
                continue
            parts = _reverse_line(refund_line, line_positions)
            plan.setdefault(line_positions[0].lapas_id, []).extend(parts)
    else:
        goods = sel.refund_goods_amount(refund)
        booked = [p for p in positions.values() if p.gross > 0]
        held = sum((p.gross for p in booked), ZERO)
        if goods > held:
            raise PnbpError(
                _(
                    "Refund %(id)s gives back %(amount)s for goods but order %(number)s has only "
                    "%(held)s booked. The ledger never reverses more than it recorded."
                )
                % {"id": refund.pk, "amount": goods, "number": order.number, "held": held}
            )
        if goods > 0:
            lapas_ids = sorted({p.lapas_id for p in booked})
            lapas_held = [
                sum((p.gross for p in booked if p.lapas_id == lapas_id), ZERO)
                for lapas_id in lapas_ids
            ]
            for lapas_id, lapas_amount in zip(lapas_ids, apportion(goods, lapas_held), strict=True):
                own = [p for p in booked if p.lapas_id == lapas_id]
                amounts = apportion(lapas_amount, [p.gross for p in own])
                plan[lapas_id] = [
                    _Part(
                        line_id=p.line_id,
                        batch_id=p.batch_id,
                        workshop_id=p.workshop_id,
                        quantity=0,
                        gross=-amount,
                    )
                    for p, amount in zip(own, amounts, strict=True)
                    if amount
                ]
    received_at = refund.completed_at or timezone.now()
    result = []
    for lapas_id, parts in sorted(plan.items()):
        amount = -sum((p.gross for p in parts), ZERO)
        if amount <= 0:
            continue
        sale = sales.get(lapas_id)
        if sale is None:
            raise PnbpError(
                _("Order %(number)s has no booked sale for this Lapas to reverse.")
                % {"number": order.number}
            )
        still_booked = sale.gross + (
            LedgerEntry.objects.filter(order=order, lapas_id=lapas_id, kind=REVERSAL).aggregate(
                total=Sum("gross")
            )["total"]
            or ZERO
        )
        if amount > still_booked:
            raise PnbpError(
                _(
                    "Refund %(id)s would reverse %(amount)s for %(lapas)s but only %(held)s is "
                    "still booked. The ledger never reverses more than it recorded."
                )
                % {
                    "id": refund.pk,
                    "amount": amount,
                    "lapas": sale.lapas,
                    "held": still_booked,
                }
            )
        shares = _reversal_shares(sale=sale, amount=amount)
        entry = _write_entry(
            fields={
                "lapas_id": lapas_id,
                "kind": REVERSAL,
                "order": order,
                "refund": refund,
                "channel": sale.channel,
                "account_code": sale.account_code,
                "gross": -amount,
                "split": sale.split,
                "due_at": received_at,
                **shares,
            },
            parts=parts,
            premi=shares["premi_amount"],
        )
        if entry is None:
            entry = LedgerEntry.objects.get(refund=refund, lapas_id=lapas_id, kind=REVERSAL)
        result.append(entry)
    return result


# --- Revenue split -----------------------------------------------------------------------


def _percent(value, field: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except ArithmeticError:
        errors[field] = _("Enter a percentage, e.g. 12.5.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a percentage, e.g. 12.5.")
        return None
    if number < 0:
        errors[field] = _("A share cannot be negative.")
        return None
    if number > 100:
        errors[field] = _("A share cannot be more than 100 percent.")
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = _("Use at most two decimals.")
        return None
    return number.quantize(Decimal("0.01"))


def revenue_split_errors(
    *, lapas, effective_from, pnbp, premi, working_capital, programme
) -> tuple[dict, dict]:
    """The checks of a new split, for the service and for forms: (errors, clean shares)."""
    errors: dict = {}
    shares = {
        "pnbp_percent": _percent(pnbp, "pnbp_percent", errors),
        "premi_percent": _percent(premi, "premi_percent", errors),
        "working_capital_percent": _percent(working_capital, "working_capital_percent", errors),
        "programme_percent": _percent(programme, "programme_percent", errors),
    }
    if not errors and sum(shares.values()) != 100:
        errors["__all__"] = _("The shares must add up to 100 (now they add up to %(total)s).") % {
            "total": sum(shares.values())
        }
    if effective_from is None:
        errors["effective_from"] = _("Enter the date the split applies from.")
    elif LedgerEntry.objects.filter(
        lapas=lapas, due_at__date__gte=effective_from, kind=SALE
    ).exists():
        errors["effective_from"] = _(
            "Sales from this date on are already booked with the split in force then; choose a "
            "later date."
        )
    return errors, shares


@transaction.atomic
def revenue_split_set(
    *, lapas, effective_from, pnbp, premi, working_capital, programme, user
) -> RevenueSplit:
    """Set how a Lapas divides its proceeds from a date on. Shares are percentages
    (two decimals, none negative) adding up to 100; the default without any split is 100 %
    PNBP. A split cannot start where sales are already booked: their amounts were stored
    with the split then in force."""
    if not sel.user_may_act_for_lapas(user=user, lapas=lapas, perm="add_revenuesplit"):
        raise PermissionDenied(_("You may only set the revenue split of your own Lapas."))
    errors, shares = revenue_split_errors(
        lapas=lapas,
        effective_from=effective_from,
        pnbp=pnbp,
        premi=premi,
        working_capital=working_capital,
        programme=programme,
    )
    if errors:
        raise PnbpError(errors)
    split, _created = RevenueSplit.objects.update_or_create(
        lapas=lapas, effective_from=effective_from, defaults={**shares, "created_by": user}
    )
    return split


# --- Public holidays ------------------------------------------------------------------


@transaction.atomic
def public_holidays_confirm(*, holiday_ids, user) -> int:
    """Mark proposed holidays (loaded from data/reference/holidays.yaml, to be checked
    against the year's joint decree) as confirmed; returns how many changed. Central
    admins only: one list serves every Lapas's deposit deadlines. Confirming twice changes
    nothing the second time."""
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied(_("Only a central admin may confirm public holidays."))
    return PublicHoliday.objects.filter(pk__in=list(holiday_ids), confirmed=False).update(
        confirmed=True
    )


# --- Deposits (setoran) ---------------------------------------------------------------


def _require(user, lapas, perm: str, message):
    if not sel.user_may_act_for_lapas(user=user, lapas=lapas, perm=perm):
        raise PermissionDenied(message)


def _locked_deposit(deposit_id: int) -> Deposit:
    try:
        return Deposit.objects.select_for_update().select_related("lapas").get(pk=deposit_id)
    except Deposit.DoesNotExist as missing:
        raise PnbpError(_("There is no deposit %(id)s.") % {"id": deposit_id}) from missing


def _refuse_if_paid(deposit: Deposit):
    if deposit.status == Deposit.Status.PAID:
        raise PnbpError(
            _("Deposit %(id)s has its NTPN (%(ntpn)s): it is closed for changes.")
            % {"id": deposit.pk, "ntpn": deposit.ntpn}
        )


@transaction.atomic
def deposit_create(*, lapas, entry_ids, user) -> Deposit:
    """Group undeposited entries of one Lapas into a deposit whose amount is their PNBP.

    Reversals may be included (they lower the amount); the total must be above zero. An
    entry belongs to at most one deposit. Submitting the same entries twice (a double
    click) returns the deposit made the first time.
    """
    _require(user, lapas, "add_deposit", _("You may only deposit the PNBP of your own Lapas."))
    ids = sorted({int(pk) for pk in entry_ids})
    if not ids:
        raise PnbpError({"entries": _("Choose at least one ledger entry to deposit.")})
    # Locking the entries (a row lock; the rows are not changed) serialises two treasurers
    # grouping the same entries.
    entries = list(
        LedgerEntry.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    )
    if len(entries) != len(ids) or any(e.lapas_id != lapas.pk for e in entries):
        raise PnbpError(
            {"entries": _("Only entries of %(lapas)s can go into its deposit.") % {"lapas": lapas}}
        )
    taken = {
        item.entry_id: item.deposit_id
        for item in DepositEntry.objects.filter(entry_id__in=ids).select_related("deposit")
    }
    if taken:
        deposits = set(taken.values())
        if len(taken) == len(ids) and len(deposits) == 1:
            deposit = Deposit.objects.get(pk=deposits.pop())
            if deposit.items.count() == len(ids):
                return deposit  # the same request again: already applied
        raise PnbpError(
            {
                "entries": _("%(count)d of these entries are already in deposit %(deposits)s.")
                % {
                    "count": len(taken),
                    "deposits": ", ".join(str(d) for d in sorted(set(taken.values()))),
                }
            }
        )
    amount = sum((e.pnbp_amount for e in entries), ZERO)
    if amount <= 0:
        raise PnbpError(
            {
                "entries": _(
                    "These entries add up to %(amount)s: a deposit must be more than zero. "
                    "Add sales to the refund reversals."
                )
                % {"amount": amount}
            }
        )
    deposit = Deposit.objects.create(lapas=lapas, amount=amount, created_by=user)
    try:
        with transaction.atomic():
            DepositEntry.objects.bulk_create(
                [DepositEntry(deposit=deposit, entry=entry) for entry in entries]
            )
    except IntegrityError as clash:
        raise PnbpError(
            {
                "entries": _(
                    "Some of these entries were just put in another deposit; reload the page."
                )
            }
        ) from clash
    return deposit


@transaction.atomic
def deposit_set_billing(*, deposit_id: int, billing_code: str, expires_at, user) -> Deposit:
    """Record the 15-digit SIMPONI billing code of a deposit and when it expires.

    A new code replaces the old one (after it expired, or to correct a typing error) as long
    as no NTPN is recorded. The same code and expiry again changes nothing.
    """
    deposit = _locked_deposit(deposit_id)
    _require(
        user, deposit.lapas, "change_deposit", _("You may only change deposits of your own Lapas.")
    )
    code = re.sub(r"[\s.-]", "", billing_code or "")
    if deposit.status == Deposit.Status.PAID:
        _refuse_if_paid(deposit)
    errors = {}
    if not BILLING_CODE.match(code):
        errors["billing_code"] = _("A billing code is exactly 15 digits.")
    if expires_at is None:
        errors["billing_expires_at"] = _("Enter when the billing code expires.")
    elif timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if errors:
        raise PnbpError(errors)
    if deposit.billing_code == code and deposit.billing_expires_at == expires_at:
        return deposit
    deposit.billing_code = code
    deposit.billing_expires_at = expires_at
    deposit.status = Deposit.Status.BILLED
    deposit.save(update_fields=["billing_code", "billing_expires_at", "status", "updated_at"])
    return deposit


@transaction.atomic
def deposit_record_ntpn(*, deposit_id: int, ntpn: str, paid_on, user) -> Deposit:
    """Record the 16-character NTPN and payment date from the bank's receipt; the deposit
    is then closed. The billing code must have been valid on the day it was paid: an
    expired code must first be replaced by a new one. The same NTPN again changes nothing.
    """
    deposit = _locked_deposit(deposit_id)
    _require(
        user, deposit.lapas, "change_deposit", _("You may only change deposits of your own Lapas.")
    )
    ntpn = re.sub(r"\s", "", ntpn or "").upper()
    if deposit.status == Deposit.Status.PAID:
        if deposit.ntpn == ntpn:
            return deposit
        _refuse_if_paid(deposit)
    errors = {}
    if not NTPN.match(ntpn):
        errors["ntpn"] = _("An NTPN is exactly 16 capital letters or digits.")
    today = timezone.localdate()
    if paid_on is None:
        errors["paid_on"] = _("Enter the payment date on the bank's receipt.")
    elif paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    else:
        latest = deposit.items.aggregate(latest=Max("entry__due_at"))["latest"]
        if latest and paid_on < timezone.localtime(latest).date():
            errors["paid_on"] = _(
                "The payment date is before the newest entry of this deposit was received."
            )
    if errors:
        raise PnbpError(errors)
    if not deposit.billing_code:
        raise PnbpError({"billing_code": _("Record the billing code before the NTPN.")})
    if timezone.localtime(deposit.billing_expires_at).date() < paid_on:
        raise PnbpError(
            {
                "billing_code": _(
                    "The billing code expired on %(date)s, before the payment date. Get a new "
                    "billing code, record it, then record the NTPN."
                )
                % {"date": timezone.localtime(deposit.billing_expires_at).strftime("%d-%m-%Y")}
            }
        )
    if Deposit.objects.filter(ntpn=ntpn).exclude(pk=deposit.pk).exists():
        raise PnbpError({"ntpn": _("This NTPN is already recorded on another deposit.")})
    deposit.ntpn = ntpn
    deposit.paid_on = paid_on
    deposit.status = Deposit.Status.PAID
    deposit.ntpn_recorded_by = user
    deposit.ntpn_recorded_at = timezone.now()
    try:
        with transaction.atomic():
            deposit.save(
                update_fields=[
                    "ntpn",
                    "paid_on",
                    "status",
                    "ntpn_recorded_by",
                    "ntpn_recorded_at",
                    "updated_at",
                ]
            )
    except IntegrityError as clash:
        raise PnbpError({"ntpn": _("This NTPN is already recorded on another deposit.")}) from clash
    return deposit


@transaction.atomic
def deposit_cancel(*, deposit_id: int, user) -> int:
    """Withdraw a deposit that has no NTPN yet; its entries are free to deposit again.
    Returns the number of entries freed (0 when it was already gone)."""
    try:
        deposit = Deposit.objects.select_for_update().select_related("lapas").get(pk=deposit_id)
    except Deposit.DoesNotExist:
        return 0
    _require(
        user, deposit.lapas, "delete_deposit", _("You may only change deposits of your own Lapas.")
    )
    _refuse_if_paid(deposit)
    freed, _detail = DepositEntry.objects.filter(deposit=deposit).delete()
    deposit.delete()
    return freed


# --- Deadline alerts ----------------------------------------------------------------------


@transaction.atomic
def pnbp_alerts_raise(*, now=None, notify: bool = True) -> dict[int, int]:
    """Flag every sale not deposited by its deadline, once per entry, and queue one email
    per Lapas to its treasurers about the alerts they have not been told of yet.

    Returns the number of new alerts per Lapas id. Safe to run again: an entry is flagged
    once, and each alert is emailed once (production_link.notifications).
    """
    raised: dict[int, int] = {}
    overdue = sel.pnbp_overdue_entries(now=now)
    flagged = set(
        PnbpAlert.objects.filter(entry_id__in=[o.entry.pk for o in overdue]).values_list(
            "entry_id", flat=True
        )
    )
    new = [
        PnbpAlert(entry=o.entry, lapas_id=o.entry.lapas_id, deadline=o.deadline)
        for o in overdue
        if o.entry.pk not in flagged
    ]
    PnbpAlert.objects.bulk_create(new, ignore_conflicts=True)
    for alert in new:
        raised[alert.lapas_id] = raised.get(alert.lapas_id, 0) + 1
    if notify:
        from ..tasks import pnbp_notify_treasurers

        for lapas_id in sorted(
            set(
                PnbpAlert.objects.filter(emailed_at__isnull=True).values_list("lapas_id", flat=True)
            )
        ):
            transaction.on_commit(lambda lapas_id=lapas_id: pnbp_notify_treasurers.delay(lapas_id))
    return raised
