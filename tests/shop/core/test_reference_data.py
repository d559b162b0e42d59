"""`manage.py load_reference_data`: a fresh install gets the standard's classification and
the reference tables from data/reference/, no users, and a second run changes nothing."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from oscar.core.loading import get_model

from catalog import compliance
from production_link.models import PublicHoliday, QcSpecItem
from shop.apps.address.provinces import PROVINCES
from shop.apps.core import reference
from shop.apps.core.datafiles import data_file
from shop.apps.core.reference import reference_counts
from shop.apps.shipping.zones import Zone, zone_between

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")
RevenueAccount = get_model("partner", "RevenueAccount")
WeightBased = get_model("shipping", "WeightBased")

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def names(queryset):
    return [category.name for category in queryset]


def test_a_fresh_database_gets_the_standards_classification_and_no_users():
    users_before = get_user_model().objects.count()

    load()

    roots = Category.get_root_nodes()
    assert names(roots) == ["Pertanian dan Perikanan", "Jasa", "Industri"]
    farming = roots.get(slug="pertanian-dan-perikanan")
    assert names(farming.get_children()) == [
        "Tanaman Pangan",
        "Hortikultura",
        "Perkebunan",
        "Peternakan",
        "Perikanan",
    ]
    food_crops = farming.get_children().get(slug="tanaman-pangan")
    assert names(food_crops.get_children()) == ["Serealia", "Biji-bijian", "Umbi-umbian"]
    fishery = farming.get_children().get(slug="perikanan")
    assert names(fishery.get_children()) == ["Perikanan Darat", "Perikanan Laut"]
    assert roots.get(slug="jasa").get_children().filter(slug="laundry").exists()
    assert roots.get(slug="industri").get_children().filter(slug="makanan-dan-minuman").exists()
    assert get_user_model().objects.count() == users_before == 0


def test_the_reference_tables_are_filled():
    load()

    assert set(ProductClass.objects.values_list("slug", "is_food", "requires_shipping")) == {
        ("pangan", True, True),
        ("barang", False, True),
        ("jasa", False, False),
    }
    assert Segment.objects.count() == 4
    food_checklist = QcSpecItem.objects.filter(product_class__slug="pangan")
    assert food_checklist.filter(code="kebersihan", required=True).exists()
    assert RevenueAccount.objects.filter(code="425131").exists()
    assert set(WeightBased.objects.values_list("zone", flat=True)) == set(Zone.values)
    province_table = WeightBased.objects.get(zone=Zone.PROVINCE)
    assert province_table.bands.count() == 10
    assert province_table.bands.get(upper_limit=2).charge == 20000


def test_the_holidays_of_this_year_and_next_are_loaded_to_be_confirmed():
    load()

    holidays = PublicHoliday.objects.all()
    assert {h.date.year for h in holidays} == {2026, 2027}
    assert not holidays.filter(confirmed=True).exists()
    assert holidays.filter(date=datetime.date(2027, 8, 17)).exists()
    assert "to be confirmed" in load()


def test_running_it_twice_changes_nothing_and_keeps_what_the_admin_changed():
    load()
    counts = reference_counts()
    segment = Segment.objects.get(slug="rumah-tangga")
    segment.name = "Keluarga"
    segment.save()
    holiday = PublicHoliday.objects.get(date=datetime.date(2026, 3, 20))
    holiday.date, holiday.confirmed = datetime.date(2026, 3, 21), True
    PublicHoliday.objects.filter(date=datetime.date(2026, 3, 21)).delete()
    holiday.save()

    assert reference.reference_data_load()["categories"] == 0
    reference.reference_data_load()

    assert Segment.objects.get(slug="rumah-tangga").name == "Keluarga"
    assert PublicHoliday.objects.get(date=datetime.date(2026, 3, 21)).confirmed
    # The corrected date came back as the file's expected one, to be confirmed: an admin
    # deletes a wrong date rather than moving it, or the file is updated.
    assert PublicHoliday.objects.filter(date=datetime.date(2026, 3, 20)).exists()
    counts_after = reference_counts()
    assert counts_after == counts


def test_the_label_requirements_of_each_kind_are_the_gates():
    kinds = reference.product_kinds()

    food = next(kind for kind in kinds if kind["is_food"])
    assert "licence_number" in food["label_requirements"]
    blank = Product(product_class=ProductClass(is_food=True, requires_shipping=True))
    assert {fact.field for fact in compliance.missing_facts(blank)} == set(
        food["label_requirements"]
    )


def test_a_kinds_file_that_disagrees_with_the_gate_is_refused(monkeypatch):
    kinds = [
        {
            "slug": "pangan",
            "name": "Pangan",
            "is_food": True,
            "requires_shipping": True,
            "track_stock": True,
            "label_requirements": ["net_quantity"],
        }
    ]
    monkeypatch.setattr(reference, "data_file", lambda name: kinds)

    with pytest.raises(ImproperlyConfigured, match="compliance gate asks"):
        reference.product_kinds()
    assert not ProductClass.objects.exists()


def test_provinces_and_zones_come_from_the_data_file():
    groups = data_file("reference/provinces.yaml")["island_groups"]

    assert [p for group in groups for p in group["provinces"]] == PROVINCES
    assert len(PROVINCES) == 38
    assert zone_between("Banten", "Papua") == Zone.REMOTE
    assert zone_between("Banten", "Jawa Timur") == Zone.REGION
