"""A small shop whose insight figures are worked out by hand.

Lapas Tangerang, workshop "Bengkel Roti" in the field Makanan > Roti:
- Roti Gandum (Rp10.000): one batch of 10 made, materials Rp40.000 (Rp4.000 a unit);
  a buyer with an account buys 3, then 2 more (a repeat buyer), delivered to Banten;
  50 views.
- Kue Lapis (Rp20.000): one batch of 1, bought by a guest (DKI Jakarta): sold out;
  10 views, all today, after it sold out.
- Tart Buah (Rp30.000): 30 views, never bought.
Lapas Cipinang sells Batik for offices (segment "Kantor"), which Tangerang does not.
Searches: "Roti Keju" found nothing twice, "roti" found 5 once.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from production_link.insight import counters
from production_link.models import Batch
from shop.apps.core.services import user_assign_role
from shop.payments.services import order_mark_paid
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    WorkshopFactory,
    place_order,
)

ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Segment = get_model("catalogue", "Segment")


def sell(product, quantity, *, admin, user=None, guest_email="", province=None):
    basket = create_basket(empty=True)
    if user is not None:
        basket.owner = user
    basket.add_product(product, quantity)
    order = place_order(basket=basket, user=user, guest_email=guest_email)
    assert order_mark_paid(order_id=order.pk, user=admin)
    if province:
        address = ShippingAddress.objects.create(
            first_name="X",
            last_name="Y",
            line1="Jl. Contoh 1",
            line4="Kota",
            state=province,
            postcode="15111",
            country=Country.objects.get(iso_3166_1_a2="ID"),
        )
        type(order).objects.filter(pk=order.pk).update(shipping_address=address)
    return order


def with_materials(product, cost: int):
    batch = Batch.objects.get(product=product)
    batch.materials_cost = Decimal(cost)
    batch.save(update_fields=["materials_cost"])
    return batch


@pytest.fixture
def shop(lapas, other_lapas, central_admin):
    food = CategoryFactory(name="Makanan")
    bread = CategoryFactory(name="Roti", parent=food)
    cloth = CategoryFactory(name="Batik")
    bakery = WorkshopFactory(lapas=lapas, name="Bengkel Roti", field_of_work=food)
    batik = WorkshopFactory(
        lapas=other_lapas, name="Bengkel Batik", code="BTK", field_of_work=cloth
    )
    roti = ProductFactory(
        title="Roti Gandum",
        workshop=bakery,
        categories=[bread],
        stockrecord__price=Decimal("10000"),
        stockrecord__num_in_stock=10,
    )
    kue = ProductFactory(
        title="Kue Lapis",
        workshop=bakery,
        categories=[bread],
        stockrecord__price=Decimal("20000"),
        stockrecord__num_in_stock=1,
    )
    tart = ProductFactory(
        title="Tart Buah",
        workshop=bakery,
        categories=[bread],
        stockrecord__price=Decimal("30000"),
        stockrecord__num_in_stock=4,
    )
    kain = ProductFactory(
        title="Kain Batik Tulis",
        workshop=batik,
        categories=[cloth],
        stockrecord__price=Decimal("250000"),
        stockrecord__num_in_stock=5,
    )
    offices = Segment.objects.create(name="Kantor", slug="kantor")
    homes = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    roti.segments.add(homes)
    kue.segments.add(homes)
    kain.segments.add(offices)
    with_materials(roti, 40000)

    buyer = UserFactory(username="pembeli.roti")
    counters.view_days_add({roti.pk: 50, tart.pk: 30})
    sell(roti, 3, admin=central_admin, user=buyer, province="Banten")
    sell(roti, 2, admin=central_admin, user=buyer, province="Banten")
    sell(kue, 1, admin=central_admin, guest_email="tamu@example.test", province="DKI Jakarta")
    sell(kain, 1, admin=central_admin, guest_email="kantor@example.test", province="Jawa Barat")
    counters.view_days_add({kue.pk: 10})
    for query, found in (("Roti Keju", 0), ("roti  keju", 0), ("roti", 5)):
        counters.search_note(query=query, result_count=found)
    return {
        "bakery": bakery,
        "batik": batik,
        "roti": roti,
        "kue": kue,
        "tart": tart,
        "kain": kain,
        "buyer": buyer,
    }


@pytest.fixture
def kalapas(lapas):
    return user_assign_role(
        user=UserFactory(username="kalapas.tng"), role_code="kalapas", lapas=lapas
    )


@pytest.fixture
def treasurer(lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.tng"), role_code="treasurer", lapas=lapas
    )


@pytest.fixture
def today():
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
