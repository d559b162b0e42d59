import os
from decimal import Decimal

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# while one is active unless told that this thread is not serving async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _site_language():
    # A request to an /en/ page leaves English active in the test's thread, and reverse()
    # outside a request would then make /en/ URLs: every test starts in the site language.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Oscar caches category URLs and the like; tests must not see each other's entries.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lapas(db):
    from tests.factories import LapasFactory

    return LapasFactory(name="Lapas Kelas I Tangerang", short_code="TNG")


@pytest.fixture
def other_lapas(db):
    from tests.factories import LapasFactory

    return LapasFactory(name="Lapas Kelas I Cipinang", short_code="CPN")


@pytest.fixture
def product(lapas):
    from tests.factories import ProductFactory, WorkshopFactory

    return ProductFactory(
        title="Roti Sobek Cokelat",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Roti"),
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=5,
    )


@pytest.fixture
def buyer(db):
    from tests.factories import UserFactory

    return UserFactory(username="pembeli", email="pembeli@example.test")


@pytest.fixture
def central_admin(db):
    from tests.factories import UserFactory

    return UserFactory(username="pusat", is_staff=True, is_superuser=True)


def _role_user(username, role, lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    user = UserFactory(username=username)
    return user_assign_role(user=user, role_code=role, lapas=lapas)


@pytest.fixture
def workshop_staff(lapas):
    return _role_user("staf.tangerang", "workshop_staff", lapas)


@pytest.fixture
def other_workshop_staff(other_lapas):
    return _role_user("staf.cipinang", "workshop_staff", other_lapas)


@pytest.fixture
def english():
    """Messages made outside a request (services, validators) in English, so tests can
    read them; without it they come in Indonesian, the site's default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


# Rates per zone (kg upper limit, rupiah) that tests compute by hand. Oscar charges a
# weight above the top band as top bands plus the band of the rest.
SHIPPING_RATES = {
    "province": ((1, 10000), (2, 18000), (5, 40000)),
    "region": ((1, 20000), (2, 36000), (5, 80000)),
    "national": ((1, 40000), (2, 72000), (5, 160000)),
    "remote": ((1, 100000), (2, 180000), (5, 400000)),
}


@pytest.fixture
def shipping_rates(db):
    """A courier rate table for every zone, so goods can be shipped anywhere."""
    from oscar.core.loading import get_model

    WeightBased = get_model("shipping", "WeightBased")
    tables = {}
    for zone, bands in SHIPPING_RATES.items():
        table = WeightBased.objects.create(name=f"Kurir {zone}", zone=zone)
        for upper_limit, charge in bands:
            table.bands.create(upper_limit=Decimal(upper_limit), charge=Decimal(charge))
        tables[zone] = table
    return tables


# The fake Stripe server (tests/fakes/stripe_server.py), for any test: `fake_stripe`.
from tests.fakes.stripe_server import fake_stripe, fake_stripe_server  # noqa: E402, F401
