"""Reads of invoices, scoped on the server: Lapas staff see their own Lapas's invoices,
central admins all; a buyer sees the invoices of their own orders (or their
organisation's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.order import statuses

from .models import Delivery, DeliveryLine, Invoice, InvoicePayment, InvoiceReminder
from .providers import INVOICE_SOURCE_TYPE

Order = get_model("order", "Order")
Line = get_model("order", "Line")

ZERO = Decimal("0.00")


# --- who may see what ----------------------------------------------------------------------


def lapas_ids_for(user) -> list[int] | None:
    """The Lapas a staff member acts for; None for central admins (every Lapas)."""
    if user.is_superuser or user.is_staff:
        return None
    return list(user.partners.values_list("pk", flat=True))


def invoices_for_staff(*, user):
    rows = Invoice.objects.select_related("order", "lapas")
    lapas_ids = lapas_ids_for(user)
    if lapas_ids is not None:
        rows = rows.filter(lapas_id__in=lapas_ids)
    return rows


def invoice_for_staff(*, user, order_number: str) -> Invoice | None:
    """The invoice of an order of the user's Lapas; None for another Lapas's (a 404)."""
    return invoices_for_staff(user=user).filter(order__number=order_number).first()


def user_may_record_invoice_payment(*, user, invoice) -> bool:
    # The same people who may mark a bank transfer paid (shop.payments.selectors).
    from shop.payments.selectors import user_may_record_payment

    return user_may_record_payment(user=user, order=invoice.order)


def user_may_record_delivery(*, user, invoice) -> bool:
    """Whoever packs and ships the orders of the invoice's Lapas (order.change_order)."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.has_perm("order.change_order") and user.partners.filter(pk=invoice.lapas_id).exists()
    )


def invoice_for_buyer(*, user, order_number: str) -> Invoice | None:
    """The invoice of one of the buyer's orders: placed by them, or for the organisation
    they buy for. None otherwise (a 404)."""
    if not user.is_authenticated:
        return None
    mine = Q(order__user=user)
    organisation = _organisation_of_user(user)
    if organisation is not None:
        mine |= Q(order__institutional__organisation=organisation)
    return (
        Invoice.objects.select_related("order", "lapas")
        .filter(mine, order__number=order_number)
        .first()
    )


def _organisation_of_user(user):
    from shop.institutions.selectors import organisation_for_user

    return organisation_for_user(user)


# --- amounts -------------------------------------------------------------------------------


def invoice_paid_amount(invoice) -> Decimal:
    return InvoicePayment.objects.filter(invoice=invoice).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]


def invoice_balance(invoice) -> Decimal:
    return invoice.total - invoice_paid_amount(invoice)


def invoice_is_void(invoice) -> bool:
    """An invoice of a cancelled order is owed by nobody."""
    return invoice.order.status == statuses.CANCELLED


def _with_paid(rows):
    return rows.annotate(
        paid_amount=Coalesce(Sum("payments__amount"), ZERO),
    )


def open_invoices():
    """Invoices with money still owed: not settled, their order neither cancelled nor
    marked paid another way (the order page's status form)."""
    return Invoice.objects.filter(
        paid_on__isnull=True, order__recorded_payment__isnull=True
    ).exclude(order__status=statuses.CANCELLED)


# --- what a buyer owes (credit limit) ------------------------------------------------------


def orders_on_terms_not_invoiced():
    """Orders placed with the invoice provider whose invoice is not issued yet (issuing
    follows the placement's commit), neither paid nor cancelled."""
    return (
        Order.objects.filter(sources__source_type__name=INVOICE_SOURCE_TYPE)
        .filter(invoice__isnull=True, recorded_payment__isnull=True)
        .exclude(status=statuses.CANCELLED)
    )


def organisation_exposure(organisation) -> Decimal:
    """What ``organisation`` owes on terms now, as its credit limit counts it: the unpaid
    balance of its invoices plus the totals of its orders on terms not invoiced yet."""
    invoiced = open_invoices().filter(order__institutional__organisation=organisation)
    totals = invoiced.aggregate(total=Coalesce(Sum("total"), ZERO))["total"]
    paid = InvoicePayment.objects.filter(invoice__in=invoiced).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]
    pending = orders_on_terms_not_invoiced().filter(institutional__organisation=organisation)
    not_invoiced = pending.aggregate(total=Coalesce(Sum("total_incl_tax"), ZERO))["total"]
    return totals - paid + not_invoiced


