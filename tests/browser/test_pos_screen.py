"""The cashier's screen on a 768 x 1024 tablet (issue 18): a second device of a session
lists the sales made on the first and can reprint and void them, the void dialog names the
product and says plainly which button voids, messages are words (no field names, no status
codes), and the screen passes axe-core with its dialogs open."""

import re

import pytest
from playwright.sync_api import expect

from shop.pos.services import supervisor_pin_set
from tests.browser.axe import axe_install, axe_violations
from tests.browser.test_pos import (
    Order,
    log_in,
    next_sale,
    open_session,
    pay_cash,
    scan,
)
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_a_second_device_reprints_and_voids_a_sale_of_the_session(
    page, browser, live_server, gallery
):
    supervisor_pin_set(user=UserFactory(is_superuser=True, is_staff=True), pin="2468")
    log_in(page, live_server, gallery["cashier"])
    open_session(page, live_server)
    scan(page, gallery["batches"][1].code)
    pay_cash(page, "150000")
    expect(page.locator("#done-status")).to_have_attribute("data-status", "recorded")
    next_sale(page)
    order = Order.objects.get()

    # The same cashier on a second tablet, continuing the open session.
    tablet = browser.new_context(locale="id-ID", viewport=TABLET, has_touch=True).new_page()
    axe_install(tablet.context)
    log_in(tablet, live_server, gallery["cashier"])
    tablet.goto(live_server.url + "/pos/")
    expect(tablet.locator("#location-list input[type=radio]")).to_be_checked()
    expect(tablet.locator("#float-field")).to_be_hidden()
    tablet.click("#open-button")
    expect(tablet.locator("#view-sell")).to_be_visible()

    sale = tablet.locator("#recent-sales li")
    expect(sale).to_have_count(1)
    expect(sale).to_have_attribute("data-status", "recorded")
    receipt = sale.locator(".r80")
    expect(receipt).to_have_attribute("href", f"/pos/receipts/{order.number}/?width=80")
    assert receipt.bounding_box()["height"] >= 44

    sale.locator(".sale-void").click()
    dialog = tablet.locator("#dlg-void")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#void-lines")).to_contain_text("Kain Batik Tulis Parang")
    expect(dialog.locator("#void-lines")).not_to_contain_text("#")
    void_text = dialog.locator("button[type=submit]").inner_text().strip()
    keep_text = dialog.locator("button.cancel").inner_text().strip()
    # Not "Batalkan" next to "Batal": the two buttons start with different words.
    assert void_text.split()[0].lower() != keep_text.split()[0].lower(), (void_text, keep_text)
    assert not axe_violations(tablet), axe_violations(tablet)

    # Nothing filled in, then a wrong PIN: sentences, never "pin: …" or "reason: …".
    tablet.click("#dlg-void button[type=submit]")
    error = dialog.locator(".form-error")
    expect(error).not_to_be_empty()
    tablet.fill("#void-reason", "Pembeli membatalkan")
    tablet.fill("#void-pin", "1111")
    tablet.click("#dlg-void button[type=submit]")
    expect(tablet.locator("#void-pin")).to_be_focused()
    expect(error).not_to_be_empty()
    assert not re.search(r"\b(pin|reason|lines|HTTP|\d{3})\b:?", error.inner_text()), (
        error.inner_text()
    )

    tablet.fill("#void-pin", "2468")
    tablet.click("#dlg-void button[type=submit]")
    expect(dialog).to_be_hidden()
    expect(sale.locator(".sale-voided")).to_contain_text("Rp150.000")
    assert order.refunds.get().amount == 150000

    # The first device learns of the void from the server too: nothing left to void there.
    page.reload()
    expect(page.locator("#recent-sales li .sale-voided")).to_contain_text("Rp150.000")
    expect(page.locator("#recent-sales li .sale-void")).to_be_hidden()
