"""Courier charges by zone and weight, per Lapas parcel; gallery pickup; services."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model

from production_link.models import StockLocation
from shop.apps.shipping.methods import Courier, GalleryPickup, ToBeCalculated
from shop.apps.shipping.repository import Repository
from tests.factories import LapasFactory, ProductClassFactory, ProductFactory, WorkshopFactory

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
PartnerAddress = get_model("partner", "PartnerAddress")
Selector = get_class("partner.strategy", "Selector")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]


def goods(lapas, grams, **kwargs):
    return ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        gross_weight_grams=grams,
        stockrecord__price=Decimal("50000"),
        stockrecord__num_in_stock=20,
        **kwargs,
    )


def service(lapas):
    jasa = ProductClassFactory(name="Jasa", requires_shipping=False, track_stock=False)
    return ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        product_class=jasa,
        stockrecord__price=Decimal("30000"),
        stockrecord__num_in_stock=0,
    )


def basket_of(*items):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def methods_to(basket, province):
    return Repository().get_shipping_methods(basket, shipping_addr=ShippingAddress(state=province))


def courier_charge(basket, province):
    (courier,) = [m for m in methods_to(basket, province) if isinstance(m, Courier)]
    return courier.calculate(basket).incl_tax


@pytest.mark.parametrize(
    ("grams", "quantity", "province", "charge"),
    [
        (1000, 1, "Banten", 10000),  # exactly the 1 kg band
        (1200, 1, "Banten", 18000),  # 1.2 kg: the 2 kg band
        (2500, 2, "Banten", 40000),  # 5 kg: the top band
        (3500, 2, "Banten", 58000),  # 7 kg: one 5 kg band (40.000) + the 2 kg band (18.000)
        (1200, 1, "Jawa Tengah", 36000),  # same island group
        (1200, 1, "Sumatera Utara", 72000),  # another island group
        (1200, 1, "Papua", 180000),  # Maluku and Papua
        (400, 3, "Papua Selatan", 180000),  # 1.2 kg again, as three units
    ],
)
def test_courier_charge_by_zone_and_weight_band(lapas, grams, quantity, province, charge):
    basket = basket_of((goods(lapas, grams), quantity))  # the Lapas is in Banten

    assert courier_charge(basket, province) == Decimal(charge)


def test_the_charge_is_whole_rupiah_without_tax_in_the_basket_currency(lapas, shipping_rates):
    shipping_rates["province"].bands.filter(upper_limit=1).update(charge=Decimal("9999.60"))
    basket = basket_of((goods(lapas, 800), 1))

    (courier,) = methods_to(basket, "Banten")
    price = courier.calculate(basket)

    assert price.incl_tax == price.excl_tax == Decimal("10000")
    assert price.tax == 0
    assert price.currency == "IDR"


def test_each_lapas_ships_its_own_parcel_and_the_charges_add_up(lapas):
    surabaya = LapasFactory(name="Lapas Kelas I Surabaya")
    PartnerAddress.objects.filter(partner=surabaya).update(state="Jawa Timur")
    basket = basket_of((goods(lapas, 1500), 2), (goods(surabaya, 400), 1))

    (courier,) = methods_to(basket, "Banten")

    # Tangerang: 3 kg within Banten, the 5 kg band (40.000); Surabaya: 0.4 kg within Java,
    # the 1 kg band (20.000). Together, not as one 3.4 kg parcel.
    assert [(p.lapas, p.weight_grams, p.charge) for p in courier.parcels] == [
        (lapas, 3000, Decimal("40000")),
        (surabaya, 400, Decimal("20000")),
    ]
    assert courier.calculate(basket).incl_tax == Decimal("60000")
    assert "Lapas Kelas I Surabaya" in courier.description


def test_a_product_without_gross_weight_counts_one_kilogram_per_unit(lapas, english):
    basket = basket_of((goods(lapas, None), 3))

    (courier,) = methods_to(basket, "Banten")

    (parcel,) = courier.parcels
    assert parcel.weight_grams == 3000 and parcel.estimated
    assert courier.calculate(basket).incl_tax == Decimal("40000")  # never free
    assert "weight partly estimated" in courier.description


def test_a_zone_without_rates_cannot_be_shipped_to(lapas, shipping_rates):
    shipping_rates["remote"].delete()
    basket = basket_of((goods(lapas, 500), 1))

    assert methods_to(basket, "Papua") == []
    assert [m.code for m in methods_to(basket, "Banten")] == ["courier"]


def test_pickup_is_free_at_an_active_gallery_of_the_basket_lapas(lapas, other_lapas):
    gallery = StockLocation.objects.create(
        lapas=lapas, kind="gallery", name="Galeri Karya Tangerang", city="Kota Tangerang"
    )
    StockLocation.objects.create(lapas=lapas, kind="gallery", name="Galeri Lama", is_active=False)
    StockLocation.objects.create(lapas=lapas, kind="exhibition", name="Stan Pameran")
    StockLocation.objects.create(lapas=other_lapas, kind="gallery", name="Galeri Cipinang")
    basket = basket_of((goods(lapas, 700), 1))

    methods = methods_to(basket, "Jawa Barat")

    assert [m.code for m in methods] == ["courier", f"pickup-gallery-{gallery.pk}"]
    pickup = methods[1]
    assert isinstance(pickup, GalleryPickup)
    assert "Galeri Karya Tangerang" in str(pickup.name)
    assert pickup.calculate(basket).incl_tax == 0


def test_no_pickup_without_a_gallery_or_for_goods_of_several_lapas(lapas, other_lapas):
    StockLocation.objects.create(lapas=lapas, kind="gallery", name="Galeri Karya Tangerang")
    only_other = basket_of((goods(other_lapas, 700), 1))
    both = basket_of((goods(lapas, 700), 1), (goods(other_lapas, 700), 1))

    assert [m.code for m in methods_to(only_other, "Banten")] == ["courier"]
    assert [m.code for m in methods_to(both, "Banten")] == ["courier"]


def test_a_basket_of_services_needs_no_shipping(lapas):
    basket = basket_of((service(lapas), 2))

    assert not basket.is_shipping_required()
    assert [m.code for m in methods_to(basket, "Banten")] == ["no-shipping-required"]


def test_services_in_a_mixed_basket_weigh_nothing(lapas):
    basket = basket_of((goods(lapas, 900), 1), (service(lapas), 4))

    (courier,) = methods_to(basket, "Banten")

    assert courier.parcels[0].weight_grams == 900
    assert courier.calculate(basket).incl_tax == Decimal("10000")


def test_before_an_address_the_basket_page_says_shipping_comes_at_checkout(lapas):
    basket = basket_of((goods(lapas, 900), 1))

    (method,) = Repository().get_shipping_methods(basket)

    assert isinstance(method, ToBeCalculated)


def test_a_rate_edited_by_staff_applies_at_once(lapas, shipping_rates):
    # The rate tables are kept in memory (shared_cache.get_local); an edit must not wait
    # for the copy to age.
    tea = goods(lapas, 1000)
    assert courier_charge(basket_of((tea, 1)), "Banten") == Decimal("10000")

    band = shipping_rates["province"].bands.get(upper_limit=Decimal("1"))
    band.charge = Decimal("12500")
    band.save()
    assert courier_charge(basket_of((tea, 1)), "Banten") == Decimal("12500")

    shipping_rates["province"].bands.all().delete()
    assert not [m for m in methods_to(basket_of((tea, 1)), "Banten") if isinstance(m, Courier)]
