"""The catalogue part of the demo shop (catalog.demo)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import compliance
from shop.apps.core.demo import DEMO_PASSWORD
from shop.institutions.services import CUSTOM_PRODUCT_CLASS

Product = get_model("catalogue", "Product")
Segment = get_model("catalogue", "Segment")
PriceChange = get_model("catalogue", "PriceChange")

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def test_demo_segments_and_every_product_targets_one(demo):
    assert set(Segment.objects.values_list("slug", flat=True)) == {
        "rumah-tangga",
        "kantor-dan-instansi",
        "oleh-oleh-dan-wisatawan",
        "kolektor-dan-hadiah",
    }
    assert all(s.image for s in Segment.objects.all())
    assert not Product.objects.filter(segments=None).exists()


def test_every_published_demo_product_passes_the_gate(demo):
    public = Product.objects.browsable().select_related("product_class")

    # One product is withdrawn on purpose; custom items made for one institution's quote
    # (shop.institutions) are never public.
    made_for_one = Product.objects.filter(product_class__slug=CUSTOM_PRODUCT_CLASS)
    assert public.count() == Product.objects.count() - made_for_one.count() - 1
    assert [p.upc for p in public if compliance.missing_facts(p)] == []


def test_demo_food_has_full_labels_and_one_is_blocked(demo, client):
    food = Product.objects.filter(product_class__is_food=True)
    # The one withdrawn product (custom items made for a quote are never public either).
    blocked = Product.objects.exclude(product_class__slug=CUSTOM_PRODUCT_CLASS).get(is_public=False)

    assert food.count() >= 15
    assert blocked.product_class.is_food
    assert [f.field for f in compliance.missing_facts(blocked)] == ["licence_number"]
    bread = food.get(upc="KRY-TNG-0001")
    body = client.get(bread.get_absolute_url()).content.decode()
    assert bread.licence_number in body and "500 g" in body and "Tepung terigu" in body
    assert client.get(blocked.get_absolute_url()).status_code == 404
    client.login(username="staf.tangerang", password=DEMO_PASSWORD)
    assert client.get(blocked.get_absolute_url()).status_code == 200


def test_demo_crafts_and_furniture_have_packaging_and_offices_have_tiers(demo):
    for upc in ("KRY-YGY-0005", "KRY-CPN-0001", "KRY-MLG-0008"):
        product = Product.objects.get(upc=upc)
        assert product.packaging_type and product.gross_weight_grams
    desk = Product.objects.get(upc="KRY-CPN-0002")
    assert desk.segments.filter(slug="kantor-dan-instansi").exists()
    assert desk.price_tiers.count() == 2
    assert Product.objects.filter(channel_prices__channel="gallery").exists()
    assert Product.objects.filter(channel_prices__channel="exhibition").exists()
    assert Product.objects.filter(product_class__requires_shipping=False).exists()
    # A custom item's cost is known once its batch is made (shop.institutions).
    assert not (
        Product.objects.filter(cost_materials=None)
        .exclude(product_class__slug=CUSTOM_PRODUCT_CLASS)
        .exists()
    )


def test_demo_institutional_buyer_sees_the_tier_price_in_the_basket(demo, client):
    desk = Product.objects.get(upc="KRY-CPN-0002")
    client.login(username="instansi", password=DEMO_PASSWORD)

    client.post(reverse("basket:add", kwargs={"pk": desk.pk}), {"quantity": 5})

    body = client.get(reverse("basket:summary")).content.decode()
    assert "Rp2.150.000" in body and "Rp10.750.000" in body


def test_demo_price_history_is_kept_once(demo):
    count = PriceChange.objects.count()
    confirmed = PriceChange.objects.filter(below_cost_confirmed=True)

    call_command("load_demo_data", stdout=io.StringIO())

    assert count > 0 and PriceChange.objects.count() == count
    assert confirmed.filter(product__upc="KRY-MLG-0010", channel="gallery").exists()
