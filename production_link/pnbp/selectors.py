"""Reads of the PNBP ledger: who may see what, splits in force, deposit deadlines, the state
of entries, overdue alerts and the reconciliation of the ledger with sales and refunds.

Writes live in ``production_link.pnbp.services``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_classes, get_model

from ..models import (
    Deposit,
    DepositEntry,
    LedgerEntry,
    LedgerEntryLine,
    PnbpAlert,
    PublicHoliday,
    RevenueSplit,
)
from ..selectors import lapas_for_user

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")
PaymentEvent = get_model("order", "PaymentEvent")

# The payment event shop.payments.services.order_mark_paid records (its PAID_EVENT); not
# imported from there because the payments service will call the ledger service.
PAID_EVENT_NAME = "Paid"
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def paid_statuses() -> tuple[str, ...]:
    """Order statuses that mean the money has arrived (a POS sale is paid when made);
    refunded and partly refunded orders were paid too."""
    # Through Oscar's loader (the forked order app's statuses module), so that this
    # package imports nothing from shop.
    paid, refunded = get_classes("order.statuses", ["PAID_STATUSES", "REFUNDED"])
    return (*paid, refunded)


# --- Access --------------------------------------------------------------------------


def user_may_view_pnbp(user) -> bool:
    """Treasurers, Kalapas and central admins; scoping to a Lapas is separate."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("production_link.view_ledgerentry"))
    )


def user_has_pnbp_perm(user, perm: str) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(f"production_link.{perm}"))
    )


def pnbp_lapas_for_user(user) -> QuerySet:
    """The Lapas whose ledger a user may see: none without the ledger permission."""
    if not user_may_view_pnbp(user):
        return Partner.objects.none()
    return lapas_for_user(user)


def user_may_act_for_lapas(*, user, lapas, perm: str) -> bool:
    return user_has_pnbp_perm(user, perm) and lapas_for_user(user).filter(pk=lapas.pk).exists()


def lapas_by_code(code: str):
    """A Lapas by its satker code or its short code (as the reconcile command takes it)."""
    code = (code or "").strip()
    return Partner.objects.filter(Q(satker_code=code) | Q(short_code=code.upper())).first()


# --- Orders ----------------------------------------------------------------------------


def order_paid_at(order) -> datetime.datetime | None:
    """When the order's money arrived: when the one mark-paid service recorded it (its
    OrderPayment), else (an order from before those records) its first "Paid" event. A
    "Paid" event added by another path never moves the PNBP deadline earlier."""
    return orders_paid_at(order_ids=[order.pk]).get(order.pk)


def orders_paid_at(*, order_ids) -> dict[int, datetime.datetime]:
    """order_paid_at of many orders in two queries at most: {order id: moment}, for the
    orders that have one."""
    order_ids = list(order_ids)
    OrderPayment = get_model("payments", "OrderPayment")
    found = dict(
        OrderPayment.objects.filter(order_id__in=order_ids).values_list("order_id", "recorded_at")
    )
    rest = [pk for pk in order_ids if pk not in found]
    if rest:
        for order_id, moment in (
            PaymentEvent.objects.filter(order_id__in=rest, event_type__name=PAID_EVENT_NAME)
            .order_by("date_created", "pk")
            .values_list("order_id", "date_created")
        ):
            found.setdefault(order_id, moment)
    return found


def paid_orders() -> QuerySet:
    """Orders whose money arrived, online or at a point of sale, annotated with ``paid_at``.

    Paid means a recorded payment (payments.OrderPayment, written only by the mark-paid
    service): a payment event or a status set some other way does not make an order paid
    here either."""
    return Order.objects.filter(recorded_payment__isnull=False).annotate(
        paid_at=F("recorded_payment__recorded_at")
    )


# --- Revenue split -------------------------------------------------------------------


