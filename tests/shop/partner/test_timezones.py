"""Times in the Lapas's own zone, with WIB, WITA or WIT."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from shop.apps.core.templatetags.karya_time import lapas_time_text
from shop.apps.partner.timezones import province_zone_name
from tests.factories import LapasFactory

pytestmark = pytest.mark.django_db

NOON_UTC = datetime(2026, 12, 7, 5, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("province", "zone"),
    [
        ("Banten", "Asia/Jakarta"),
        ("Kalimantan Barat", "Asia/Jakarta"),
        ("Bali", "Asia/Makassar"),
        ("Sulawesi Selatan", "Asia/Makassar"),
        ("Maluku Utara", "Asia/Jayapura"),
        ("Papua Pegunungan", "Asia/Jayapura"),
        ("", "Asia/Jakarta"),
    ],
)
def test_each_province_has_its_zone(province, zone):
    assert province_zone_name(province) == zone


def _lapas_in(province):
    lapas = LapasFactory()
    lapas.addresses.update(state=province)
    return lapas


@pytest.mark.parametrize(
    ("province", "shown"),
    [("Banten", "12.00 WIB"), ("Sulawesi Selatan", "13.00 WITA"), ("Papua", "14.00 WIT")],
)
def test_a_time_is_shown_in_the_lapass_zone_with_its_abbreviation(province, shown):
    with translation.override("id"):
        text = lapas_time_text(NOON_UTC, _lapas_in(province), "TIME_FORMAT")

    assert text.replace(":", ".") == shown


def test_a_date_alone_has_no_abbreviation():
    with translation.override("id"):
        text = lapas_time_text(NOON_UTC, _lapas_in("Papua"), "DATE_FORMAT")

    assert "WIT" not in text and "2026" in text


def test_without_a_lapas_the_shops_zone_is_used():
    assert lapas_time_text(NOON_UTC, None, "TIME_FORMAT").endswith(" WIB")
