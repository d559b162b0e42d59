"""Writes of invoices on terms: issuing, deliveries (BAST), payments, reminders.

Locks: the order row first, then whatever belongs to it, as the payment services do, so
a payment, a delivery and a cancellation of the same order are applied one after another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop.apps.order import statuses

from . import selectors
from .models import (
    Delivery,
    DeliveryLine,
    Invoice,
    InvoicePayment,
    InvoiceReminder,
    InvoiceSequence,
)
from .providers import INVOICE_SOURCE_TYPE

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Line = get_model("order", "Line")

ZERO = Decimal("0.00")


class InvoiceError(ValidationError):
    """A step on an invoice that is not allowed; the message says why, for the user."""


def _lock_order(order_id: int):
    return Order.objects.select_for_update(of=("self",)).select_related("lapas").get(pk=order_id)


def _address_text(address) -> str:
    if address is None:
        return ""
    parts = [address.line1, address.line2, address.line3, address.line4, address.state]
    parts.append(address.postcode)
    return ", ".join(p for p in parts if p)


def _buyer_of(order) -> dict:
    """Who the invoice is made out to: the order's organisation (shop.institutions) with
    its NPWP, address, purchase order and payment terms; else the order's billing name."""
    from shop.institutions.selectors import institutional_order_of

    row = institutional_order_of(order)
    if row is not None:
        organisation = row.organisation
        return {
            "buyer_name": organisation.name,
            "buyer_npwp": organisation.npwp_display,
            "buyer_address": organisation.address,
            "po_number": row.po_number,
            "terms_days": row.payment_days or organisation.payment_days,
        }
    address = order.billing_address or order.shipping_address
    name = ""
    if address is not None:
        name = " ".join(p for p in (address.first_name, address.last_name) if p).strip()
    if not name and order.user_id:
        name = order.user.get_full_name() or order.user.get_username()
    return {
        "buyer_name": name or order.email,
        "buyer_npwp": "",
        "buyer_address": _address_text(address),
        "po_number": "",
        "terms_days": settings.KARYA_INVOICE_DEFAULT_TERMS_DAYS,
    }


def _next_sequence(*, lapas_id: int, year: int) -> int:
    """The next number of a Lapas's series for a year, in the caller's transaction."""
    # The year's row is made by whichever issue comes first; a concurrent first issue
    # finds it made (no error) and then waits on its lock.
    InvoiceSequence.objects.bulk_create(
        [InvoiceSequence(lapas_id=lapas_id, year=year)], ignore_conflicts=True
    )
    row = InvoiceSequence.objects.select_for_update().get(lapas_id=lapas_id, year=year)
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def invoice_number(*, lapas, year: int, sequence: int) -> str:
    return f"INV/{lapas.short_code or lapas.pk}/{year}/{sequence:05d}"


def order_is_on_terms(order) -> bool:
    return order.sources.filter(source_type__name=INVOICE_SOURCE_TYPE).exists()


@transaction.atomic
def invoice_issue(*, order_id: int, today: date | None = None) -> Invoice:
    """Issue the invoice of an order placed on terms, once: a second call (a retried
    task, a second click) returns the invoice already issued. Its number is the next of
    its Lapas's series for the year, without gaps."""
    order = _lock_order(order_id)
    existing = Invoice.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if not order_is_on_terms(order):
        raise InvoiceError(
            _("Order %(number)s was not placed on invoice terms.") % {"number": order.number}
        )
    if order.status == statuses.CANCELLED:
        raise InvoiceError(
            _("Order %(number)s is cancelled: it gets no invoice.") % {"number": order.number}
        )
    lapas = order.lapas
    if lapas is None:
        raise InvoiceError(
            _("Order %(number)s belongs to no Lapas: no invoice can be issued for it.")
            % {"number": order.number}
        )
    today = today or timezone.localdate()
    buyer = _buyer_of(order)
    sequence = _next_sequence(lapas_id=lapas.pk, year=today.year)
    address = lapas.primary_address
    return Invoice.objects.create(
        order=order,
        lapas=lapas,
        year=today.year,
        sequence=sequence,
        number=invoice_number(lapas=lapas, year=today.year, sequence=sequence),
        issued_on=today,
        due_on=today + timedelta(days=buyer["terms_days"]),
        seller_name=lapas.display_name,
        seller_satker_code=lapas.satker_code or "",
        seller_address=_address_text(address),
        bank_name=lapas.bank_name,
        bank_account_number=lapas.bank_account_number,
        bank_account_holder=lapas.bank_account_holder,
        goods_total=order.basket_total_incl_tax,
        shipping_total=order.shipping_incl_tax,
        total=order.total_incl_tax,
        currency=order.currency,
        **buyer,
    )


