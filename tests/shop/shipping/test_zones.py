import pytest

from shop.apps.address.provinces import PROVINCES
from shop.apps.shipping.zones import REGION_OF, Zone, zone_between


def test_every_province_of_the_address_form_belongs_to_one_island_group():
    assert set(REGION_OF) == set(PROVINCES)
    assert len(REGION_OF) == 38


@pytest.mark.parametrize(
    ("origin", "destination", "zone"),
    [
        ("Banten", "Banten", Zone.PROVINCE),
        ("Banten", "DI Yogyakarta", Zone.REGION),
        ("Jawa Timur", "Bali", Zone.NATIONAL),
        ("Banten", "Sumatera Utara", Zone.NATIONAL),
        ("Sulawesi Selatan", "Kalimantan Timur", Zone.NATIONAL),
        ("DKI Jakarta", "Papua", Zone.REMOTE),
        ("Maluku Utara", "Jawa Barat", Zone.REMOTE),
        # Within Papua's island group a parcel does not travel the long way.
        ("Papua", "Papua Barat Daya", Zone.REGION),
        ("Maluku", "Papua", Zone.REMOTE),
    ],
)
def test_zone_by_distance_from_the_lapas(origin, destination, zone):
    assert zone_between(origin, destination) == zone


def test_an_unknown_province_is_charged_as_the_farthest_zone():
    assert zone_between("", "Banten") == Zone.REMOTE
    assert zone_between("Banten", "Atlantis") == Zone.REMOTE
