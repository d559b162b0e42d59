"""Products a Lapas reserves for internal needs: correctional units first."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.partner.strategy import Selector
from shop.institutions import services
from shop.institutions.availability import ReservedForInternalNeeds
from shop.institutions.models import ProductReservation

Basket = get_model("basket", "Basket")


@pytest.fixture
def reserved(product, workshop_staff):
    services.product_reservation_set(
        user=workshop_staff,
        product_id=product.pk,
        reserved_until=timezone.localdate() + timedelta(days=30),
        note="Seragam WBP",
    )
    return product


@pytest.fixture
def internal_buyer(approve):
    from tests.factories import UserFactory

    user = UserFactory(username="rutan.pengadaan")
    approve(user, name="Rutan Kelas I Jakarta Pusat", kind="correctional")
    return user


def _buyable(product, user):
    info = Selector().strategy(user=user).fetch_for_product(product)
    return info.availability.is_available_to_buy


def test_only_internal_buyers_may_buy_a_reserved_product(
    reserved, buyer, org_buyer, internal_buyer
):
    from django.contrib.auth.models import AnonymousUser

    assert _buyable(reserved, internal_buyer)
    assert not _buyable(reserved, org_buyer)
    assert not _buyable(reserved, AnonymousUser())
    info = Selector().strategy(user=org_buyer).fetch_for_product(reserved)
    assert isinstance(info.availability, ReservedForInternalNeeds)
    assert info.availability.until == timezone.localdate() + timedelta(days=30)


def test_after_the_reservation_everyone_may_buy(product, workshop_staff, org_buyer):
    ProductReservation.objects.create(
        product=product, reserved_until=timezone.localdate() - timedelta(days=1)
    )
    assert _buyable(product, org_buyer)


def test_ending_a_reservation_opens_the_product_at_once(reserved, workshop_staff, org_buyer):
    assert not _buyable(reserved, org_buyer)
    services.product_reservation_clear(user=workshop_staff, product_id=reserved.pk)
    assert _buyable(reserved, org_buyer)


def test_the_basket_refuses_a_reserved_product_for_others(client, reserved, org_buyer):
    client.force_login(org_buyer)
    client.post(reverse("basket:add", kwargs={"pk": reserved.pk}), {"quantity": 1})
    basket = Basket.objects.filter(owner=org_buyer).first()
    assert basket is None or basket.num_items == 0


def test_a_quote_request_with_a_reserved_product_is_refused_for_others(
    reserved, org_buyer, internal_buyer
):
    def basket_of(user):
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy(user=internal_buyer)  # as it stood before
        basket.add_product(reserved, quantity=2)
        return basket

    with pytest.raises(ValidationError):
        services.quote_request_from_basket(
            user=org_buyer, basket=basket_of(org_buyer), delivery_place="Kantor"
        )
    (quote,) = services.quote_request_from_basket(
        user=internal_buyer, basket=basket_of(internal_buyer), delivery_place="Rutan"
    )
    assert quote.lines.get().product == reserved


def test_only_the_products_lapas_reserves_it(product, other_workshop_staff, workshop_staff):
    until = timezone.localdate() + timedelta(days=5)
    with pytest.raises(Http404):
        services.product_reservation_set(
            user=other_workshop_staff, product_id=product.pk, reserved_until=until
        )
    with pytest.raises(ValidationError):
        services.product_reservation_set(
            user=workshop_staff, product_id=product.pk, reserved_until=until + timedelta(days=365)
        )
    with pytest.raises(ValidationError):
        services.product_reservation_set(
            user=workshop_staff,
            product_id=product.pk,
            reserved_until=timezone.localdate() - timedelta(days=1),
        )
    assert not ProductReservation.objects.exists()


def test_the_reservation_page_lists_and_reserves_own_products(
    client, product, workshop_staff, other_workshop_staff, buyer
):
    url = reverse("institutions_dashboard:reservation-list")
    client.force_login(other_workshop_staff)
    page = client.get(url)
    assert page.status_code == 200 and product.get_title() not in page.content.decode()
    response = client.post(
        url,
        {"product": product.pk, "reserved_until": timezone.localdate() + timedelta(days=5)},
    )
    assert response.status_code == 400 and not ProductReservation.objects.exists()
    client.force_login(workshop_staff)
    response = client.post(
        url,
        {"product": product.pk, "reserved_until": timezone.localdate() + timedelta(days=5)},
    )
    assert response.status_code == 302
    assert ProductReservation.objects.get().product == product
    client.force_login(buyer)
    assert client.get(url).status_code == 403
