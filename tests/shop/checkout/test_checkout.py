import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.order import statuses

Order = get_model("order", "Order")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]

ADDRESS = {
    "first_name": "Dewi Lestari",
    "line1": "Jl. Merdeka No. 10",
    "line2": "Kel. Sukasari",
    "line3": "Kec. Tangerang",
    "line4": "Kota Tangerang",
    "state": "Banten",
    "postcode": "15111",
    "phone_number": "081234567890",
    "notes": "",
}


def add_to_basket(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def to_payment_step(client, product):
    add_to_basket(client, product)
    client.post(
        reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
    )
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))  # the only method (courier) is chosen


def checkout(client, *, guest_email=None):
    """Walk the checkout as a buyer would; returns the thank-you response."""
    if guest_email:
        response = client.post(
            reverse("checkout:index"), {"username": guest_email, "options": "anonymous"}
        )
        assert response.status_code == 302
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.get(reverse("checkout:shipping-method"))
    assert response["Location"].endswith(reverse("checkout:payment-method"))
    page = client.get(reverse("checkout:payment-method"))
    assert "Transfer bank" in page.content.decode() or "Bank transfer" in page.content.decode()
    response = client.post(reverse("checkout:payment-method"), {"method": "bank_transfer"})
    assert response["Location"].endswith(reverse("checkout:preview"))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_guest_checkout_by_bank_transfer_places_an_order_awaiting_payment(client, product):
    add_to_basket(client, product, quantity=2)

    thank_you = checkout(client, guest_email="tamu@example.test")

    order = Order.objects.get()
    assert order.guest_email == "tamu@example.test"
    assert order.status == statuses.AWAITING_PAYMENT
    # Rp300.000 of goods and Rp18.000 shipping: 2 units without a gross weight count 1 kg
    # each (shop.apps.shipping.selectors), from Banten to Banten.
    assert order.total_incl_tax == 318000
    assert order.shipping_incl_tax == 18000
    assert order.shipping_address.state == "Banten"
    assert order.shipping_address.country.iso_3166_1_a2 == "ID"
    source = order.sources.get()
    assert source.source_type.name == "Bank transfer"
    assert source.amount_allocated == 318000 and source.amount_debited == 0
    body = thank_you.content.decode()
    assert order.number in body
    assert product.workshop.lapas.bank_account_number in body
    assert "Rp318.000" in body


def test_signed_in_buyer_checks_out_and_sees_the_order_in_their_account(client, product, buyer):
    client.force_login(buyer)
    add_to_basket(client, product)

    checkout(client)

    order = Order.objects.get()
    assert order.user == buyer
    assert client.get(reverse("customer:order-list")).content.decode().count(order.number) >= 1


def test_shipping_address_rejects_a_bad_postcode_with_a_message(client, product):
    add_to_basket(client, product)
    client.post(
        reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
    )

    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "postcode": "ABC"})

    assert response.status_code == 200
    assert response.context["form"].errors["postcode"]
    assert not Order.objects.exists()


def test_address_form_asks_for_an_indonesian_province(client, product):
    add_to_basket(client, product)
    client.post(
        reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
    )

    form = client.get(reverse("checkout:shipping-address")).context["form"]

    provinces = [value for value, _label in form.fields["state"].choices if value]
    assert len(provinces) == 38 and "DI Yogyakarta" in provinces
    assert "country" not in form.fields  # Indonesia is the only shipping country


def test_preview_without_a_payment_method_goes_back_to_choose_one(client, product):
    to_payment_step(client, product)

    response = client.get(reverse("checkout:preview"))

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("checkout:payment-method"))


def test_an_unknown_payment_method_is_refused(client, product):
    to_payment_step(client, product)

    response = client.post(reverse("checkout:payment-method"), {"method": "bitcoin"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_bank_transfer_is_not_offered_when_a_lapas_has_no_account(client, product):
    lapas = product.workshop.lapas
    lapas.bank_account_number = ""
    lapas.save()
    to_payment_step(client, product)

    response = client.get(reverse("checkout:payment-method"))

    assert response.context["form"].fields["method"].choices == []
