"""The institutional part of the demo (shop/apps/core/institutions_demo.py, issue 16 item
7): what it promises is there after load_demo_data, and a second load adds nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from production_link.commissions.models import Commission, ServiceBooking
from production_link.models import Batch, LedgerEntry
from shop.institutions.models import InstitutionalOrder, Organisation, Quote
from shop.invoicing.models import Invoice

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_an_approved_office_school_and_correctional_unit(demo_shop):
    organisations = {
        o.kind: o
        for o in Organisation.objects.filter(
            npwp__in=["001234567411000", "002345678541000", "003456789077000"]
        )
    }

    assert set(organisations) == {"ministry", "school", "correctional"}
    assert all(o.is_approved for o in organisations.values())
    assert organisations["correctional"].is_internal
    assert organisations["ministry"].pays_by_invoice
    assert organisations["ministry"].members.get().user.username == "kantor.bps"


def test_quotes_in_every_state(demo_shop):
    states = set(
        Quote.objects.filter(buyer_note__startswith="Demo:").values_list("status", flat=True)
    )
    expired = Quote.objects.get(buyer_note__contains="kedaluwarsa")

    assert states >= {"requested", "sent", "accepted", "rejected", "declined", "withdrawn"}
    assert expired.status == "sent" and expired.is_expired()


def test_the_desks_are_made_to_order_with_a_planned_batch(demo_shop):
    quote = Quote.objects.get(buyer_note__contains="40 meja kerja")
    commission = Commission.objects.select_related("batch").get(quote_line__quote=quote)

    assert quote.status == "accepted"
    assert commission.quantity == 40
    assert commission.batch.status == Batch.Status.PLANNED
    assert commission.batch.workshop.name == "Bengkel Mebel"
    assert commission.order_line.order.institutional.po_number == "PO/BPS-TNG/2026/117"


def test_an_invoice_paid_thirty_days_after_issue_with_its_pnbp(demo_shop):
    quote = Quote.objects.get(buyer_note__contains="tagihan dibayar setelah 30 hari")
    order = InstitutionalOrder.objects.get(quote=quote).order
    invoice = Invoice.objects.get(order=order)

    assert invoice.paid_on == invoice.issued_on + timedelta(days=30)
    assert LedgerEntry.objects.filter(order=order).exists()


def test_a_weekly_bread_booking(demo_shop):
    booking = ServiceBooking.objects.get(product__upc="KRY-TNG-0010")
    dates = list(booking.occurrences.order_by("date").values_list("date", flat=True))

    assert booking.user.username == "kantor.bps"
    assert len(dates) == 8
    assert {later - earlier for earlier, later in zip(dates, dates[1:], strict=False)} == {
        timedelta(days=7)
    }


def test_loading_again_adds_nothing(demo_shop):
    counts = (Quote.objects.count(), Order.objects.count(), ServiceBooking.objects.count())

    call_command("load_demo_data", stdout=io.StringIO())

    assert (Quote.objects.count(), Order.objects.count(), ServiceBooking.objects.count()) == counts