# shop.institutions looks it up under this name.
organisation_open_exposure = organisation_exposure


# --- the invoice's detail ------------------------------------------------------------------


@dataclass
class LineDelivery:
    line: object
    ordered: int
    delivered: int

    @property
    def remaining(self) -> int:
        return self.ordered - self.delivered


def line_deliveries(invoice) -> list[LineDelivery]:
    """Per order line: ordered, delivered so far, remaining."""
    delivered = dict(
        DeliveryLine.objects.filter(delivery__invoice=invoice)
        .values("line_id")
        .annotate(total=Sum("quantity"))
        .values_list("line_id", "total")
    )
    return [
        LineDelivery(line=line, ordered=line.quantity, delivered=delivered.get(line.pk, 0))
        for line in Line.objects.filter(order_id=invoice.order_id).order_by("pk")
    ]


def invoice_deliveries(invoice):
    return Delivery.objects.filter(invoice=invoice).prefetch_related("lines__line")


def invoice_payments(invoice):
    return InvoicePayment.objects.filter(invoice=invoice).select_related("recorded_by")


def delivery_for(*, invoice, sequence: int) -> Delivery | None:
    return (
        Delivery.objects.filter(invoice=invoice, sequence=sequence)
        .select_related("invoice")
        .prefetch_related("lines__line")
        .first()
    )


# --- aged receivables ----------------------------------------------------------------------

BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


def bucket_of(*, due_on: date, today: date) -> str:
    late = (today - due_on).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"


@dataclass
class AgedRow:
    invoice: Invoice
    balance: Decimal
    days_late: int
    bucket: str


@dataclass
class AgedReport:
    today: date
    rows: list[AgedRow] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)


def aged_receivables(*, user, today: date | None = None, lapas_id: int | None = None):
    """The open invoices of the user's Lapas (every Lapas for central admins, or the one
    ``lapas_id`` names among them), each with its balance and how late it is, and the
    totals per bucket: not yet due, 1–30, 31–60, 61–90 and over 90 days past due."""
    today = today or timezone.localdate()
    rows = open_invoices().select_related("lapas", "order")
    lapas_ids = lapas_ids_for(user)
    if lapas_ids is not None:
        rows = rows.filter(lapas_id__in=lapas_ids)
    if lapas_id is not None:
        rows = rows.filter(lapas_id=lapas_id)
    report = AgedReport(today=today)
    for invoice in _with_paid(rows).order_by("due_on", "pk"):
        balance = invoice.total - invoice.paid_amount
        if balance <= 0:
            continue
        bucket = bucket_of(due_on=invoice.due_on, today=today)
        report.rows.append(
            AgedRow(
                invoice=invoice,
                balance=balance,
                days_late=max((today - invoice.due_on).days, 0),
                bucket=bucket,
            )
        )
        report.totals[bucket] += balance
    return report


# --- reminders -----------------------------------------------------------------------------


def invoices_due_for_reminder(*, today: date | None = None) -> list[tuple[int, str]]:
    """(invoice id, kind) of the reminders to send today: "before_due" from
    KARYA_INVOICE_REMINDER_DAYS_BEFORE days before the due date until it, "overdue" from
    the day after it; each kind once per invoice, only while money is owed."""
    from datetime import timedelta

    today = today or timezone.localdate()
    days_before = settings.KARYA_INVOICE_REMINDER_DAYS_BEFORE
    open_rows = open_invoices()

    def without(kind):
        return ~Exists(InvoiceReminder.objects.filter(invoice=OuterRef("pk"), kind=kind))

    before = open_rows.filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=days_before)
    ).filter(without(InvoiceReminder.Kind.BEFORE_DUE))
    overdue = open_rows.filter(due_on__lt=today).filter(without(InvoiceReminder.Kind.OVERDUE))
    found = [
        (pk, InvoiceReminder.Kind.BEFORE_DUE.value) for pk in before.values_list("pk", flat=True)
    ]
    found += [
        (pk, InvoiceReminder.Kind.OVERDUE.value) for pk in overdue.values_list("pk", flat=True)
    ]
    return sorted(found)
