import pytest


@pytest.fixture(autouse=True)
def _pickup_gallery(lapas):
    """Orders in these tests are collected at the Lapas's gallery: pickup is free and the
    only way offered (no courier rates), so the amounts paid are the goods alone."""
    from production_link.models import StockLocation

    return StockLocation.objects.create(
        lapas=lapas, kind=StockLocation.Kind.GALLERY, name="Galeri Karya", city="Kota Tangerang"
    )
