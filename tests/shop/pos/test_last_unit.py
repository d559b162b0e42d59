"""The last unit of a batch, sold online and at the till (issue 18, part 6).

A gallery that also fulfils online orders holds one batch for both channels: the server's
stock decides who gets its last unit. A sale the till made offline and syncs after the
online shop sold the batch to 0 becomes a conflict for the supervisor, named and never
dropped. The catalogue tells the device, per product, the highest order line number that
took units of it there (its stock version), so the device knows whether a sale it made is
already in the catalogue's quantities, without comparing clocks.
"""

from decimal import Decimal

import pytest
from oscar.test.factories import create_basket

from production_link.models import BatchStock
from shop.pos.models import PosConflict, PosSale
from tests.factories import place_order

from .conftest import post, sale

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/pos/sales/sync"


def catalogue_url(location):
    return f"/api/v1/pos/locations/{location.pk}/catalogue"


def units(batch, location):
    return BatchStock.objects.get(batch=batch, location=location.stock_location).quantity


def buy_online(product, quantity):
    basket = create_basket(empty=True)
    basket.add_product(product, quantity)
    return place_order(basket=basket)


@pytest.fixture
def online_gallery(gallery):
    """The gallery also fulfils the online shop's orders."""
    gallery.stock_location.fulfils_online = True
    gallery.stock_location.save(update_fields=["fulfils_online"])
    return gallery


def test_an_offline_sale_of_a_batch_sold_out_online_is_a_conflict(
    api, session, bag, bag_batch, online_gallery
):
    # The till went offline with 5 units in its catalogue; the shop sells all 5 online.
    order = buy_online(bag, 5)
    assert units(bag_batch, online_gallery) == 0
    assert order.lines.get().allocations.get().batch == bag_batch

    offline = sale(session, (bag, bag_batch.code, 1, 140000), tendered="150000", offline=True)
    response = post(api, SYNC, {"sales": [offline]})

    (result,) = response.json()["results"]
    assert result["status"] == "conflict"
    assert "Tas Batik Tulis" in result["message"]
    # In the cashier's language (Indonesian), naming the batch and what is left of it.
    assert f"hanya tersisa 0 di batch {bag_batch.code}" in result["message"]
    recorded = PosSale.objects.get(uuid=offline["uuid"])
    assert recorded.status == PosSale.Status.CONFLICT
    conflict = PosConflict.objects.get(sale=recorded)
    assert conflict.reason == PosConflict.Reason.INSUFFICIENT_STOCK
    assert not conflict.is_resolved
    assert units(bag_batch, online_gallery) == 0  # nothing taken twice
    # Sent again (no answer reached the device): the same conflict, not a second one.
    again = post(api, SYNC, {"sales": [offline]}).json()["results"][0]
    assert again["status"] == "conflict"
    assert PosConflict.objects.filter(sale__uuid=offline["uuid"]).count() == 1


def test_the_till_sells_the_last_unit_when_the_shop_sold_the_others(
    api, session, bag, bag_batch, online_gallery
):
    buy_online(bag, 4)

    result = post(
        api, SYNC, {"sales": [sale(session, (bag, bag_batch.code, 1, 140000), offline=True)]}
    ).json()["results"][0]

    assert result["status"] == "recorded"
    assert units(bag_batch, online_gallery) == 0
    # The shop now has nothing left to sell from the batch.
    bag.stockrecords.get().refresh_from_db()
    assert bag.stockrecords.get().net_stock_level == 0


def test_the_catalogues_stock_version_is_the_last_line_that_took_units_here(
    api, session, bag, bag_batch, online_gallery
):
    def product_in_catalogue():
        (product,) = api.get(catalogue_url(online_gallery)).json()["products"]
        return product

    assert product_in_catalogue()["stock_version"] == 0

    online = buy_online(bag, 1)
    seen = product_in_catalogue()
    assert seen["stock_version"] == online.lines.get().pk
    assert seen["batches"][0]["quantity"] == 4

    answer = post(
        api, SYNC, {"sales": [sale(session, (bag, bag_batch.code, 1, 140000), tendered="140000")]}
    ).json()["results"][0]
    (line,) = answer["lines"]
    # The answer's line is newer than what the device's catalogue counted...
    assert line["line_id"] > seen["stock_version"]
    # ...and a catalogue fetched after it counts it.
    after = product_in_catalogue()
    assert after["stock_version"] == line["line_id"]
    assert after["batches"][0]["quantity"] == 3
    assert Decimal(answer["total"]) == Decimal("140000")
