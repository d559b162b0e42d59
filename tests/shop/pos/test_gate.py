"""The gate at the till: the point of sale refuses what the shop may not publish
(withdrawn, a licence expired, a food label fact missing), online at once and, for a
sale made offline, as a conflict kept for the supervisor."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import services as catalog_services
from shop.pos.models import PosConflict, PosSale
from tests.catalog.helpers import food_product, halal_until

from .conftest import batch_at, post, sale

Order = get_model("order", "Order")
SYNC = "/api/v1/pos/sales/sync"
pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(bag):
    return catalog_services.product_unpublish(product=bag)


def test_an_online_sale_of_a_withdrawn_product_is_refused_and_nothing_kept(
    api, session, bag, bag_batch, withdrawn
):
    result = post(api, SYNC, {"sales": [sale(session, (bag, bag_batch.code, 1, 140000))]}).json()[
        "results"
    ][0]

    assert result["status"] == "rejected" and result["code"] == "not_for_sale"
    assert "Tas Batik Tulis" in result["message"]
    assert not PosSale.objects.exists()
    assert not Order.objects.filter(channel="pos").exists()


def test_an_offline_sale_of_a_withdrawn_product_waits_for_the_supervisor(
    api, session, bag, bag_batch, withdrawn
):
    data = sale(session, (bag, bag_batch.code, 1, 140000), offline=True)

    result = post(api, SYNC, {"sales": [data]}).json()["results"][0]
    again = post(api, SYNC, {"sales": [data]}).json()["results"][0]

    assert result["status"] == "conflict" and again == result
    conflict = PosConflict.objects.get()
    assert conflict.reason == PosConflict.Reason.NOT_FOR_SALE
    assert "Tas Batik Tulis" in conflict.message
    assert conflict.sale.payload["uuid"] == data["uuid"]
    assert not Order.objects.filter(channel="pos").exists()


def test_food_whose_halal_certificate_expired_today_is_refused_before_the_sweep(
    api, session, gallery, lapas, bag
):
    # Still public: the daily sweep has not run yet.
    food = food_product(workshop=bag.workshop, title="Keripik Tempe", **halal_until(-1))
    batch = batch_at(
        gallery,
        product=food,
        quantity=4,
        expiry_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert food.is_public

    result = post(api, SYNC, {"sales": [sale(session, (food, batch.code, 1, 25000))]}).json()[
        "results"
    ][0]

    assert result["code"] == "not_for_sale" and "Keripik Tempe" in result["message"]


def test_a_sale_mixing_a_sellable_and_a_withdrawn_product_is_refused_whole(
    api, session, gallery, bag, bag_batch, lapas
):
    food = food_product(workshop=bag.workshop, title="Kue Nastar", **halal_until(300))
    batch = batch_at(
        gallery,
        product=food,
        quantity=4,
        expiry_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    catalog_services.product_unpublish(product=food)

    data = sale(session, (bag, bag_batch.code, 1, 140000), (food, batch.code, 1, 30000))
    result = post(api, SYNC, {"sales": [data]}).json()["results"][0]

    assert result["status"] == "rejected"
    assert "Kue Nastar" in result["message"] and "Tas Batik" not in result["message"]


def test_the_catalogue_tells_the_device_what_to_refuse(api, gallery, bag, bag_batch):
    url = f"/api/v1/pos/locations/{gallery.pk}/catalogue"
    (sellable,) = api.get(url).json()["products"]
    assert sellable["refusal"] == ""

    catalog_services.product_unpublish(product=bag)
    (refused,) = api.get(url).json()["products"]

    assert "Tas Batik Tulis" in refused["refusal"]
