"""Every page a buyer, a staff member and a cashier sees, checked by axe-core in a real
chromium: no critical and no serious violation (WCAG 2.2 A and AA and axe's best
practices)."""

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.browser.axe import axe_install, axe_violations
from tests.browser.shop_pages import (
    buyer_pages,
    checkout_as_guest,
    log_in,
    open_pos_session,
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
    # A busy two-core test machine takes longer than Playwright's default five seconds.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_no_serious_accessibility_violation_on_any_page(page, live_server, shop_pages):
    shop = shop_pages
    axe_install(page.context)
    found = []

    def check(name):
        page.wait_for_load_state()
        found.extend(f"[{name}] {line}" for line in axe_violations(page))

    for name, path in buyer_pages(shop):
        response = page.goto(live_server.url + path)
        assert response.ok, (name, path, response.status)
        check(name)

    checkout_as_guest(page, live_server, shop, check)
    order = Order.objects.get()

    log_in(page, live_server, shop.admin)
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")
    expect(page.locator("body")).to_contain_text(order.number)
    check("dashboard order")

    page.context.clear_cookies()
    log_in(page, live_server, shop.cashier)
    page.goto(live_server.url + "/pos/")
    expect(page.locator("#location-list input[type=radio]")).to_be_checked()
    check("pos: open a session")
    open_pos_session(page, live_server)
    check("pos: sell")

    assert not found, "\n".join(found)
