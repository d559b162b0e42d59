"""Central staff edit the rate tables in Oscar's shipping dashboard; Lapas staff cannot.
Staff see when a product's missing gross weight makes shipping an estimate."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.shipping import demo
from tests.factories import LapasFactory, ProductFactory

WeightBased = get_model("shipping", "WeightBased")

pytestmark = pytest.mark.django_db


def test_central_staff_create_a_rate_table_for_a_zone_and_its_bands(client, central_admin):
    client.force_login(central_admin)

    response = client.post(
        reverse("dashboard:shipping-method-create"),
        {"name": "Kurir antarpulau", "zone": "national", "description": ""},
    )

    table = WeightBased.objects.get()
    assert response.status_code == 302
    assert table.zone == "national"
    client.post(
        reverse("dashboard:shipping-method-detail", kwargs={"pk": table.pk}),
        {"upper_limit": "1", "charge": "38000"},
    )
    assert [(b.upper_limit, b.charge) for b in table.bands.all()] == [
        (Decimal("1.000"), Decimal("38000.00"))
    ]
    listing = client.get(reverse("dashboard:shipping-method-list")).content.decode()
    assert 'id="shipping-rules"' in listing and "Kurir antarpulau" in listing


def test_a_rate_table_needs_a_zone_and_one_table_per_zone(client, central_admin, shipping_rates):
    client.force_login(central_admin)

    no_zone = client.post(reverse("dashboard:shipping-method-create"), {"name": "Kurir"})
    twice = client.post(
        reverse("dashboard:shipping-method-create"), {"name": "Kurir lain", "zone": "province"}
    )

    assert no_zone.context["form"].errors["zone"]
    assert twice.context["form"].errors["zone"]
    assert WeightBased.objects.count() == 4


def test_lapas_staff_cannot_edit_shipping_rates(client, workshop_staff, shipping_rates):
    client.force_login(workshop_staff)

    response = client.get(reverse("dashboard:shipping-method-list"))
    edit = client.post(
        reverse("dashboard:shipping-method-edit", kwargs={"pk": shipping_rates["province"].pk}),
        {"name": "Gratis", "zone": "province"},
    )

    assert response.status_code in (302, 403)
    assert edit.status_code in (302, 403)
    assert WeightBased.objects.get(zone="province").name == "Kurir province"


def test_the_product_page_warns_when_shipping_must_estimate_the_weight(
    client, workshop_staff, product, lapas
):
    weighed = ProductFactory(workshop=product.workshop, gross_weight_grams=450, is_public=False)
    client.force_login(workshop_staff)

    missing = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))
    present = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": weighed.pk}))

    assert 'id="shipping_weight_warning"' in missing.content.decode()
    assert "1000 g" in missing.content.decode()
    assert 'id="shipping_weight_warning"' not in present.content.decode()


def test_demo_shipping_loads_the_same_tables_and_galleries_twice(db):
    yogya = LapasFactory(name="Lapas Kelas IIA Yogyakarta", short_code="YGY")

    demo.shipping_demo_load()
    demo.shipping_demo_load()

    assert sorted(WeightBased.objects.values_list("zone", flat=True)) == [
        "national",
        "province",
        "region",
        "remote",
    ]
    region = WeightBased.objects.get(zone="region")
    assert region.bands.count() == 10
    assert region.get_charge(Decimal("3.2")) == Decimal("76000")  # 4 started kg at 19.000
    assert region.get_charge(Decimal("12")) == Decimal("228000")  # 10 kg band + 2 kg band
    assert yogya.stock_locations.filter(kind="gallery", is_active=True).count() == 1


def test_the_dashboard_menu_links_the_rate_tables_for_central_staff_only(
    client, central_admin, workshop_staff
):
    rates = reverse("dashboard:shipping-method-list")

    client.force_login(central_admin)
    central = client.get(reverse("dashboard:index"))
    client.force_login(workshop_staff)
    lapas = client.get(reverse("dashboard:index"))

    assert central.status_code == lapas.status_code == 200
    assert rates in central.content.decode()
    assert rates not in lapas.content.decode()
