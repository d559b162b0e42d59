"""Courier rates behind one interface: the zone table by default, a courier aggregator's
API when configured (tested against a local fake of it over real HTTP), and the zone
table again whenever the aggregator fails, told to staff on the order, never to the buyer.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.shipping import rates
from shop.apps.shipping.methods import Courier
from shop.apps.shipping.services import order_note_rate_fallback
from tests.fakes.courier_rates_server import API_KEY
from tests.shop.checkout.test_checkout import add_to_basket, checkout
from tests.shop.shipping.test_rates import basket_of, goods

Order = get_model("order", "Order")
RateFallback = get_model("shipping", "RateFallback")
ShippingAddress = get_model("order", "ShippingAddress")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]


@pytest.fixture(autouse=True)
def _no_remembered_rates():
    cache.clear()
    yield
    cache.clear()


def courier_to(basket, province="Jawa Tengah", postcode="50241"):
    methods = methods_to_address(basket, province, postcode)
    (courier,) = [m for m in methods if isinstance(m, Courier)]
    return courier


def methods_to_address(basket, province, postcode):
    from shop.apps.shipping.repository import Repository

    address = ShippingAddress(state=province, postcode=postcode)
    return Repository().get_shipping_methods(basket, shipping_addr=address)


def test_without_an_aggregator_the_zone_table_prices_and_nothing_is_recorded(lapas, settings):
    settings.KARYA_SHIPPING_RATES_URL = ""
    basket = basket_of((goods(lapas, 1200), 1))

    courier = courier_to(basket)

    assert courier.charge == Decimal("36000")  # the region table's 2 kg band
    assert [p.provider for p in courier.parcels] == [rates.ZONE_TABLE]
    assert not RateFallback.objects.exists()


def test_the_aggregator_prices_by_origin_destination_and_weight(lapas, fake_courier_rates):
    basket = basket_of((goods(lapas, 1200), 2))  # 2.4 kg: three started kilograms

    courier = courier_to(basket, postcode="50241")

    # The cheapest of the couriers asked: SiCepat at Rp10.000 a kilogram.
    assert courier.charge == Decimal("30000")
    assert [p.provider for p in courier.parcels] == [rates.AGGREGATOR]
    (request,) = fake_courier_rates.requests
    assert request["auth"] == API_KEY
    assert request["body"]["origin_postal_code"] == 15111  # the Lapas's address
    assert request["body"]["destination_postal_code"] == 50241
    assert request["body"]["items"][0]["weight"] == 2400
    assert request["body"]["couriers"] == "jne,sicepat,jnt"
    assert not RateFallback.objects.exists()


def test_each_lapas_parcel_is_priced_on_its_own(lapas, other_lapas, fake_courier_rates):
    basket = basket_of((goods(lapas, 800), 1), (goods(other_lapas, 2500), 1))

    courier = courier_to(basket)

    assert [p.charge for p in courier.parcels] == [Decimal("10000"), Decimal("30000")]
    assert courier.charge == Decimal("40000")


def test_a_quote_is_remembered_so_checkout_does_not_ask_again(lapas, fake_courier_rates):
    product = goods(lapas, 1000)
    courier_to(basket_of((product, 1)))
    courier_to(basket_of((product, 1)))

    assert len(fake_courier_rates.requests) == 1


@pytest.mark.parametrize("failure", ["down", "slow", "garbage", "no_route", "bad_key"])
def test_when_the_aggregator_fails_the_zone_table_charges_and_staff_are_told(
    lapas, fake_courier_rates, settings, failure
):
    if failure == "slow":
        fake_courier_rates.slow = 1.0  # the client waits 0.5 s
    elif failure == "bad_key":
        settings.KARYA_SHIPPING_RATES_KEY = "wrong"
    else:
        setattr(fake_courier_rates, failure, True)
    basket = basket_of((goods(lapas, 1200), 1))

    courier = courier_to(basket)

    assert courier.charge == Decimal("36000")  # the zone table's charge
    (parcel,) = courier.parcels
    assert parcel.provider == rates.ZONE_TABLE and parcel.fallback_reason
    fallback = RateFallback.objects.get()
    assert (fallback.basket_id, fallback.lapas) == (basket.pk, lapas)
    # The buyer's view of the method says nothing of it.
    assert "zone table" not in str(courier.description).lower()
    assert parcel.fallback_reason not in str(courier.description)


def test_a_failed_aggregator_is_left_alone_for_a_while(lapas, fake_courier_rates):
    fake_courier_rates.down = True
    courier_to(basket_of((goods(lapas, 1000), 1)))
    fake_courier_rates.down = False

    courier = courier_to(basket_of((goods(lapas, 1000), 1)))

    assert len(fake_courier_rates.requests) == 1  # not asked again within the minute
    assert courier.parcels[0].provider == rates.ZONE_TABLE
    assert courier.parcels[0].fallback_reason  # still reported to staff


def test_without_postcodes_the_aggregator_is_not_asked(lapas, fake_courier_rates):
    courier = courier_to(basket_of((goods(lapas, 1000), 1)), postcode="")

    assert fake_courier_rates.requests == []
    assert courier.parcels[0].provider == rates.ZONE_TABLE
    assert "postcode" in courier.parcels[0].fallback_reason


def test_a_url_that_is_not_http_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.KARYA_SHIPPING_RATES_URL = "file:///etc/passwd"
    with pytest.raises(ImproperlyConfigured):
        rates.rate_provider()


def test_an_order_placed_during_a_fallback_carries_a_staff_note_and_the_buyer_sees_none(
    client, product, fake_courier_rates
):
    fake_courier_rates.down = True
    add_to_basket(client, product, quantity=1)
    checkout(client, guest_email="tamu@example.test")
    order = Order.objects.get()

    # The note (in the shop's language) names why the zone table charged.
    (note,) = order.notes.filter(message__contains="HTTP 500: Internal error")
    assert order.shipping_incl_tax > 0
    # The buyer's thank-you page shows the charge only, not why it was charged so.
    page = client.get(reverse("checkout:thank-you"))
    assert page.status_code == 200
    assert note.message not in page.content.decode()
    assert "Internal error" not in page.content.decode()


def test_an_order_placed_while_the_aggregator_answers_gets_no_note(
    client, product, fake_courier_rates
):
    add_to_basket(client, product, quantity=1)
    checkout(client, guest_email="tamu@example.test")
    order = Order.objects.get()

    assert not order.notes.exists()
    assert order_note_rate_fallback(order=order) is False
