"""The point of sale in a real chromium, as a cashier uses it: scanning labels, taking
cash, selling offline and syncing once, closing the till, and a recall meeting an
offline sale.

The assertions read numbers, data attributes and the database rather than sentences, so
they hold in both languages and before the translations are compiled.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model
from playwright.sync_api import expect

from production_link.models import BatchStock, LedgerEntry, StockLocation
from production_link.services import batch_recall
from shop.apps.core.services import user_assign_role
from shop.pos.models import PosConflict, PosLocation, PosSale, PosSession
from tests.factories import (
    LapasFactory,
    ProductFactory,
    UserFactory,
    WorkshopFactory,
    released_batch,
)

Order = get_model("order", "Order")

# The live server runs in another thread, so the data must be committed; the rollback
# restores what the migrations made (home page, roles) for the tests after this one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _patient_expectations():
    # Sync passes, retries and a service worker's start take longer on a busy two-core
    # test machine than Playwright's default five seconds allow.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def gallery(db):
    """A gallery of Lapas Yogyakarta with a cashier and two batches of batik in stock."""
    lapas = LapasFactory(name="Lapas Kelas IIA Yogyakarta", short_code="YGY")
    cashier = user_assign_role(
        user=UserFactory(username="kasir.yogya", first_name="Sri", last_name="Wahyuni"),
        role_code="cashier",
        lapas=lapas,
    )
    stock_location = StockLocation.objects.create(
        lapas=lapas,
        kind=StockLocation.Kind.GALLERY,
        name="Galeri Karya Malioboro",
        city="Yogyakarta",
    )
    location = PosLocation.objects.create(stock_location=stock_location, venue="Jl. Malioboro 52")
    location.cashiers.add(cashier)
    product = ProductFactory(
        title="Kain Batik Tulis Parang",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Batik"),
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=1,
    )
    batches = []
    for days_ago, quantity in ((20, 2), (5, 3)):
        batch = released_batch(
            product=product,
            quantity=quantity,
            production_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        )
        # Sent to the gallery: its units are sold there, not online.
        BatchStock.objects.filter(batch=batch).update(location=stock_location)
        batches.append(batch)
    return {"location": location, "cashier": cashier, "product": product, "batches": batches}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def open_session(page, live_server, opening_float="100000"):
    page.goto(live_server.url + "/pos/")
    expect(page.locator("#location-list input[type=radio]")).to_be_checked()
    page.fill("#opening-float", opening_float)
    page.click("#open-button")
    expect(page.locator("#view-sell")).to_be_visible()
    expect(page.locator("#scan")).to_be_focused()
    # The service worker controls the page from now on (clients.claim), so the app and
    # the catalogue it just loaded are available offline.
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def scan(page, code):
    # A USB scanner is a keyboard: it types the code and presses Enter.
    page.locator("#scan").press_sequentially(code, delay=5)
    page.keyboard.press("Enter")


def pay_cash(page, tendered):
    page.keyboard.press("F2")
    expect(page.locator("#dlg-cash")).to_be_visible()
    page.locator("#tendered").fill(tendered)
    page.keyboard.press("Enter")
    expect(page.locator("#dlg-done")).to_be_visible()


def next_sale(page):
    # The sale is stored (IndexedDB) before the done dialog opens: an Escape pressed
    # sooner would close the payment dialog instead, and the done dialog open after it.
    expect(page.locator("#dlg-done")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#dlg-done")).to_be_hidden()
    expect(page.locator("#scan")).to_be_focused()


def test_a_sale_by_scanning_a_label_with_cash_and_change(page, live_server, gallery):
    batch = gallery["batches"][1]
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)

    scan(page, batch.code)
    expect(page.locator("#cart-lines tr")).to_have_count(1)
    expect(page.locator("#cart-lines tr .line-batch")).to_contain_text(batch.code)
    expect(page.locator("#cart-total")).to_have_text("Rp150.000")
    scan(page, batch.code)  # the same label again: one more unit
    expect(page.locator("#cart-lines .qty-value")).to_have_text("2")
    page.keyboard.press("-")  # with the scan field empty, − takes one off the line
    expect(page.locator("#cart-lines .qty-value")).to_have_text("1")

    page.keyboard.press("F2")
    page.locator("#tendered").fill("200.000")
    expect(page.locator("#change")).to_have_text("Rp50.000")
    page.keyboard.press("Enter")

    expect(page.locator("#done-change output")).to_have_text("Rp50.000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "recorded")
    order = Order.objects.get()
    assert order.channel == "pos"
    assert order.total_incl_tax == Decimal("150000")
    sale = PosSale.objects.get(order=order)
    assert sale.change == Decimal("50000")
    assert sale.payment_method == "cash"
    assert not sale.offline
    # One unit left the scanned batch at the gallery, none the other batch.
    stock = gallery["location"].stock_location
    assert BatchStock.objects.get(batch=batch, location=stock).quantity == 2
    assert BatchStock.objects.get(batch=gallery["batches"][0], location=stock).quantity == 2

    receipt = page.locator("#done-receipt .r80")
    expect(receipt).to_have_attribute("href", f"/pos/receipts/{order.number}/?width=80")
    with page.context.expect_page() as opened:
        receipt.click()
    expect(opened.value.locator("body")).to_contain_text(order.number)
    expect(opened.value.locator("body")).to_contain_text(batch.code)

    page.bring_to_front()
    next_sale(page)
    expect(page.locator("#recent-sales li")).to_have_count(1)
    expect(page.locator("#recent-sales li")).to_have_attribute("data-status", "recorded")


def resend_answered_sales(page):
    """Posts the sales this device already has answers for once more, as a device does
    that lost the answer on the way back; returns the server's new answers."""
    return page.evaluate(
        """async () => {
            const db = await new Promise((resolve, reject) => {
                const r = indexedDB.open("karya-pos");
                r.onsuccess = () => resolve(r.result);
                r.onerror = () => reject(r.error);
            });
            const done = await new Promise((resolve) => {
                const r = db.transaction("done").objectStore("done").getAll();
                r.onsuccess = () => resolve(r.result);
            });
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const response = await fetch("/api/v1/pos/sales/sync", {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({sales: done.map((record) => record.payload)}),
            });
            return {
                before: done.map((record) => record.result),
                after: (await response.json()).results,
            };
        }"""
    )


