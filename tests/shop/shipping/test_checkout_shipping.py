"""Checkout with shipping: courier or gallery pickup chosen, services without a shipping
step, a mixed basket, an address that cannot be shipped to."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import StockLocation
from tests.factories import ProductClassFactory, ProductFactory, WorkshopFactory
from tests.shop.checkout.test_checkout import ADDRESS, add_to_basket, checkout

Order = get_model("order", "Order")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]


@pytest.fixture
def batik(lapas):
    return ProductFactory(
        title="Kain Batik Cap",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Batik"),
        gross_weight_grams=1200,
        stockrecord__price=Decimal("250000"),
        stockrecord__num_in_stock=5,
    )


@pytest.fixture
def laundry(lapas):
    return ProductFactory(
        title="Laundry Kiloan",
        workshop=WorkshopFactory(lapas=lapas, name="Laundry"),
        product_class=ProductClassFactory(name="Jasa", requires_shipping=False, track_stock=False),
        stockrecord__price=Decimal("8000"),
        stockrecord__num_in_stock=0,
    )


@pytest.fixture
def gallery(lapas):
    return StockLocation.objects.create(
        lapas=lapas, kind="gallery", name="Galeri Karya Tangerang", city="Kota Tangerang"
    )


def to_shipping_method(client, address=ADDRESS):
    client.post(
        reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
    )
    response = client.post(reverse("checkout:shipping-address"), address)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("checkout:shipping-method"))


def pay_and_place(client):
    response = client.post(reverse("checkout:payment-method"), {"method": "bank_transfer"})
    assert response["Location"].endswith(reverse("checkout:preview"))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get()


def test_the_buyer_chooses_between_courier_and_free_pickup(client, batik, gallery):
    add_to_basket(client, batik)

    page = to_shipping_method(client)

    assert page.status_code == 200
    codes = [method.code for method in page.context["methods"]]
    assert codes == ["courier", f"pickup-gallery-{gallery.pk}"]
    assert "Galeri Karya Tangerang" in page.content.decode()
    assert "Rp18.000" in page.content.decode()  # 1.2 kg within Banten: the 2 kg band


def test_checkout_with_the_courier_charges_shipping_apart_from_the_goods(client, batik, gallery):
    add_to_basket(client, batik, quantity=2)
    to_shipping_method(client)

    response = client.post(reverse("checkout:shipping-method"), {"method_code": "courier"})
    assert response["Location"].endswith(reverse("checkout:payment-method"))
    order = pay_and_place(client)

    # 2 x 1.2 kg = 2.4 kg from Banten to Banten: the 5 kg band.
    assert order.shipping_code == "courier"
    assert order.shipping_incl_tax == order.shipping_excl_tax == Decimal("40000")
    assert order.basket_total_incl_tax == Decimal("500000")
    assert order.total_incl_tax == Decimal("540000")


def test_checkout_with_pickup_is_free_and_the_gallery_shows_on_the_order(
    client, batik, gallery, central_admin
):
    add_to_basket(client, batik)
    to_shipping_method(client)

    client.post(
        reverse("checkout:shipping-method"), {"method_code": f"pickup-gallery-{gallery.pk}"}
    )
    order = pay_and_place(client)

    assert order.shipping_code == f"pickup-gallery-{gallery.pk}"
    assert "Galeri Karya Tangerang" in order.shipping_method
    assert order.shipping_incl_tax == 0
    assert order.total_incl_tax == Decimal("250000")
    client.force_login(central_admin)
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert page.status_code == 200
    assert 'id="order-pickup"' in page.content.decode()
    assert "Galeri Karya Tangerang, Kota Tangerang" in page.content.decode()


def test_a_pickup_gallery_that_closed_meanwhile_cannot_be_chosen(client, batik, gallery):
    add_to_basket(client, batik)
    to_shipping_method(client)
    client.post(
        reverse("checkout:shipping-method"), {"method_code": f"pickup-gallery-{gallery.pk}"}
    )
    gallery.is_active = False
    gallery.save()

    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("checkout:shipping-method"))
    assert not Order.objects.exists()


def test_a_basket_of_services_skips_the_address_and_shipping_steps(client, laundry):
    add_to_basket(client, laundry, quantity=3)
    client.post(
        reverse("checkout:index"), {"username": "tamu@example.test", "options": "anonymous"}
    )

    address_step = client.get(reverse("checkout:shipping-address"))
    assert address_step["Location"].endswith(reverse("checkout:shipping-method"))
    method_step = client.get(reverse("checkout:shipping-method"))
    assert method_step["Location"].endswith(reverse("checkout:payment-method"))
    order = pay_and_place(client)

    assert order.shipping_address is None
    assert order.shipping_code == "no-shipping-required"
    assert order.shipping_incl_tax == 0
    assert order.total_incl_tax == Decimal("24000")


def test_a_mixed_basket_ships_the_goods_only(client, batik, laundry):
    add_to_basket(client, batik)
    add_to_basket(client, laundry, quantity=5)

    checkout(client, guest_email="tamu@example.test")

    order = Order.objects.get()
    assert order.shipping_address.state == "Banten"
    assert order.shipping_incl_tax == Decimal("18000")  # the batik's 1.2 kg, no laundry
    assert order.total_incl_tax == Decimal("250000") + Decimal("40000") + Decimal("18000")


def test_an_address_in_a_zone_without_rates_is_sent_back(client, batik, shipping_rates):
    shipping_rates["remote"].delete()
    add_to_basket(client, batik)

    response = to_shipping_method(client, {**ADDRESS, "state": "Papua", "postcode": "99111"})

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("checkout:shipping-address"))


def test_the_basket_page_says_shipping_is_added_at_checkout(client, batik, english):
    add_to_basket(client, batik)

    page = client.get(reverse("basket:summary"))

    body = page.content.decode()
    assert 'id="shipping-to-be-calculated"' in body
    assert "Shipping is calculated at checkout" in body
    assert page.context["order_total"].incl_tax == Decimal("250000")
