"""A new buyer, in a real chromium: home page → product → basket → bank-transfer checkout."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from shop.apps.order import statuses
from tests.browser.checkout_steps import guest_checkout
from tests.factories import LapasFactory, ProductFactory, WorkshopFactory

Order = get_model("order", "Order")

# The live server runs in another thread, so the data must be committed; the rollback
# restores what the migrations made (home page, country, roles) for the tests after this one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def featured_product(db, shipping_rates):
    from cms.models import HomePage

    lapas = LapasFactory(name="Lapas Kelas IIA Yogyakarta", bank_account_number="0029011223344")
    product = ProductFactory(
        title="Kain Batik Tulis Parang",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Batik"),
        stockrecord__price=Decimal("650000"),
        stockrecord__num_in_stock=3,
    )
    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    home.save_revision().publish()
    return product


def test_guest_buys_a_featured_product_by_bank_transfer(page, live_server, featured_product):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Kain Batik Tulis Parang").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kain Batik Tulis Parang")

    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(live_server.url + "/basket/")
    expect(page.locator("body")).to_contain_text("Rp650.000")
    guest_checkout(page, email="tamu@example.test")

    order = Order.objects.get()
    # One Lapas, one order: its own transfer instructions, with its Lapas's account.
    instructions = page.locator(f"#transfer-{order.number}")
    expect(instructions).to_contain_text("0029011223344")
    # Rp650.000 and Rp20.000 courier: 1 kg (no gross weight entered), Banten to Yogyakarta.
    expect(instructions).to_contain_text("Rp670.000")
    assert order.status == statuses.AWAITING_PAYMENT
    assert order.guest_email == "tamu@example.test"
    expect(page.locator("body")).to_contain_text(order.number)