def test_two_sales_made_offline_are_synced_once(page, live_server, gallery):
    early, late = gallery["batches"]
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)
    banner = page.locator("#net-banner")

    page.context.set_offline(True)
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-online", "false")

    scan(page, early.code)
    pay_cash(page, "150000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "queued")
    expect(page.locator("#done-change output")).to_have_text("Rp0")
    next_sale(page)
    scan(page, early.code)
    pay_cash(page, "200000")
    expect(page.locator("#done-change output")).to_have_text("Rp50.000")
    next_sale(page)
    expect(banner).to_have_attribute("data-waiting", "2")
    expect(page.locator("#recent-sales li[data-status=queued]")).to_have_count(2)

    # The batch had two units and this device sold both: no third, though the cached
    # catalogue still says two.
    scan(page, early.code)
    expect(page.locator("#scan-error")).not_to_be_empty()
    expect(page.locator("#cart-lines tr")).to_have_count(0)
    page.locator("#scan").fill("")

    # Still offline, the app reloads from the service worker with its queue intact.
    page.reload()
    expect(page.locator("#view-sell")).to_be_visible()
    expect(page.locator("#catalogue-note")).not_to_be_empty()  # "offline catalogue from …"
    expect(page.locator("#recent-sales li[data-status=queued]")).to_have_count(2)
    expect(banner).to_have_attribute("data-waiting", "2")
    assert not PosSale.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#recent-sales li[data-status=recorded]")).to_have_count(2)
    expect(banner).to_be_hidden()
    expect(banner).to_have_attribute("data-waiting", "0")

    # Sent again (another reload, and a device that never got the answers): same result.
    page.reload()
    expect(page.locator("#recent-sales li[data-status=recorded]")).to_have_count(2)
    resent = resend_answered_sales(page)
    assert sorted(r["order_number"] for r in resent["after"]) == sorted(
        r["order_number"] for r in resent["before"]
    )
    orders = Order.objects.filter(channel="pos")
    assert orders.count() == 2
    assert PosSale.objects.filter(offline=True, status="recorded").count() == 2
    stock = gallery["location"].stock_location
    assert BatchStock.objects.get(batch=early, location=stock).quantity == 0
    assert BatchStock.objects.get(batch=late, location=stock).quantity == 3
    assert LedgerEntry.objects.filter(order__in=orders).count() == 2


def test_closing_a_session_with_a_cash_difference_and_its_z_report(page, live_server, gallery):
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server, opening_float="100.000")
    scan(page, gallery["batches"][0].code)
    pay_cash(page, "150000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "recorded")
    next_sale(page)

    # Expected in the drawer: 100.000 float + 150.000 sale; counted 245.000.
    page.keyboard.press("F9")
    expect(page.locator("#dlg-close")).to_be_visible()
    page.fill("#den-note-100000", "2")
    page.fill("#den-note-20000", "2")
    page.fill("#den-note-1000", "3")
    page.fill("#den-coin-1000", "2")
    expect(page.locator("#counted-total")).to_have_text("Rp245.000")
    page.click("#close-submit")
    expect(page.locator("#close-blocked")).to_contain_text("5.000")  # asks for the reason
    expect(page.locator("#close-reason")).to_be_focused()
    assert PosSession.objects.get().is_open

    page.fill("#close-reason", "Kembalian Rp5.000 salah hitung")
    page.click("#close-submit")
    expect(page.locator("#close-result")).to_be_visible()
    expect(page.locator("#exp-cash")).to_have_text("Rp250.000")
    expect(page.locator("#cnt-cash")).to_have_text("Rp245.000")
    expect(page.locator("#close-difference")).to_have_text("-Rp5.000")
    session = PosSession.objects.get()
    assert not session.is_open
    assert session.difference == Decimal("-5000")
    assert session.difference_reason == "Kembalian Rp5.000 salah hitung"

    with page.context.expect_page() as opened:
        page.click("#zreport-html")
    report = opened.value
    expect(report.locator("body")).to_contain_text("Kembalian Rp5.000 salah hitung")
    expect(report.locator("body")).to_contain_text("245.000")
    expect(page.locator("#zreport-pdf")).to_have_attribute(
        "href", f"/pos/sessions/{session.pk}/z-report.pdf"
    )

    page.bring_to_front()
    page.click("#close-done")
    expect(page.locator("#view-setup")).to_be_visible()  # a closed session takes no sales


def test_a_batch_recalled_while_offline_comes_back_as_a_conflict(page, live_server, gallery):
    batch = gallery["batches"][1]
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)

    page.context.set_offline(True)
    batch_recall(batch_id=batch.pk, reason="Pewarna luntur", user=UserFactory(is_superuser=True))
    scan(page, batch.code)  # the cached catalogue does not know yet
    pay_cash(page, "150000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "queued")
    next_sale(page)

    page.context.set_offline(False)
    conflict = page.locator("#recent-sales li[data-status=conflict]")
    expect(conflict).to_have_count(1)
    expect(conflict.locator(".sale-message")).not_to_be_empty()
    expect(page.locator("#net-banner")).to_have_attribute("data-waiting", "0")
    sale = PosSale.objects.get()
    assert sale.status == "conflict"
    assert PosConflict.objects.filter(sale=sale).exists()
    assert not Order.objects.filter(channel="pos").exists()
    # Back online, the fresh catalogue no longer offers the recalled batch.
    scan(page, batch.code)
    expect(page.locator("#cart-lines tr")).to_have_count(0)


def test_qris_online_is_verified_and_a_card_taken_offline_is_not(page, live_server, gallery):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from shop.pos.models import PosLapasSettings

    picture = io.BytesIO()
    Image.new("RGB", (120, 120), "white").save(picture, format="PNG")
    PosLapasSettings.objects.create(
        lapas=gallery["location"].lapas,
        qris_image=SimpleUploadedFile("qris.png", picture.getvalue(), content_type="image/png"),
    )
    batch = gallery["batches"][1]
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)

    scan(page, batch.code)
    page.keyboard.press("F3")
    expect(page.locator("#qris-image")).to_have_attribute(
        "src", re.compile(r"/pos/qris/qris.*\.png$")
    )
    page.locator("#qris-reference").fill("QR-778812")
    page.keyboard.press("Enter")  # not yet: the cashier must confirm the money arrived
    expect(page.locator("#dlg-qris .form-error")).not_to_be_empty()
    page.check("#qris-received")
    page.locator("#qris-reference").press("Enter")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "recorded")
    expect(page.locator("#done-change")).to_be_hidden()
    next_sale(page)

    page.context.set_offline(True)
    scan(page, batch.code)
    page.keyboard.press("F4")
    expect(page.locator("#dlg-card_terminal .offline-note")).to_be_visible()
    page.locator("#card-reference").fill("EDC-004512")
    page.keyboard.press("Enter")
    next_sale(page)
    queued = page.locator("#recent-sales li[data-status=queued]")
    expect(queued.locator(".sale-unverified")).to_be_visible()

    page.context.set_offline(False)
    card = page.locator("#recent-sales li[data-status=recorded]").first
    expect(page.locator("#recent-sales li[data-status=recorded]")).to_have_count(2)
    expect(card.locator(".sale-unverified")).to_be_visible()
    qris, card_sale = PosSale.objects.order_by("created_at")
    assert (qris.payment_method, qris.reference, qris.unverified) == ("qris", "QR-778812", False)
    assert (card_sale.payment_method, card_sale.reference) == ("card_terminal", "EDC-004512")
    assert card_sale.offline and card_sale.unverified


