"""Placing an order paid by card, as a buyer would, for the Stripe tests."""

from django.urls import reverse
from oscar.core.loading import get_model

from tests.shop.checkout.test_checkout import ADDRESS, add_to_basket

Order = get_model("order", "Order")


def place_card_order(client, product, *, quantity=1, guest_email="tamu@example.test"):
    """Walk the checkout choosing the card; returns the order and the response of placing
    it (a redirect to the pay page)."""
    add_to_basket(client, product, quantity)
    if guest_email:
        client.post(reverse("checkout:index"), {"username": guest_email, "options": "anonymous"})
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(reverse("checkout:shipping-method"))
    response = client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    assert response["Location"].endswith(reverse("checkout:preview")), response
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.latest("pk"), response


def pay_url(order):
    return reverse("payments:stripe-pay", kwargs={"order_number": order.number})


def return_url(order):
    return reverse("payments:stripe-return", kwargs={"order_number": order.number})


def intent_id(order):
    return order.sources.get(source_type__name="Stripe card").reference
