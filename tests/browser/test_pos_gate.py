"""The gate at the till in a real chromium: a cashier scans the label of a product that
has been withdrawn from sale and is refused, with the reason, and nothing goes in the
cart. Assertions read the cart, the product's title (data) and the database."""

import pytest
from playwright.sync_api import expect

from catalog import services as catalog_services
from shop.pos.models import PosSale
from tests.browser import test_pos as steps

# The point of sale's browser fixtures: a gallery of Lapas Yogyakarta with its cashier and
# two batches of batik, and patient expectations for a busy machine.
gallery = steps.gallery
_patient_expectations = steps._patient_expectations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_cashier_scanning_a_withdrawn_product_is_refused(page, live_server, gallery):
    catalog_services.product_unpublish(product=gallery["product"])
    batch = gallery["batches"][1]
    steps.log_in(page, live_server, gallery["cashier"])
    steps.open_session(page, live_server)

    steps.scan(page, batch.code)

    expect(page.locator("#scan-error")).to_contain_text("Kain Batik Tulis Parang")
    expect(page.locator("#cart-lines tr")).to_have_count(0)
    expect(page.locator("#cart-total")).to_have_text("Rp0")
    assert not PosSale.objects.exists()