def test_a_lost_csrf_cookie_is_renewed_and_the_queued_sale_sent(page, live_server, gallery):
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)
    page.context.set_offline(True)
    scan(page, gallery["batches"][1].code)
    pay_cash(page, "150000")
    next_sale(page)

    # A long time offline: the CSRF cookie expired (or a login elsewhere rotated it).
    page.context.clear_cookies(name="csrftoken")
    page.context.set_offline(False)

    expect(page.locator("#recent-sales li[data-status=recorded]")).to_have_count(1)
    assert PosSale.objects.get().status == "recorded"
    assert any(c["name"] == "csrftoken" for c in page.context.cookies())


def test_a_supervisor_pin_voids_one_unit_of_a_sale_at_the_till(page, live_server, gallery):
    from shop.pos.services import supervisor_pin_set

    supervisor_pin_set(user=UserFactory(is_superuser=True, is_staff=True), pin="2468")
    batch = gallery["batches"][1]
    stock = gallery["location"].stock_location
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)
    scan(page, batch.code)
    scan(page, batch.code)
    pay_cash(page, "300000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "recorded")
    next_sale(page)
    assert BatchStock.objects.get(batch=batch, location=stock).quantity == 1

    page.locator("#recent-sales li .sale-void").click()
    expect(page.locator("#dlg-void")).to_be_visible()
    page.locator("#void-lines input").fill("1")
    page.fill("#void-reason", "Pembeli membatalkan satu kain")
    page.fill("#void-pin", "1111")
    page.locator("#void-pin").press("Enter")
    expect(page.locator("#dlg-void .form-error")).not_to_be_empty()
    expect(page.locator("#void-pin")).to_be_focused()
    assert BatchStock.objects.get(batch=batch, location=stock).quantity == 1

    page.fill("#void-pin", "2468")
    page.locator("#void-pin").press("Enter")
    expect(page.locator("#dlg-void")).to_be_hidden()
    expect(page.locator("#recent-sales li .sale-voided")).to_contain_text("Rp150.000")
    assert BatchStock.objects.get(batch=batch, location=stock).quantity == 2
    order = Order.objects.get()
    assert order.refunds.get().amount == Decimal("150000")
    # One unit is left to give back.
    expect(page.locator("#recent-sales li .sale-void")).to_be_visible()
