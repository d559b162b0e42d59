"""Prices through the partner Strategy: channels and institutional tiers reach basket
lines, order lines and order totals; prices are whole rupiah; a price below cost
needs a recorded confirmation; every change is kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from catalog import pricing, services
from catalog.choices import PriceChannel
from shop.apps.core.services import user_assign_role
from tests.factories import ProductFactory, UserFactory
from tests.shop.checkout.test_checkout import checkout

Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
PriceChange = get_model("catalogue", "PriceChange")

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(product):
    """An office desk at Rp2.350.000 online, with institutional tiers from 3 and 5."""
    desk = ProductFactory(
        title="Meja Kantor Mahoni",
        workshop=product.workshop,
        stockrecord__price=Decimal("2350000"),
        stockrecord__num_in_stock=20,
    )
    services.product_pricing_set(
        product=desk,
        user=None,
        online=Decimal("2350000"),
        gallery=Decimal("2300000"),
        tiers=[(3, Decimal("2250000")), (5, Decimal("2150000"))],
    )
    return desk


@pytest.fixture
def institution(db):
    return user_assign_role(
        user=UserFactory(username="bagian.umum", email="umum@dinas.example.test"),
        role_code="institutional_buyer",
    )


def unit_price(strategy, product):
    return strategy.fetch_for_product(product).price.incl_tax


def test_the_unit_price_rules():
    tiers = [(3, Decimal("90")), (10, Decimal("80"))]
    base = {"online_price": Decimal("100"), "channel_prices": {"gallery": Decimal("95")}}

    def price(**kwargs):
        return pricing.unit_price(**base, tiers=tiers, **kwargs)

    assert price(channel="online") == 100
    assert price(channel="gallery") == 95
    assert price(channel="exhibition") == 100  # no price of its own: the online price
    assert price(channel="online", quantity=10) == 100  # not an institution
    assert price(channel="online", quantity=2, institutional=True) == 100
    assert price(channel="online", quantity=3, institutional=True) == 90
    assert price(channel="online", quantity=12, institutional=True) == 80
    assert price(channel="gallery", quantity=12, institutional=True) == 80


def test_the_strategy_prices_each_channel(desk):
    online = Selector().strategy()
    gallery = Selector().strategy(channel="gallery")
    exhibition = Selector().strategy(channel="exhibition")

    assert unit_price(online, desk) == Decimal("2350000")
    assert unit_price(gallery, desk) == Decimal("2300000")
    assert unit_price(exhibition, desk) == Decimal("2350000")
    assert unit_price(online, desk).as_tuple().exponent == 0  # whole rupiah


def test_a_request_can_ask_for_its_sales_channel(desk, rf):
    request = rf.get("/")
    request.user = UserFactory(username="kasir")
    request.sales_channel = "gallery"

    assert unit_price(Selector().strategy(request=request, user=request.user), desk) == 2300000


def add(client, product, quantity):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def basket_line(client):
    response = client.get(reverse("basket:summary"))
    line = response.context["basket"].all_lines()[0]
    return response, line


def test_an_institutional_buyer_gets_the_tier_price_in_the_basket(client, desk, institution):
    client.force_login(institution)

    add(client, desk, 2)
    _response, line = basket_line(client)
    assert line.unit_price_incl_tax == Decimal("2350000")

    add(client, desk, 1)  # three now: the first tier
    _response, line = basket_line(client)
    assert line.unit_price_incl_tax == Decimal("2250000")

    add(client, desk, 2)  # five: the second tier
    response, line = basket_line(client)
    assert line.unit_price_incl_tax == Decimal("2150000")
    assert response.context["basket"].total_incl_tax == Decimal("10750000")
    assert "Rp10.750.000" in response.content.decode()


def test_changing_the_quantity_in_the_basket_re_prices_the_line(client, desk, institution):
    client.force_login(institution)
    add(client, desk, 5)
    response, line = basket_line(client)
    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "3",
    }
    assert formset.prefix == "form"

    client.post(reverse("basket:summary"), data)

    _response, line = basket_line(client)
    assert line.quantity == 3
    assert line.unit_price_incl_tax == Decimal("2250000")


def test_other_buyers_pay_the_online_price_whatever_the_quantity(client, desk, buyer):
    client.force_login(buyer)

    add(client, desk, 5)

    _response, line = basket_line(client)
    assert line.unit_price_incl_tax == Decimal("2350000")


@pytest.mark.usefixtures("shipping_rates")
def test_basket_and_order_agree_to_the_rupiah_at_the_tier_price(client, desk, institution):
    client.force_login(institution)
    add(client, desk, 5)
    basket_total = client.get(reverse("basket:summary")).context["basket"].total_incl_tax

    thank_you = checkout(client)

    order = Order.objects.get()
    line = order.lines.get()
    assert line.unit_price_incl_tax == Decimal("2150000")
    assert line.line_price_incl_tax == Decimal("10750000")
    assert order.basket_total_incl_tax == basket_total == Decimal("10750000")
    assert order.total_incl_tax == basket_total + order.shipping_incl_tax  # shipping apart
    assert order.total_excl_tax == order.total_incl_tax  # PNBP sales: no tax added
    assert "Rp10.750.000" in thank_you.content.decode()


def test_prices_are_whole_rupiah(english):
    errors = pricing.pricing_errors(
        current=pricing.PricingState(),
        desired=pricing.PricingState(online=Decimal("150000.50")),
        confirm_below_cost=False,
    )

    assert "whole" in errors["price_online"][0]


def test_tier_prices_must_fall_with_quantity_and_stay_under_the_online_price(english):
    errors = pricing.pricing_errors(
        current=pricing.PricingState(),
        desired=pricing.PricingState(
            online=Decimal("100"), tiers={3: Decimal("90"), 10: Decimal("95"), 20: Decimal("120")}
        ),
        confirm_below_cost=False,
    )

    assert len(errors["tiers"]) == 2
    assert "10 units" in errors["tiers"][0]
    assert "online price" in errors["tiers"][1]


def test_a_price_below_cost_needs_a_confirmation(product, central_admin):
    with pytest.raises(ValidationError) as refused:
        services.product_pricing_set(
            product=product,
            user=central_admin,
            online=Decimal("150000"),
            gallery=Decimal("90000"),
            cost_materials=Decimal("70000"),
            cost_labor=Decimal("30000"),
        )

    message = refused.value.message_dict["confirm_below_cost"][0]
    assert "Rp100.000" in message and "Rp90.000" in message
    assert not PriceChange.objects.exists()
    product.refresh_from_db()
    assert product.cost_materials is None


def test_a_confirmed_price_below_cost_is_recorded_with_who_and_when(product, central_admin):
    changes = services.product_pricing_set(
        product=product,
        user=central_admin,
        online=Decimal("150000"),
        gallery=Decimal("90000"),
        cost_materials=Decimal("70000"),
        cost_labor=Decimal("30000"),
        confirm_below_cost=True,
    )

    by_channel = {c.channel: c for c in changes}
    assert set(by_channel) == {PriceChannel.GALLERY, PriceChannel.COST}
    gallery = by_channel[PriceChannel.GALLERY]
    assert gallery.below_cost_confirmed
    assert gallery.changed_by == central_admin and gallery.changed_at is not None
    assert gallery.unit_cost == Decimal("100000")
    assert not PriceChange.objects.filter(channel=PriceChannel.ONLINE).exists()


def test_a_cost_rising_above_a_price_also_needs_a_confirmation(product, central_admin):
    services.product_pricing_set(
        product=product, user=central_admin, online=Decimal("150000"), cost_materials=Decimal("1")
    )

    with pytest.raises(ValidationError):
        services.product_pricing_set(
            product=product,
            user=central_admin,
            online=Decimal("150000"),
            cost_materials=Decimal("160000"),
        )


def test_an_unchanged_price_already_confirmed_below_cost_needs_no_new_confirmation(
    product, central_admin
):
    values = {
        "online": Decimal("150000"),
        "gallery": Decimal("90000"),
        "cost_materials": Decimal("100000"),
    }
    services.product_pricing_set(
        product=product, user=central_admin, confirm_below_cost=True, **values
    )

    changes = services.product_pricing_set(
        product=product, user=central_admin, exhibition=Decimal("160000"), **values
    )

    assert [c.channel for c in changes] == [PriceChannel.EXHIBITION]


def test_every_price_change_is_kept(product, central_admin, workshop_staff):
    services.product_pricing_set(
        product=product,
        user=central_admin,
        online=Decimal("150000"),
        tiers=[(10, Decimal("140000"))],
    )
    services.product_pricing_set(
        product=product,
        user=workshop_staff,
        online=Decimal("155000"),
        tiers=[(10, Decimal("139000")), (20, Decimal("135000"))],
    )
    services.product_pricing_set(product=product, user=workshop_staff, online=Decimal("155000"))

    history = [
        (c.channel, c.min_quantity, c.old_price, c.new_price, c.changed_by.username)
        for c in PriceChange.objects.filter(product=product).order_by("pk")
    ]
    assert history == [
        ("institutional", 10, None, Decimal("140000"), "pusat"),
        ("online", None, Decimal("150000"), Decimal("155000"), "staf.tangerang"),
        ("institutional", 10, Decimal("140000"), Decimal("139000"), "staf.tangerang"),
        ("institutional", 20, None, Decimal("135000"), "staf.tangerang"),
        ("institutional", 10, Decimal("139000"), None, "staf.tangerang"),
        ("institutional", 20, Decimal("135000"), None, "staf.tangerang"),
    ]
    product.refresh_from_db()
    assert product.stockrecords.get().price == Decimal("155000")
    assert not product.price_tiers.exists()
