"""Paying by card: the checkout, the pay page and the buyer's return from Stripe, against
the fake Stripe server through the real stripe library."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import Allocation
from shop.apps.order import statuses
from shop.payments.providers import StripeProvider, get_provider
from shop.payments.stripe_client import STRIPE_API_VERSION
from tests.fakes.stripe_server import DECLINE_MESSAGE, PUBLISHABLE_KEY
from tests.shop.checkout.test_checkout import add_to_basket, to_payment_step
from tests.shop.payments.helpers import intent_id, pay_url, place_card_order, return_url

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

STRIPE_JS = "https://js.stripe.com/v3/"


def last_message(response):
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_placing_a_card_order_creates_one_payment_intent_and_keeps_the_stock(
    client, product, fake_stripe
):
    order, response = place_card_order(client, product, quantity=2)

    assert response["Location"] == pay_url(order)
    assert order.status == statuses.AWAITING_PAYMENT
    source = order.sources.get()
    assert source.source_type.name == "Stripe card"
    assert source.amount_allocated == Decimal("300000") and source.amount_debited == 0
    assert not order.payment_events.exists()
    # The units are the buyer's while they pay (allocated to the batch at placement).
    assert sum(Allocation.objects.filter(line__order=order).values_list("quantity", flat=True)) == 2
    intent = fake_stripe.intent(source.reference)
    assert intent["amount"] == 30000000  # Rp300.000 in Stripe's hundredths
    assert intent["currency"] == "idr"
    number = order.checkout.number
    assert intent["metadata"] == {"checkout_number": number, "order_numbers": order.number}
    assert intent["transfer_group"] == number
    assert intent["automatic_payment_methods"] == {"enabled": True}
    (create,) = fake_stripe.requests_to("POST", "/v1/payment_intents")
    assert create["idempotency_key"] == f"karya-checkout-{number}-pi-30000000"
    assert create["stripe_version"] == STRIPE_API_VERSION


def test_the_payment_intent_is_asked_for_before_any_stock_is_locked(
    client, product, fake_stripe, monkeypatch
):
    from django.db import connection

    from shop.payments import stripe_client

    # The test itself runs in a transaction: count the blocks the request opens.
    test_blocks = len(connection.atomic_blocks)
    opened = []
    create = stripe_client.payment_intent_create

    def watched(**kwargs):
        # Stripe may take a second to answer: other buyers must not wait on our locks.
        opened.append(len(connection.atomic_blocks) - test_blocks)
        return create(**kwargs)

    monkeypatch.setattr(stripe_client, "payment_intent_create", watched)

    order, _response = place_card_order(client, product, quantity=1)

    assert opened == [0]
    assert fake_stripe.intent(order.sources.get().reference)["amount"] == 15000000


def test_a_repeated_payment_request_for_a_checkout_gets_the_same_intent(product, fake_stripe):
    from tests.shop.payments.helpers import split_checkout

    checkout, orders = split_checkout(items=[(product, 1)], method="bank_transfer")
    provider = get_provider("stripe")

    first = provider.execute_payment(orders=orders, checkout=checkout)[orders[0].number]
    again = provider.execute_payment(orders=orders, checkout=checkout)[orders[0].number]

    assert first.reference == again.reference
    assert len(fake_stripe.intents) == 1
    # The amount changed (a new basket under the same number): a new intent for the new
    # amount, not Stripe's idempotency error.
    orders[0].total_incl_tax = Decimal("300000")
    changed = provider.execute_payment(orders=orders, checkout=checkout)[orders[0].number]
    assert changed.reference != first.reference
    assert fake_stripe.intent(changed.reference)["amount"] == 30000000


def test_when_stripe_is_down_no_order_is_placed_and_the_basket_is_kept(
    client, product, fake_stripe
):
    to_payment_step(client, product)
    client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    fake_stripe.down = True

    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert response.status_code == 200
    assert response.context["error"]  # Oscar's "no payment has been taken" message
    assert not Order.objects.exists()
    fake_stripe.down = False
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_the_pay_page_mounts_stripe_with_the_intents_client_secret(client, product, fake_stripe):
    order, _response = place_card_order(client, product)

    page = client.get(pay_url(order))

    assert page.status_code == 200
    body = page.content.decode()
    assert f'<script src="{STRIPE_JS}"></script>' in body
    config = page.context["stripe_config"]
    assert config["clientSecret"] == fake_stripe.intent(intent_id(order))["client_secret"]
    assert config["publishableKey"] == PUBLISHABLE_KEY
    assert config["returnUrl"] == f"http://testserver{return_url(order)}"
    assert config["clientSecret"] in body  # for Stripe.js, in the json_script block
    assert page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"]


def test_a_successful_card_payment_marks_the_order_paid_on_return(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    fake_stripe.set_intent_status(intent_id(order), "succeeded")

    response = client.get(return_url(order))

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")
    order.refresh_from_db()
    assert order.status == statuses.PAID
    event = order.payment_events.get()
    assert (event.event_type.name, event.amount, event.reference) == (
        "Paid",
        Decimal("150000"),
        intent_id(order),
    )
    assert order.sources.get().amount_debited == Decimal("150000")
    assert "Stripe" in order.notes.get().message
    assert "pembayaran kartu Anda telah diterima" in last_message(response)
    thank_you = client.get(response["Location"])
    assert thank_you.status_code == 200 and order.number in thank_you.content.decode()
    # Coming back again (a reload, the browser's back button) changes nothing.
    assert client.get(return_url(order))["Location"] == reverse("checkout:thank-you")
    assert client.get(pay_url(order))["Location"] == reverse("checkout:thank-you")
    assert order.payment_events.count() == 1


def test_the_return_page_trusts_stripe_not_the_query_string(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    forged = f"{return_url(order)}?payment_intent={intent_id(order)}&redirect_status=succeeded"

    response = client.get(forged)

    assert response["Location"] == pay_url(order)
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT
    assert not order.payment_events.exists()


def test_a_declined_card_can_be_retried_with_another_card(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    fake_stripe.set_intent_status(intent_id(order), "requires_payment_method")

    declined = client.get(return_url(order))

    assert declined["Location"] == pay_url(order)
    assert DECLINE_MESSAGE in last_message(declined)
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT
    assert not order.payment_events.exists()
    retry = client.get(pay_url(order))
    assert retry.status_code == 200 and STRIPE_JS in retry.content.decode()
    assert retry.context["stripe_config"]["clientSecret"].startswith(intent_id(order))

    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    paid = client.get(return_url(order))

    assert paid["Location"] == reverse("checkout:thank-you")
    order.refresh_from_db()
    assert order.status == statuses.PAID
    assert order.payment_events.count() == 1


def test_a_3d_secure_payment_is_confirmed_when_the_buyer_returns_from_the_bank(
    client, product, fake_stripe
):
    order, _response = place_card_order(client, product)
    # Stripe.js confirmed the card; the bank asks for 3-D Secure and the buyer goes there.
    fake_stripe.set_intent_status(intent_id(order), "requires_action")
    assert client.get(pay_url(order)).status_code == 200
    # The buyer confirms at the bank, which sends them to our return page.
    fake_stripe.set_intent_status(intent_id(order), "succeeded")

    response = client.get(f"{return_url(order)}?payment_intent={intent_id(order)}")

    assert response["Location"] == reverse("checkout:thank-you")
    order.refresh_from_db()
    assert order.status == statuses.PAID


def test_an_abandoned_3d_secure_step_goes_back_to_the_pay_page(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    fake_stripe.set_intent_status(intent_id(order), "requires_action")

    response = client.get(return_url(order))

    assert response["Location"] == pay_url(order)
    assert "belum selesai" in last_message(response)
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT


def test_a_payment_still_processing_tells_the_buyer_to_wait(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    fake_stripe.set_intent_status(intent_id(order), "processing")

    page = client.get(return_url(order))

    assert page.status_code == 200
    assert page.context["state"] == "processing"
    assert STRIPE_JS not in page.content.decode()
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT


def test_the_pay_page_says_so_when_stripe_cannot_be_reached(client, product, fake_stripe):
    order, _response = place_card_order(client, product)
    fake_stripe.down = True

    page = client.get(pay_url(order))

    assert page.status_code == 503
    assert page.context["state"] == "unavailable"
    assert STRIPE_JS not in page.content.decode()


def test_a_cancelled_order_cannot_be_paid_any_more(client, product, fake_stripe):
    from shop.apps.order.services import order_cancel

    order, _response = place_card_order(client, product)
    order_cancel(order_id=order.pk)

    page = client.get(pay_url(order))

    assert page.status_code == 200
    assert page.context["state"] == "closed"
    assert STRIPE_JS not in page.content.decode()


def test_a_signed_in_buyer_may_come_back_to_pay_from_another_browser(
    client, product, buyer, fake_stripe
):
    client.force_login(buyer)
    order, _response = place_card_order(client, product, guest_email=None)
    assert order.user == buyer
    elsewhere = Client()
    elsewhere.force_login(buyer)

    assert elsewhere.get(pay_url(order)).status_code == 200
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    response = elsewhere.get(return_url(order))
    assert response["Location"] == reverse("checkout:thank-you")
    # The thank-you page shows this order in the new session too.
    assert order.number in elsewhere.get(response["Location"]).content.decode()


def test_nobody_else_may_open_the_pay_or_return_page(client, product, buyer, fake_stripe):
    from tests.factories import UserFactory

    order, _response = place_card_order(client, product)  # a guest's order
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    stranger = Client()
    other_buyer = Client()
    other_buyer.force_login(UserFactory(username="pembeli.lain"))

    for visitor in (stranger, other_buyer):
        assert visitor.get(pay_url(order)).status_code == 404
        assert visitor.get(return_url(order)).status_code == 404
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT  # no one else's visit recorded it
    assert client.get(return_url(order)).status_code == 302


def test_a_signed_in_buyers_order_is_theirs_alone(client, product, buyer, fake_stripe):
    from tests.factories import UserFactory

    client.force_login(buyer)
    order, _response = place_card_order(client, product, guest_email=None)
    other_buyer = Client()
    other_buyer.force_login(UserFactory(username="pembeli.lain"))

    assert other_buyer.get(pay_url(order)).status_code == 404
    assert other_buyer.get(return_url(order)).status_code == 404


def test_there_is_no_card_pay_page_for_other_orders(client, product, fake_stripe):
    from tests.shop.checkout.test_checkout import checkout

    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")  # by bank transfer, in this session
    order = Order.objects.get()

    assert client.get(pay_url(order)).status_code == 404
    assert client.get(reverse("payments:stripe-pay", args=["999999"])).status_code == 404


def test_the_card_method_is_offered_with_its_description_when_stripe_is_configured(
    client, product, fake_stripe
):
    to_payment_step(client, product)

    page = client.get(reverse("checkout:payment-method"))

    assert "stripe" in dict(page.context["form"].fields["method"].choices)
    assert str(StripeProvider.description) in page.content.decode()


def test_without_keys_the_card_method_is_not_offered(client, product, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_only_the_public_half"
    to_payment_step(client, product)

    page = client.get(reverse("checkout:payment-method"))
    chosen = client.post(reverse("checkout:payment-method"), {"method": "stripe"})

    assert list(dict(page.context["form"].fields["method"].choices)) == ["bank_transfer"]
    assert chosen.status_code == 200 and chosen.context["form"].errors


def test_stripe_js_is_loaded_on_the_pay_page_only(client, product, fake_stripe):
    to_payment_step(client, product)
    others = [client.get(reverse("basket:summary")), client.get(reverse("checkout:payment-method"))]
    client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    others.append(client.get(reverse("checkout:preview")))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    pay_page = client.get(response["Location"])
    order = Order.objects.get()
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    client.get(return_url(order))
    others += [client.get(reverse("checkout:thank-you")), client.get(reverse("catalogue:index"))]

    assert STRIPE_JS in pay_page.content.decode()
    for page in others:
        assert page.status_code == 200, page.wsgi_request.path
        assert "js.stripe.com" not in page.content.decode(), page.wsgi_request.path


def test_the_pay_page_is_in_both_languages(client, product, fake_stripe):
    order, _response = place_card_order(client, product)

    indonesian = client.get(f"/payments/stripe/pay/{order.number}/")
    english = client.get(f"/en/payments/stripe/pay/{order.number}/")

    assert indonesian.context["stripe_config"]["locale"] == "id"
    assert english.status_code == 200
    assert english.context["stripe_config"]["locale"] == "en"
    assert english.context["stripe_config"]["returnUrl"] == (
        f"http://testserver/en/payments/stripe/return/{order.number}/"
    )