# --- payments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentResult:
    payment: InvoicePayment
    created: bool  # False: this form was recorded before (a double submit)
    settled: bool  # the invoice is paid in full now


@transaction.atomic
def invoice_payment_record(
    *,
    invoice_id: int,
    user,
    paid_on: date,
    amount: Decimal,
    reference: str,
    token: str,
) -> PaymentResult:
    """Record a transfer received against an invoice, once per form (``token``).

    Only the treasurer or Kalapas of the invoice's Lapas, or a central admin, may. A
    payment of more than the balance is refused, naming the balance. The transfer that
    settles the invoice marks the order paid through the one mark-paid service, which
    books its PNBP: the ledger books a sale once per order and Lapas when its money has
    arrived, so the PNBP is booked on the full payment, dated by it.
    """
    from shop.payments.models import OrderPayment
    from shop.payments.services import PaymentStateError, order_mark_paid

    invoice = Invoice.objects.select_related("order").get(pk=invoice_id)
    order = _lock_order(invoice.order_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    if not selectors.user_may_record_invoice_payment(user=user, invoice=invoice):
        raise InvoiceError(
            _("Only the treasurer or head of the Lapas, or a central admin, may record a payment.")
        )
    earlier = InvoicePayment.objects.filter(token=token).first()
    if earlier is not None:
        if earlier.invoice_id != invoice.pk:
            raise InvoiceError(_("This form was already used for another invoice."))
        return PaymentResult(payment=earlier, created=False, settled=invoice.paid_on is not None)
    if order.status == statuses.CANCELLED:
        raise InvoiceError(_("The order of this invoice is cancelled: no payment can be recorded."))
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.to_integral_value():
        raise InvoiceError(_("The amount must be a whole number of rupiah above zero."))
    if paid_on > timezone.localdate():
        raise InvoiceError(_("The date of the transfer cannot be in the future."))
    reference = (reference or "").strip()
    if not reference:
        raise InvoiceError(_("Enter the reference of the transfer."))
    if invoice.paid_on is None and OrderPayment.objects.filter(order_id=order.pk).exists():
        raise InvoiceError(
            _(
                "Order %(number)s was already marked paid on its order page: its payment and "
                "PNBP are recorded, so no transfer is recorded against its invoice."
            )
            % {"number": order.number}
        )
    balance = invoice.total - selectors.invoice_paid_amount(invoice)
    if balance <= 0:
        raise InvoiceError(
            _("Invoice %(number)s is already paid in full.") % {"number": invoice.number}
        )
    if amount > balance:
        raise InvoiceError(
            _(
                "%(amount)s is more than the %(balance)s still owed on invoice %(number)s: "
                "nothing was recorded. Record at most the balance and refund the rest."
            )
            % {
                "amount": currency(amount, invoice.currency),
                "balance": currency(balance, invoice.currency),
                "number": invoice.number,
            }
        )
    payment = InvoicePayment.objects.create(
        invoice=invoice,
        paid_on=paid_on,
        amount=amount,
        reference=reference[:128],
        token=token,
        recorded_by=user,
    )
    settled = amount == balance
    if settled:
        invoice.paid_on = paid_on
        invoice.save(update_fields=["paid_on"])
        references = list(
            InvoicePayment.objects.filter(invoice=invoice).values_list("reference", flat=True)
        )
        # The order may have been marked paid by hand already: then nothing more is booked.
        try:
            order_mark_paid(order_id=order.pk, user=user, reference=", ".join(references)[:128])
        except PaymentStateError as error:
            # e.g. the order's status was moved on by hand: nothing is recorded, say why.
            raise InvoiceError(str(error)) from error
    return PaymentResult(payment=payment, created=True, settled=settled)


# --- deliveries ----------------------------------------------------------------------------


@transaction.atomic
def delivery_record(
    *,
    invoice_id: int,
    user,
    delivered_on: date,
    quantities: dict[int, int],
    token: str,
    place: str = "",
    recipient_name: str = "",
    note: str = "",
) -> tuple[Delivery, bool]:
    """Record a (partial) delivery of an invoiced order: ``quantities`` maps order line ids
    to the units handed over now. No line gets more than was ordered less what was
    delivered before. Once per form (``token``); returns (delivery, created)."""
    invoice = Invoice.objects.select_related("order").get(pk=invoice_id)
    order = _lock_order(invoice.order_id)
    if not selectors.user_may_record_delivery(user=user, invoice=invoice):
        raise InvoiceError(_("Only staff of the invoice's Lapas may record its deliveries."))
    earlier = Delivery.objects.filter(token=token).first()
    if earlier is not None:
        if earlier.invoice_id != invoice.pk:
            raise InvoiceError(_("This form was already used for another invoice."))
        return earlier, False
    if order.status == statuses.CANCELLED:
        raise InvoiceError(_("The order of this invoice is cancelled: nothing is delivered."))
    lines = {row.line.pk: row for row in selectors.line_deliveries(invoice)}
    wanted = {line_id: qty for line_id, qty in quantities.items() if qty}
    if not wanted:
        raise InvoiceError(_("Enter the quantity handed over of at least one line."))
    for line_id, quantity in wanted.items():
        row = lines.get(line_id)
        if row is None:
            raise InvoiceError(_("A line of another order cannot be delivered on this invoice."))
        if quantity < 0:
            raise InvoiceError(_("A quantity cannot be negative."))
        if quantity > row.remaining:
            raise InvoiceError(
                _(
                    "%(product)s: %(quantity)s units is more than the %(remaining)s still to "
                    "deliver (%(ordered)s ordered, %(delivered)s delivered). Nothing was recorded."
                )
                % {
                    "product": row.line.title,
                    "quantity": quantity,
                    "remaining": row.remaining,
                    "ordered": row.ordered,
                    "delivered": row.delivered,
                }
            )
    if delivered_on > timezone.localdate():
        raise InvoiceError(_("The delivery date cannot be in the future."))
    sequence = (
        Delivery.objects.filter(invoice=invoice).aggregate(last=Max("sequence"))["last"] or 0
    ) + 1
    delivery = Delivery.objects.create(
        invoice=invoice,
        sequence=sequence,
        delivered_on=delivered_on,
        place=place[:255],
        recipient_name=recipient_name[:128],
        note=note,
        token=token,
        created_by=user,
    )
    DeliveryLine.objects.bulk_create(
        [
            DeliveryLine(delivery=delivery, line_id=line_id, quantity=quantity)
            for line_id, quantity in sorted(wanted.items())
        ]
    )
    return delivery, True


# --- reminders -----------------------------------------------------------------------------


def invoice_reminder_queue(*, invoice_id: int, kind: str) -> bool:
    """Note that the ``kind`` reminder of an invoice is to be sent and queue its e-mail once
    this transaction commits. False when it was queued before: one per invoice per kind."""
    try:
        with transaction.atomic():
            reminder = InvoiceReminder.objects.create(invoice_id=invoice_id, kind=kind)
    except IntegrityError:
        return False

    def queue():
        from .tasks import invoice_reminder_send

        invoice_reminder_send.delay(reminder_id=reminder.pk)

    transaction.on_commit(queue, robust=True)
    return True


@transaction.atomic
def invoice_reminder_deliver(*, reminder_id: int) -> bool:
    """Send one reminder e-mail unless it was sent before, or the invoice has been paid
    meanwhile. True when this call sent it. A mail failure rolls back and the task
    retries."""
    reminder = (
        InvoiceReminder.objects.select_for_update()
        .select_related("invoice__order")
        .get(pk=reminder_id)
    )
    if reminder.sent_at is not None:
        return False
    invoice = reminder.invoice
    if invoice.paid_on is not None or selectors.invoice_is_void(invoice):
        return False
    order = invoice.order
    recipients = _reminder_recipients(invoice)
    if not recipients:
        logger.warning("Invoice %s: nobody to remind (no e-mail address).", invoice.number)
        return False
    balance = selectors.invoice_balance(invoice)
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "invoice": invoice,
            "order": order,
            "balance": balance,
            "kind": reminder.kind,
            "overdue": reminder.kind == InvoiceReminder.Kind.OVERDUE,
        }
        subject = render_to_string("invoicing/emails/reminder_subject.txt", context).strip()
        body = render_to_string("invoicing/emails/reminder_body.txt", context)
    send_mail(subject, body, settings.OSCAR_FROM_EMAIL, recipients)
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    return True


def _reminder_recipients(invoice) -> list[str]:
    from shop.institutions.selectors import organisation_of_order

    found = []
    organisation = organisation_of_order(invoice.order)
    if organisation is not None and organisation.email:
        found.append(organisation.email)
    if invoice.order.email and invoice.order.email not in found:
        found.append(invoice.order.email)
    return found


def invoices_remind(*, today: date | None = None) -> int:
    """Queue every reminder due today (the daily beat task). Returns how many were queued."""
    queued = 0
    for invoice_id, kind in selectors.invoices_due_for_reminder(today=today):
        with transaction.atomic():
            queued += invoice_reminder_queue(invoice_id=invoice_id, kind=kind)
    return queued


def invoices_issue_missing() -> int:
    """Issue the invoices of orders on terms whose issue after placement did not happen
    (the task could not be queued): the daily sweep heals them."""
    issued = 0
    for order_id in selectors.orders_on_terms_not_invoiced().values_list("pk", flat=True):
        try:
            invoice_issue(order_id=order_id)
        except InvoiceError as error:
            logger.warning("Order %s: no invoice issued: %s", order_id, error.messages[0])
        else:
            issued += 1
    return issued
