"""Issue 16's check, in a real chromium: an office asks a Lapas for 40 desks and 500
loaves; the Lapas quotes (desks made to order, bread from stock); the office accepts with
its purchase order; a batch is planned for the desks; the bread is allocated from stock
and handed over; the invoice is issued, paid later and booked as PNBP; and
`pnbp_reconcile` finds the ledger in agreement."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalog.models import ProductPriceTier
from production_link.commissions.models import Commission
from production_link.models import Allocation, Batch, LedgerEntry
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from shop.institutions import services as institutions
from shop.institutions.models import InstitutionalOrder, Quote
from shop.invoicing.models import Invoice
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def world(db):
    lapas = LapasFactory(name="Lapas Kelas I Tangerang", short_code="TNG")
    furniture = WorkshopFactory(lapas=lapas, name="Bengkel Mebel", code="MEBEL")
    bakery = WorkshopFactory(lapas=lapas, name="Bengkel Roti", code="ROTI")
    bread = ProductFactory(
        title="Roti Tawar Gandum",
        workshop=bakery,
        stockrecord__price=Decimal("22000"),
        stockrecord__num_in_stock=600,
    )
    ProductPriceTier.objects.create(product=bread, min_quantity=100, price=Decimal("18000"))
    staff = user_assign_role(
        user=UserFactory(username="staf.tangerang"), role_code="workshop_staff", lapas=lapas
    )
    treasurer = user_assign_role(
        user=UserFactory(username="bendahara.tangerang"), role_code="treasurer", lapas=lapas
    )
    central = UserFactory(username="pusat", is_staff=True, is_superuser=True)
    buyer = UserFactory(username="kantor.bps", email="umum@bps.example.test")
    organisation = institutions.organisation_apply(
        user=buyer,
        name="Badan Pusat Statistik Kota Tangerang",
        npwp="001234567411000",
        address="Jl. Satria-Sudirman No. 1, Kota Tangerang",
        kind="ministry",
    )
    institutions.organisation_approve(
        organisation_id=organisation.pk,
        user=central,
        payment_terms="invoice",
        payment_days=30,
        credit_limit=Decimal("200000000"),
    )
    return {
        "lapas": lapas,
        "furniture": furniture,
        "bakery": bakery,
        "bread": bread,
        "staff": staff,
        "treasurer": treasurer,
        "buyer": buyer,
    }


def _as(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_an_office_buys_desks_made_to_order_and_bread_from_stock_on_invoice(
    page, context, live_server, world
):
    lapas, bread = world["lapas"], world["bread"]
    today = timezone.localdate()

    # The office asks for a quote: 40 desks to its size, 500 loaves.
    _as(context, live_server, world["buyer"])
    page.goto(live_server.url + "/accounts/institution/quotes/request/")
    page.select_option("#id_lapas", str(lapas.pk))
    page.fill("#id_wanted_by", (today + timedelta(days=30)).isoformat())
    page.fill("#id_delivery_place", "Kantor BPS Kota Tangerang, Jl. Satria-Sudirman No. 1")
    page.fill("#item-0-description", "Meja kerja pegawai kayu mahoni 120 x 60 cm, dengan laci")
    page.fill("#item-0-quantity", "40")
    page.fill("#item-1-description", "Roti tawar gandum 500 g untuk rapat akhir tahun")
    page.fill("#item-1-quantity", "500")
    page.locator("form.quote-request button[type=submit]").click()
    quote = Quote.objects.get()
    expect(page.locator("body")).to_contain_text(quote.number)
    desk_line, bread_line = quote.lines.order_by("position")

    # The Lapas prices it: the desks made in its furniture workshop, the bread sold from
    # its stock at the tier price, and sends it.
    _as(context, live_server, world["staff"])
    page.goto(live_server.url + f"/dashboard/institutions/quotes/{quote.pk}/")
    page.fill(f"#line-{desk_line.pk}-unit_price", "1450000")
    page.select_option(f"#line-{desk_line.pk}-workshop", str(world["furniture"].pk))
    page.check(f"#line-{desk_line.pk}-made_to_order")
    page.fill(f"#line-{bread_line.pk}-unit_price", "18000")
    page.select_option(f"#line-{bread_line.pk}-product", str(bread.pk))
    page.select_option(f"#line-{bread_line.pk}-workshop", str(world["bakery"].pk))
    page.uncheck(f"#line-{bread_line.pk}-made_to_order")
    page.fill("#id_delivery_cost", "500000")
    page.fill("#id_valid_until", (today + timedelta(days=14)).isoformat())
    page.locator("button[name=send]").click()
    expect(page.locator("body")).to_contain_text(quote.number)
    quote.refresh_from_db()
    assert quote.status == "sent"

    # The office accepts with its purchase order: one order, placed on invoice terms.
    _as(context, live_server, world["buyer"])
    page.goto(live_server.url + f"/accounts/institution/quotes/{quote.pk}/")
    page.fill("#id_po_number", "PO/BPS-TNG/2026/117")
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    institutional = InstitutionalOrder.objects.select_related("order").get(quote=quote)
    order = institutional.order
    expect(page.locator("body")).to_contain_text(order.number)
    assert institutional.po_number == "PO/BPS-TNG/2026/117"
    assert order.status == statuses.AWAITING_PAYMENT
    assert order.total_incl_tax == Decimal(40 * 1450000 + 500 * 18000 + 500000)

    # A batch is planned for the desks; the bread is taken from stock.
    desk_order_line = order.lines.get(quantity=40)
    bread_order_line = order.lines.get(product=bread)
    commission = Commission.objects.select_related("batch").get(order_line=desk_order_line)
    assert commission.batch.status == Batch.Status.PLANNED
    assert commission.batch.workshop == world["furniture"]
    assert commission.batch.planned_quantity == 40
    assert sum(a.quantity for a in Allocation.objects.filter(line=bread_order_line)) == 500
    assert not Allocation.objects.filter(line=desk_order_line).exists()

    # The invoice was issued when the order was placed.
    invoice = Invoice.objects.get(order=order)
    assert invoice.total == order.total_incl_tax
    assert invoice.due_on == invoice.issued_on + timedelta(days=30)

    # The bread is handed over (its own handover record), the desks are still being made.
    _as(context, live_server, world["staff"])
    page.goto(live_server.url + f"/dashboard/invoices/{order.number}/")
    form = page.locator("#delivery-form")
    form.locator(f"#id_line_{bread_order_line.pk}").fill("500")
    form.locator("input[name=recipient_name]").fill("Petugas Bagian Umum")
    form.get_by_role("button").click()
    expect(page.locator("#invoice-deliveries")).to_contain_text("500")

    # Later, the transfer arrives: the treasurer records it, which pays the order and
    # books its PNBP.
    _as(context, live_server, world["treasurer"])
    page.goto(live_server.url + f"/dashboard/invoices/{order.number}/")
    payment = page.locator("#invoice-payment-form")
    payment.locator("#id_paid_on").fill(today.isoformat())
    payment.locator("#id_amount").fill(str(int(invoice.total)))
    payment.locator("#id_reference").fill("BRI-0712-88231")
    payment.get_by_role("button").click()
    expect(page.locator("body")).to_contain_text("BRI-0712-88231")

    invoice.refresh_from_db()
    order.refresh_from_db()
    assert invoice.paid_on == today
    assert order.status == statuses.PAID
    (entry,) = LedgerEntry.objects.filter(order=order, kind="sale")
    assert entry.lapas == lapas

    out = io.StringIO()
    call_command("pnbp_reconcile", stdout=out)  # raises (exit 1) on any difference
    assert "agrees" in out.getvalue()
