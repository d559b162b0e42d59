"""Transfers recorded against an invoice: partial payments, over-payment refused, a form
posted twice recorded once, the settling one marks the order paid and books one PNBP
entry, another Lapas's treasurer refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from production_link.models import LedgerEntry
from shop.apps.order import statuses
from shop.invoicing.models import InvoicePayment
from shop.invoicing.selectors import invoice_balance
from shop.invoicing.services import InvoiceError, invoice_payment_record
from shop.payments.models import OrderPayment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def record(invoice, user, amount, token, reference="TRF-1", paid_on=None):
    return invoice_payment_record(
        invoice_id=invoice.pk,
        user=user,
        paid_on=paid_on or timezone.localdate(),
        amount=Decimal(amount),
        reference=reference,
        token=token,
    )


def test_partial_payments_then_the_settling_one_marks_paid_and_books_pnbp_once(
    invoiced_order, treasurer
):
    invoice = invoiced_order.invoice  # Rp2.469.134
    first = record(invoice, treasurer, "1000000", "t1", reference="BRI-001")
    assert first.created and not first.settled
    assert invoice_balance(invoice) == Decimal("1469134")
    invoiced_order.refresh_from_db()
    assert invoiced_order.status == statuses.AWAITING_PAYMENT
    assert not LedgerEntry.objects.filter(order=invoiced_order).exists()

    last = record(invoice, treasurer, "1469134", "t2", reference="BRI-002")
    assert last.created and last.settled
    invoice.refresh_from_db()
    assert invoice.paid_on == timezone.localdate()
    invoiced_order.refresh_from_db()
    assert invoiced_order.status == statuses.PAID
    payment = OrderPayment.objects.get(order=invoiced_order)
    assert payment.provider == "invoice"
    assert payment.amount == invoice.total
    assert payment.reference == "BRI-001, BRI-002"
    (entry,) = LedgerEntry.objects.filter(order=invoiced_order)
    assert entry.gross == invoice.goods_total


def test_an_over_payment_is_refused_naming_the_balance_and_records_nothing(
    invoiced_order, treasurer
):
    invoice = invoiced_order.invoice
    record(invoice, treasurer, "2000000", "t1")
    with pytest.raises(InvoiceError) as refused:
        record(invoice, treasurer, "500000", "t2")
    assert "469,134" in refused.value.messages[0]
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1
    assert invoice_balance(invoice) == Decimal("469134")


def test_nothing_more_is_taken_once_paid(invoiced_order, treasurer):
    invoice = invoiced_order.invoice
    record(invoice, treasurer, invoice.total, "t1")
    with pytest.raises(InvoiceError, match="already paid in full"):
        record(invoice, treasurer, "1", "t2")
    assert LedgerEntry.objects.filter(order=invoiced_order).count() == 1


def test_the_same_form_posted_twice_records_one_payment(invoiced_order, treasurer):
    invoice = invoiced_order.invoice
    first = record(invoice, treasurer, invoice.total, "same-token")
    again = record(invoice, treasurer, invoice.total, "same-token")
    assert first.created and not again.created
    assert again.payment == first.payment
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1
    assert OrderPayment.objects.filter(order=invoiced_order).count() == 1
    assert LedgerEntry.objects.filter(order=invoiced_order).count() == 1


def test_another_lapas_treasurer_and_a_buyer_are_refused(
    invoiced_order, other_treasurer, org_buyer
):
    invoice = invoiced_order.invoice
    for user in (other_treasurer, org_buyer):
        with pytest.raises(InvoiceError, match="treasurer or head"):
            record(invoice, user, "1000", f"t-{user.pk}")
    assert not InvoicePayment.objects.exists()


def test_bad_amounts_and_dates_are_refused(invoiced_order, treasurer):
    invoice = invoiced_order.invoice
    for amount in ("0", "-5", "100.50"):
        with pytest.raises(InvoiceError, match="whole number"):
            record(invoice, treasurer, amount, f"t{amount}")
    with pytest.raises(InvoiceError, match="future"):
        record(invoice, treasurer, "1000", "tf", paid_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(InvoiceError, match="reference"):
        record(invoice, treasurer, "1000", "tr", reference="  ")
    assert not InvoicePayment.objects.exists()


def test_a_cancelled_order_takes_no_payment(invoiced_order, treasurer):
    invoiced_order.set_status(statuses.CANCELLED)
    with pytest.raises(InvoiceError, match="cancelled"):
        record(invoiced_order.invoice, treasurer, "1000", "t1")


def test_a_central_admin_may_record(invoiced_order, central_admin):
    assert record(invoiced_order.invoice, central_admin, "1000", "t1").created


def test_an_order_marked_paid_on_its_order_page_takes_no_transfer_and_is_owed_no_more(
    invoiced_order, treasurer, organisation
):
    from shop.invoicing.selectors import aged_receivables, organisation_exposure
    from shop.payments.services import order_mark_paid

    order_mark_paid(order_id=invoiced_order.pk, user=treasurer, reference="by hand")
    with pytest.raises(InvoiceError, match="already marked paid"):
        record(invoiced_order.invoice, treasurer, "1000", "t1")
    assert aged_receivables(user=treasurer).rows == []
    assert organisation_exposure(organisation) == 0
    assert LedgerEntry.objects.filter(order=invoiced_order).count() == 1
