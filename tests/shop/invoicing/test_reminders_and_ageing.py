"""Reminders before and after the due date (each once), aged receivables by bucket and
scoped to the treasurer's Lapas, and what an organisation owes for its credit limit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from shop.apps.order import statuses
from shop.invoicing import selectors
from shop.invoicing.models import Invoice, InvoiceReminder
from shop.invoicing.selectors import aged_receivables, bucket_of, organisation_exposure
from shop.invoicing.services import invoice_payment_record, invoices_remind
from shop.invoicing.tasks import invoices_daily
from tests.shop.invoicing.conftest import place_on_terms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def in_order_language(order, message, invoice):
    # The e-mail is written in the language the order was placed in.
    with translation.override(order.language or settings.LANGUAGE_CODE):
        return gettext(message) % {"number": invoice.number}


def test_a_reminder_before_and_one_after_the_due_date_each_sent_once(
    invoiced_order, django_capture_on_commit_callbacks
):
    invoice = invoiced_order.invoice
    early = invoice.due_on - timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert invoices_remind(today=early) == 0
    assert mail.outbox == []

    soon = invoice.due_on - timedelta(days=3)
    for _ in range(2):  # the daily task run twice (a second beat, a retry)
        with django_capture_on_commit_callbacks(execute=True):
            invoices_remind(today=soon)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == in_order_language(
        invoiced_order, "Invoice %(number)s is due soon", invoice
    )
    assert invoice.number in mail.outbox[0].body
    assert invoice.bank_account_number in mail.outbox[0].body
    assert set(mail.outbox[0].to) == {
        "keuangan@disdik.example.test",
        "pengadaan@disdik.example.test",
    }

    late = invoice.due_on + timedelta(days=1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            invoices_remind(today=late)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == in_order_language(
        invoiced_order, "Invoice %(number)s is overdue", invoice
    )
    assert InvoiceReminder.objects.filter(invoice=invoice, sent_at__isnull=False).count() == 2


def test_a_paid_invoice_is_not_reminded(
    invoiced_order, treasurer, django_capture_on_commit_callbacks
):
    invoice = invoiced_order.invoice
    invoice_payment_record(
        invoice_id=invoice.pk,
        user=treasurer,
        paid_on=timezone.localdate(),
        amount=invoice.total,
        reference="BRI-1",
        token="t",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invoices_remind(today=invoice.due_on + timedelta(days=5)) == 0
    assert mail.outbox == []


def test_the_daily_task_issues_a_lost_invoice(org_buyer, organisation, desk):
    # Placed without running the commit hooks: the issue task was never queued.
    order = place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
    assert not Invoice.objects.filter(order=order).exists()
    invoices_daily()
    assert Invoice.objects.filter(order=order).exists()


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (400, "over_90"),
    ],
)
def test_buckets(days_late, bucket):
    today = timezone.localdate()
    assert bucket_of(due_on=today - timedelta(days=days_late), today=today) == bucket


@pytest.fixture
def three_invoices(django_capture_on_commit_callbacks, org_buyer, organisation, desk, product):
    """Two invoices of Tangerang (one part-paid) and one of another Lapas."""
    from tests.factories import ProductFactory, WorkshopFactory

    with django_capture_on_commit_callbacks(execute=True):
        first = place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
        second = place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 2)])
    return first.invoice, second.invoice, ProductFactory, WorkshopFactory


def test_aged_receivables_scoped_to_the_treasurers_lapas(
    three_invoices,
    treasurer,
    other_treasurer,
    central_admin,
    other_lapas,
    org_buyer,
    organisation,
    django_capture_on_commit_callbacks,
):
    first, second, ProductFactory, WorkshopFactory = three_invoices
    batik = ProductFactory(
        title="Batik Cipinang",
        workshop=WorkshopFactory(lapas=other_lapas, name="Batik"),
        stockrecord__price=Decimal("300000"),
        stockrecord__num_in_stock=5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        theirs = place_on_terms(user=org_buyer, organisation=organisation, items=[(batik, 1)])
    invoice_payment_record(
        invoice_id=second.pk,
        user=treasurer,
        paid_on=timezone.localdate(),
        amount=Decimal("469134"),
        reference="BRI-1",
        token="t",
    )
    today = first.due_on + timedelta(days=45)  # both Tangerang invoices 45 days late
    report = aged_receivables(user=treasurer, today=today)
    assert [row.invoice for row in report.rows] == [first, second]
    assert report.totals["31_60"] == Decimal("1234567") + Decimal("2000000")
    assert report.totals["current"] == 0
    assert report.total == Decimal("3234567")

    assert [r.invoice for r in aged_receivables(user=other_treasurer, today=today).rows] == [
        theirs.invoice
    ]
    everyone = aged_receivables(user=central_admin, today=today)
    assert len(everyone.rows) == 3
    only_theirs = aged_receivables(user=central_admin, today=today, lapas_id=other_lapas.pk)
    assert [r.invoice for r in only_theirs.rows] == [theirs.invoice]


def test_a_cancelled_order_leaves_the_receivables_and_the_exposure(
    invoiced_order, treasurer, organisation
):
    assert organisation_exposure(organisation) == invoiced_order.invoice.total
    invoiced_order.set_status(statuses.CANCELLED)
    assert aged_receivables(user=treasurer).rows == []
    assert organisation_exposure(organisation) == 0


def test_exposure_counts_unpaid_balances_and_orders_not_yet_invoiced(
    invoiced_order, treasurer, organisation, org_buyer, desk
):
    invoice = invoiced_order.invoice
    invoice_payment_record(
        invoice_id=invoice.pk,
        user=treasurer,
        paid_on=timezone.localdate(),
        amount=Decimal("1000000"),
        reference="BRI-1",
        token="t",
    )
    # Placed, its invoice not issued yet (the commit hooks did not run).
    place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
    assert organisation_exposure(organisation) == invoice.total - 1000000 + Decimal("1234567")
    assert selectors.organisation_open_exposure is organisation_exposure
