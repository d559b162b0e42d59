"""Buy again: one click puts a past order's lines back in the basket at today's prices
and within today's stock, naming what is no longer available; only the buyer's own."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from shop.apps.basket.services import basket_add_order_again
from tests.factories import ProductFactory, WorkshopFactory, place_order

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def goods(lapas, title, *, price="50000", stock=10):
    return ProductFactory(
        title=title,
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal(price),
        stockrecord__num_in_stock=stock,
    )


def past_order(user, *items):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return place_order(basket=basket, user=user)


def fresh_basket(user):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    return basket


def set_stock(product, units):
    record = product.stockrecords.get()
    record.num_in_stock = units + (record.num_allocated or 0)
    record.save()


def test_every_line_goes_back_at_todays_price(buyer, lapas):
    batik = goods(lapas, "Kain Batik Tulis", price="250000")
    roti = goods(lapas, "Roti Sobek")
    order = past_order(buyer, (batik, 1), (roti, 3))
    record = batik.stockrecords.get()
    record.price = Decimal("275000")
    record.save()
    basket = fresh_basket(buyer)

    result = basket_add_order_again(basket=basket, order=order)

    lines = {line.product_id: line for line in basket.all_lines()}
    assert lines[batik.pk].quantity == 1 and lines[roti.pk].quantity == 3
    assert lines[batik.pk].price_incl_tax == Decimal("275000")  # today's, not the order's
    assert result.units_added == 4
    assert result.repriced == [("Kain Batik Tulis", Decimal("250000"), Decimal("275000"))]
    assert result.unavailable == [] and result.fewer == []


def test_what_is_gone_is_named_and_what_is_short_is_added_in_part(buyer, lapas):
    batik = goods(lapas, "Kain Batik Tulis")
    roti = goods(lapas, "Roti Sobek")
    kursi = goods(lapas, "Kursi Jati")
    order = past_order(buyer, (batik, 2), (roti, 3), (kursi, 1))
    set_stock(roti, 1)  # one left today
    kursi.is_public = False  # withdrawn from sale
    kursi.save()
    set_stock(batik, 0)  # sold out
    basket = fresh_basket(buyer)

    result = basket_add_order_again(basket=basket, order=order)

    assert [(line.product.title, line.quantity) for line in basket.all_lines()] == [
        ("Roti Sobek", 1)
    ]
    assert result.fewer == [("Roti Sobek", 3, 1)]
    assert sorted(result.unavailable) == ["Kain Batik Tulis", "Kursi Jati"]


def test_units_already_in_the_basket_count_against_todays_stock(buyer, lapas):
    roti = goods(lapas, "Roti Sobek")
    order = past_order(buyer, (roti, 3))
    set_stock(roti, 4)
    basket = fresh_basket(buyer)
    basket.add_product(roti, 2)

    result = basket_add_order_again(basket=basket, order=order)

    assert basket.all_lines()[0].quantity == 4
    assert result.fewer == [("Roti Sobek", 3, 2)]


def test_one_click_on_the_order_page_fills_the_basket_and_says_what_is_gone(
    client, buyer, lapas, english
):
    roti = goods(lapas, "Roti Sobek")
    kursi = goods(lapas, "Kursi Jati")
    order = past_order(buyer, (roti, 2), (kursi, 1))
    kursi.is_public = False
    kursi.save()
    client.force_login(buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert (
        reverse("buy_again:order", kwargs={"order_number": order.number}) in page.content.decode()
    )

    response = client.post(
        reverse("buy_again:order", kwargs={"order_number": order.number}), follow=True
    )

    assert response.redirect_chain[-1][0].endswith(reverse("basket:summary"))
    content = response.content.decode()
    assert "Kursi Jati" in content and "no longer available" in content
    assert "2 items from order" in content
    basket = Basket.objects.filter(owner=buyer, status="Open").get()
    assert [(line.product_id, line.quantity) for line in basket.all_lines()] == [(roti.pk, 2)]


def test_nothing_left_to_buy_goes_back_to_the_order_with_a_message(client, buyer, lapas, english):
    roti = goods(lapas, "Roti Sobek")
    order = past_order(buyer, (roti, 2))
    set_stock(roti, 0)
    client.force_login(buyer)

    response = client.post(
        reverse("buy_again:order", kwargs={"order_number": order.number}), follow=True
    )

    assert response.redirect_chain[-1][0].endswith(
        reverse("customer:order", kwargs={"order_number": order.number})
    )
    assert "can be bought today" in response.content.decode()


def test_another_buyers_order_is_a_404_and_changes_no_basket(client, buyer, lapas):
    from tests.factories import UserFactory

    roti = goods(lapas, "Roti Sobek")
    order = past_order(buyer, (roti, 2))
    stranger = UserFactory(username="orang.lain")
    client.force_login(stranger)

    response = client.post(reverse("buy_again:order", kwargs={"order_number": order.number}))

    assert response.status_code == 404
    assert not Basket.objects.filter(owner=stranger, lines__isnull=False).exists()


def test_the_signed_out_are_sent_to_log_in(client, buyer, lapas):
    order = past_order(buyer, (goods(lapas, "Roti Sobek"), 1))

    response = client.post(reverse("buy_again:order", kwargs={"order_number": order.number}))

    assert response.status_code == 302 and "login" in response["Location"]


def test_buy_again_only_answers_a_post(client, buyer, lapas):
    order = past_order(buyer, (goods(lapas, "Roti Sobek"), 1))
    client.force_login(buyer)

    response = client.get(reverse("buy_again:order", kwargs={"order_number": order.number}))

    assert response.status_code == 405
