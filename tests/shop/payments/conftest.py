import pytest


@pytest.fixture(autouse=True)
def _pickup_gallery(lapas):
    """Orders in these tests are collected at the Lapas's gallery: pickup is free and the
    only way offered (no courier rates), so the amounts paid are the goods alone."""
    from production_link.models import StockLocation

    return StockLocation.objects.create(
        lapas=lapas, kind=StockLocation.Kind.GALLERY, name="Galeri Karya", city="Kota Tangerang"
    )


@pytest.fixture(autouse=True)
def _lapas_takes_cards(lapas):
    """The Lapas has a Stripe connected account, so its goods may be paid by card (the
    fake Stripe knows the account: tests.fakes.stripe_server.fake_stripe)."""
    lapas.stripe_account_id = "acct_karyaTangerang1"
    lapas.save(update_fields=["stripe_account_id"])
    return lapas