def revenue_split_in_force(*, lapas, on: datetime.date) -> RevenueSplit | None:
    """The split a Lapas applies on a date; None means the default, 100 % PNBP."""
    return (
        RevenueSplit.objects.filter(lapas=lapas, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def revenue_splits_for_user(user) -> QuerySet:
    return RevenueSplit.objects.filter(lapas__in=pnbp_lapas_for_user(user)).select_related(
        "lapas", "created_by"
    )


# --- Working days and the deposit deadline --------------------------------------------


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(
        PublicHoliday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: datetime.date, holidays: set[datetime.date] | None = None):
    """The first working day after ``day``: not a Saturday, Sunday or public holiday."""
    if holidays is None:
        holidays = holidays_between(day, day + datetime.timedelta(days=60))
    candidate = day + datetime.timedelta(days=1)
    while not is_working_day(candidate, holidays):
        candidate += datetime.timedelta(days=1)
    return candidate


def pnbp_deadline(*, due_at: datetime.datetime, holidays: set | None = None):
    """PNBP must be deposited by the end of the working day after it was received:
    23:59:59 Jakarta time of the next working day after the (local) day of ``due_at``."""
    received_on = timezone.localtime(due_at).date()
    day = next_working_day(received_on, holidays)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


# --- Entries and deposits ---------------------------------------------------------------


class EntryState:
    UNDEPOSITED = "undeposited"
    IN_DEPOSIT = "in_deposit"
    DEPOSITED = "deposited"

    @staticmethod
    def choices():
        return [
            (EntryState.UNDEPOSITED, _("Not in a deposit")),
            (EntryState.IN_DEPOSIT, _("In a deposit, awaiting NTPN")),
            (EntryState.DEPOSITED, _("Deposited (NTPN recorded)")),
        ]


def entries_for_user(user) -> QuerySet:
    """Ledger entries of the Lapas a user may see, with their deposit (if any)."""
    return (
        LedgerEntry.objects.filter(lapas__in=pnbp_lapas_for_user(user))
        .select_related("lapas", "order", "refund", "split", "deposit_item__deposit")
        .order_by("-due_at", "-pk")
    )


def entries_in_state(entries: QuerySet, state: str) -> QuerySet:
    if state == EntryState.UNDEPOSITED:
        return entries.filter(deposit_item__isnull=True)
    if state == EntryState.IN_DEPOSIT:
        return entries.filter(deposit_item__isnull=False).exclude(
            deposit_item__deposit__status=Deposit.Status.PAID
        )
    if state == EntryState.DEPOSITED:
        return entries.filter(deposit_item__deposit__status=Deposit.Status.PAID)
    return entries


def entry_state(entry) -> str:
    item = getattr(entry, "deposit_item", None)
    if item is None:
        return EntryState.UNDEPOSITED
    if item.deposit.status == Deposit.Status.PAID:
        return EntryState.DEPOSITED
    return EntryState.IN_DEPOSIT


def entry_lines(*, entry) -> QuerySet:
    """The detail of an entry: line, product, batch and workshop. Never a person."""
    return entry.lines.select_related("line__product", "batch", "workshop").order_by("pk")


def deposits_for_user(user) -> QuerySet:
    return (
        Deposit.objects.filter(lapas__in=pnbp_lapas_for_user(user))
        .select_related("lapas", "created_by", "ntpn_recorded_by")
        .annotate(entry_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def deposit_entries(*, deposit) -> QuerySet:
    return (
        LedgerEntry.objects.filter(deposit_item__deposit=deposit)
        .select_related("order", "lapas")
        .order_by("due_at", "pk")
    )


def deposit_billing_expired(*, deposit, at: datetime.datetime | None = None) -> bool:
    if not deposit.billing_expires_at:
        return False
    return deposit.billing_expires_at <= (at or timezone.now())


def _net_by_order_lapas(entries: list) -> dict[tuple[int, int], Decimal]:
    keys = {(e.order_id, e.lapas_id) for e in entries}
    if not keys:
        return {}
    rows = (
        LedgerEntry.objects.filter(
            order_id__in={k[0] for k in keys}, lapas_id__in={k[1] for k in keys}
        )
        .values("order_id", "lapas_id")
        .annotate(net=Sum("gross"))
    )
    return {(r["order_id"], r["lapas_id"]): r["net"] for r in rows}


@dataclass(frozen=True)
class OverdueEntry:
    entry: LedgerEntry
    deadline: datetime.datetime


def pnbp_overdue_entries(*, lapas=None, lapas_in=None, now=None) -> list[OverdueEntry]:
    """Sale entries not yet deposited (no NTPN) whose deadline has passed.

    A sale whose proceeds were refunded in full before they were deposited owes nothing
    and is left out.
    """
    now = now or timezone.now()
    # The deadline is at least the end of the next day: nothing newer can be overdue.
    candidates = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.SALE, due_at__lt=now - datetime.timedelta(days=1)
    ).exclude(deposit_item__deposit__status=Deposit.Status.PAID)
    if lapas is not None:
        candidates = candidates.filter(lapas=lapas)
    if lapas_in is not None:
        candidates = candidates.filter(lapas__in=lapas_in)
    candidates = list(candidates.select_related("lapas", "order").order_by("due_at", "pk"))
    if not candidates:
        return []
    first = timezone.localtime(candidates[0].due_at).date()
    holidays = holidays_between(first, timezone.localdate(now) + datetime.timedelta(days=60))
    net = _net_by_order_lapas(candidates)
    overdue = []
    for entry in candidates:
        if net.get((entry.order_id, entry.lapas_id), ZERO) <= 0:
            continue
        deadline = pnbp_deadline(due_at=entry.due_at, holidays=holidays)
        if deadline < now:
            overdue.append(OverdueEntry(entry=entry, deadline=deadline))
    return overdue


def deadlines_for(entries) -> dict[int, datetime.datetime]:
    """Deadlines of a page of entries, with one holiday query."""
    entries = list(entries)
    if not entries:
        return {}
    days = [timezone.localtime(e.due_at).date() for e in entries]
    holidays = holidays_between(min(days), max(days) + datetime.timedelta(days=60))
    return {e.pk: pnbp_deadline(due_at=e.due_at, holidays=holidays) for e in entries}


def open_alerts_for_user(user) -> QuerySet:
    """Overdue alerts of the user's Lapas whose entry is still not deposited."""
    return (
        PnbpAlert.objects.filter(lapas__in=pnbp_lapas_for_user(user))
        .exclude(entry__deposit_item__deposit__status=Deposit.Status.PAID)
        .select_related("entry__order", "lapas")
        .order_by("deadline", "pk")
    )


def pnbp_deposited_total(*, year: int) -> Decimal:
    """PNBP paid into the state treasury in a year: the PNBP amounts of the entries of every
    deposit with an NTPN paid that year."""
    total = LedgerEntry.objects.filter(
        deposit_item__deposit__status=Deposit.Status.PAID,
        deposit_item__deposit__paid_on__year=year,
    ).aggregate(total=Sum("pnbp_amount"))["total"]
    return total or ZERO


def lapas_undeposited_total(*, lapas) -> Decimal:
    total = LedgerEntry.objects.filter(lapas=lapas, deposit_item__isnull=True).aggregate(
        total=Sum("pnbp_amount")
    )["total"]
    return total or ZERO


# --- Reconciliation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str
    message: str
    lapas: str = ""
    order: str = ""
    refund_id: int | None = None
    deposit_id: int | None = None
    expected: Decimal | None = None
    recorded: Decimal | None = None

    def __str__(self):
        where = " ".join(
            part
            for part in (
                f"[{self.lapas}]" if self.lapas else "",
                f"order {self.order}" if self.order else "",
                f"refund {self.refund_id}" if self.refund_id else "",
                f"deposit {self.deposit_id}" if self.deposit_id else "",
            )
            if part
        )
        amounts = ""
        if self.expected is not None or self.recorded is not None:
            amounts = f" (expected {self.expected}, recorded {self.recorded})"
        return f"{self.kind}: {where}: {self.message}{amounts}"


def _day_bounds(date_from, date_to):
    start = (
        timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
        if date_from
        else None
    )
    end = (
        timezone.make_aware(
            datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
        )
        if date_to
        else None
    )
    return start, end


def _in_range(field: str, start, end) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lt": end})
    return q


def refund_goods_amount(refund) -> Decimal:
    """What a refund gave back for goods and services (its lines, else the amount less
    shipping): the part that is reversed in the ledger."""
    lines = list(refund.lines.all())
    if lines:
        return sum((line.amount for line in lines), ZERO)
    return max(refund.amount - refund.shipping_amount, ZERO)


def pnbp_reconcile_differences(
    *, lapas=None, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[Difference]:
    """Compare the ledger with paid orders (online and point of sale), refunds and deposits.

    Each difference is one of: a paid sale with no entry, an entry whose amount is not the
    sale's goods (shipping excluded), an entry for an order never paid, an entry whose lines
    do not add up, a completed refund with no or a wrong reversal, a reversal of a refund
    that did not complete, and a deposit whose amount is not the PNBP of its entries.
    Dates (Jakarta days, inclusive) select by when the money moved.
    """
    Refund = get_model("payments", "Refund")

    start, end = _day_bounds(date_from, date_to)
    differences: list[Difference] = []
    lapas_names = dict(Partner.objects.values_list("pk", "short_code"))

    def code(lapas_id):
        return lapas_names.get(lapas_id) or str(lapas_id)

    # Sales: orders paid in the period, plus orders of sale entries dated in the period.
    paid = paid_orders().filter(_in_range("paid_at", start, end))
    sale_entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE)
    if lapas is not None:
        paid = paid.filter(lines__partner=lapas).distinct()
        sale_entries = sale_entries.filter(lapas=lapas)
    paid_ids = set(paid.values_list("pk", flat=True))
    dated_entry_orders = set(
        sale_entries.filter(_in_range("due_at", start, end)).values_list("order_id", flat=True)
    )
    order_ids = paid_ids | dated_entry_orders
    all_paid_ids = set(paid_orders().filter(pk__in=order_ids).values_list("pk", flat=True))
    numbers = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "number"))

    expected_rows = Line.objects.filter(order_id__in=order_ids)
    if lapas is not None:
        expected_rows = expected_rows.filter(partner=lapas)
    expected = {
        (r["order_id"], r["partner_id"]): r["total"]
        for r in expected_rows.values("order_id", "partner_id").annotate(
            total=Sum("line_price_incl_tax")
        )
    }
    recorded = {
        (e["order_id"], e["lapas_id"]): e["gross"]
        for e in sale_entries.filter(order_id__in=order_ids).values("order_id", "lapas_id", "gross")
    }
    for key in sorted(set(expected) | set(recorded)):
        order_id, lapas_id = key
        want, have = expected.get(key), recorded.get(key)
        where = {"lapas": code(lapas_id), "order": numbers.get(order_id, str(order_id))}
        if order_id not in all_paid_ids:
            if have is not None:
                differences.append(
                    Difference(
                        kind="entry_for_unpaid_order",
                        message=_("a sale is recorded for an order that was never paid"),
                        recorded=have,
                        **where,
                    )
                )
            continue
        if have is None:
            if not want:
                continue  # nothing was sold for money (a line given away): nothing to book
            differences.append(
                Difference(
                    kind="missing_entry",
                    message=_("a paid sale has no ledger entry"),
                    expected=want,
                    **where,
                )
            )
        elif want is None or want != have:
            differences.append(
                Difference(
                    kind="amount_mismatch",
                    message=_("the entry is not the sale's goods and services"),
                    expected=want or ZERO,
                    recorded=have,
                    **where,
                )
            )

    # Every entry's lines add up to its gross.
    entries = LedgerEntry.objects.filter(_in_range("due_at", start, end))
    if lapas is not None:
        entries = entries.filter(lapas=lapas)
    line_sums = {
        r["entry_id"]: r["total"]
        for r in LedgerEntryLine.objects.filter(entry__in=entries)
        .values("entry_id")
        .annotate(total=Sum("gross"))
    }
    for entry in entries.select_related("order"):
        if line_sums.get(entry.pk, ZERO) != entry.gross:
            differences.append(
                Difference(
                    kind="lines_mismatch",
                    message=_("the entry's lines do not add up to its amount"),
                    lapas=code(entry.lapas_id),
                    order=entry.order.number,
                    expected=entry.gross,
                    recorded=line_sums.get(entry.pk, ZERO),
                )
            )

    # Refunds: completed ones in the period, plus refunds of reversals dated in the period.
    reversals = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL)
    refunds = Refund.objects.annotate(moved_at=Coalesce("completed_at", "created_at")).filter(
        _in_range("moved_at", start, end)
    )
    refund_ids = set(refunds.filter(status=Refund.Status.SUCCEEDED).values_list("pk", flat=True))
    refund_ids |= set(
        reversals.filter(_in_range("due_at", start, end)).values_list("refund_id", flat=True)
    )
    for refund in (
        Refund.objects.filter(pk__in=refund_ids)
        .select_related("order")
        .prefetch_related("lines__line")
        .order_by("pk")
    ):
        refund_reversals = reversals.filter(refund=refund)
        by_lapas = {
            r["lapas_id"]: -r["total"]
            for r in refund_reversals.values("lapas_id").annotate(total=Sum("gross"))
        }
        lines = list(refund.lines.all())
        if lapas is not None:
            touches = (
                any(rl.line.partner_id == lapas.pk for rl in lines)
                if lines
                else refund.order.lines.filter(partner=lapas).exists()
            )
            if not touches and lapas.pk not in by_lapas:
                continue
        where = {"order": refund.order.number, "refund_id": refund.pk}
        if refund.status != Refund.Status.SUCCEEDED:
            if by_lapas:
                differences.append(
                    Difference(
                        kind="reversal_for_unfinished_refund",
                        message=_("a reversal is recorded for a refund that did not complete"),
                        recorded=sum(by_lapas.values(), ZERO),
                        **where,
                    )
                )
            continue
        if lines:
            want_by_lapas: dict[int, Decimal] = {}
            for rl in lines:
                want_by_lapas[rl.line.partner_id] = (
                    want_by_lapas.get(rl.line.partner_id, ZERO) + rl.amount
                )
        else:
            goods = refund_goods_amount(refund)
            want_by_lapas = None
        if want_by_lapas is None:
            have = sum(by_lapas.values(), ZERO)
            if goods > 0 and not by_lapas:
                differences.append(
                    Difference(
                        kind="missing_reversal",
                        message=_("a completed refund has no reversal"),
                        expected=goods,
                        **where,
                    )
                )
            elif have != goods:
                differences.append(
                    Difference(
                        kind="reversal_mismatch",
                        message=_("the reversal is not what the refund gave back for goods"),
                        expected=goods,
                        recorded=have,
                        **where,
                    )
                )
            continue
        for lapas_id in sorted(set(want_by_lapas) | set(by_lapas)):
            if lapas is not None and lapas_id != lapas.pk:
                continue
            want, have = want_by_lapas.get(lapas_id, ZERO), by_lapas.get(lapas_id)
            if have is None and want > 0:
                differences.append(
                    Difference(
                        kind="missing_reversal",
                        message=_("a completed refund has no reversal"),
                        lapas=code(lapas_id),
                        expected=want,
                        **where,
                    )
                )
            elif have is not None and have != want:
                differences.append(
                    Difference(
                        kind="reversal_mismatch",
                        message=_("the reversal is not what the refund gave back for goods"),
                        lapas=code(lapas_id),
                        expected=want,
                        recorded=have,
                        **where,
                    )
                )

    # Deposits: the amount is the PNBP of the entries, all of the deposit's own Lapas.
    deposits = Deposit.objects.filter(_in_range("created_at", start, end))
    if lapas is not None:
        deposits = deposits.filter(lapas=lapas)
    deposits = deposits.annotate(
        entries_total=Coalesce(Sum("items__entry__pnbp_amount"), Value(ZERO), output_field=MONEY)
    )
    for deposit in deposits.order_by("pk"):
        if deposit.entries_total != deposit.amount:
            differences.append(
                Difference(
                    kind="deposit_mismatch",
                    message=_("the deposit's amount is not the PNBP of its entries"),
                    lapas=code(deposit.lapas_id),
                    deposit_id=deposit.pk,
                    expected=deposit.entries_total,
                    recorded=deposit.amount,
                )
            )
        other = DepositEntry.objects.filter(deposit=deposit).exclude(
            entry__lapas_id=deposit.lapas_id
        )
        if other.exists():
            differences.append(
                Difference(
                    kind="deposit_other_lapas",
                    message=_("the deposit holds entries of another Lapas"),
                    lapas=code(deposit.lapas_id),
                    deposit_id=deposit.pk,
                )
            )
    return differences
