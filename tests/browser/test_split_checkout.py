"""A basket from three Lapas, in a real chromium: one checkout, three orders, each paid to
its own Lapas (bank transfer, then card through Stripe Connect), each seen and marked paid
by its own Lapas's treasurer only, each with one PNBP entry."""

from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model
from playwright.sync_api import expect

from production_link.models import LedgerEntry
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from shop.payments.models import OrderPayment
from tests.browser.checkout_steps import guest_checkout
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory

Checkout = get_model("order", "Checkout")
Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LAPAS = (
    ("Lapas Kelas I Tangerang", "TNG", "0011223344", Decimal("150000")),
    ("Lapas Kelas I Cipinang", "CPN", "0022334455", Decimal("275000")),
    ("Lapas Kelas IIA Yogyakarta", "YGY", "0033445566", Decimal("90000")),
)


@pytest.fixture
def three_lapas(db, shipping_rates):
    """Three Lapas, each with a product, its bank account, its connected Stripe account
    and its treasurer."""
    found = []
    for name, code, account, price in LAPAS:
        lapas = LapasFactory(
            name=name,
            short_code=code,
            bank_account_number=account,
            stripe_account_id=f"acct_{code.lower()}browser",
        )
        product = ProductFactory(
            title=f"Produk Bengkel {code}",
            workshop=WorkshopFactory(lapas=lapas, name=f"Bengkel {code}"),
            stockrecord__price=price,
            stockrecord__num_in_stock=5,
        )
        treasurer = user_assign_role(
            user=UserFactory(username=f"bendahara.{code.lower()}"),
            role_code="treasurer",
            lapas=lapas,
        )
        found.append((lapas, product, treasurer))
    return found


def _checkout_three(page, live_server, three_lapas, method: str):
    for _lapas, product, _treasurer in three_lapas:
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(live_server.url + "/basket/")
    for _lapas, product, _treasurer in three_lapas:
        expect(page.locator("body")).to_contain_text(product.title)
    guest_checkout(page, email="tamu.tiga@example.test", method=method)


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def test_three_lapas_by_bank_transfer_each_paid_by_its_own_treasurer(
    page, context, live_server, three_lapas
):
    _checkout_three(page, live_server, three_lapas, "bank_transfer")

    checkout = Checkout.objects.get()
    orders = {order.lapas_id: order for order in checkout.orders.all()}
    assert len(orders) == 3
    expect(page.locator("body")).to_contain_text(checkout.number)
    for lapas, product, _treasurer in three_lapas:
        order = orders[lapas.pk]
        assert [line.product_id for line in order.lines.all()] == [product.pk]
        # Each order its own instructions: its Lapas's account, its own amount.
        instructions = page.locator(f"#transfer-{order.number}")
        expect(instructions).to_contain_text(lapas.bank_account_number)
        assert order.status == statuses.AWAITING_PAYMENT

    staff = context.new_page()
    for lapas, _product, treasurer in three_lapas:
        context.clear_cookies()
        _signed_in(context, live_server, treasurer)
        order = orders[lapas.pk]
        staff.goto(live_server.url + "/dashboard/orders/")
        listing = staff.locator("body")
        expect(listing).to_contain_text(order.number)
        for other in orders.values():
            if other.pk != order.pk:
                expect(listing).not_to_contain_text(other.number)
                # Another Lapas's order: not even found.
                answer = staff.goto(live_server.url + f"/dashboard/orders/{other.number}/")
                assert answer.status == 404

        staff.goto(live_server.url + f"/dashboard/orders/{order.number}/")
        status_form = staff.locator("#order_status_form")
        status_form.locator("select[name=new_status]").select_option(statuses.PAID)
        status_form.locator("button[type=submit]").click()
        expect(staff.locator("body")).to_contain_text(order.number)

        order.refresh_from_db()
        assert order.status == statuses.PAID
        assert OrderPayment.objects.get(order=order).recorded_by == treasurer
        (entry,) = LedgerEntry.objects.filter(order=order, kind="sale")
        assert entry.lapas == lapas

    # The others' payments stayed theirs: one payment and one sale entry per order.
    assert OrderPayment.objects.count() == 3
    assert LedgerEntry.objects.filter(kind="sale").count() == 3


def test_three_lapas_by_card_each_order_reaches_its_own_account(
    page, live_server, three_lapas, fake_stripe
):
    _checkout_three(page, live_server, three_lapas, "stripe")

    checkout = Checkout.objects.get()
    orders = list(checkout.orders.order_by("pk"))
    assert len(orders) == 3
    # The buyer is on the pay page of the whole checkout: one PaymentIntent for it.
    expect(page).to_have_url(f"{live_server.url}/payments/stripe/pay/{checkout.number}/")
    (intent_id,) = {order.sources.get().reference for order in orders}
    intent = fake_stripe.intents[intent_id]
    assert intent["amount"] == sum(o.total_incl_tax for o in orders) * 100
    assert intent["transfer_group"] == checkout.number

    # Stripe.js cannot load here (no network): the card is confirmed at the fake, and
    # Stripe sends the buyer back.
    fake_stripe.set_intent_status(intent_id, "succeeded")
    page.goto(live_server.url + f"/payments/stripe/return/{checkout.number}/")
    expect(page.locator("body")).to_contain_text(checkout.number)

    transfers = fake_stripe.requests_to("POST", "/v1/transfers")
    assert len(transfers) == 3
    for order in orders:
        order.refresh_from_db()
        assert order.status == statuses.PAID
        payment = order.recorded_payment
        assert fake_stripe.transfer(payment.transfer_id)["destination"] == (
            order.lapas.stripe_account_id
        )
        (entry,) = LedgerEntry.objects.filter(order=order, kind="sale")
        assert entry.lapas == order.lapas
