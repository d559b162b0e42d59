from decimal import Decimal

import pytest

from tests.factories import ProductClassFactory, ProductFactory, WorkshopFactory


@pytest.fixture
def laundry_workshop(lapas):
    return WorkshopFactory(lapas=lapas, name="Laundry", code="LDRY")


@pytest.fixture
def laundry(laundry_workshop):
    """A service (the Jasa kind tracks no stock) priced per kilogram."""
    return ProductFactory(
        title="Laundry Kiloan",
        workshop=laundry_workshop,
        product_class=ProductClassFactory(name="Jasa", requires_shipping=False, track_stock=False),
        stockrecord__price=Decimal("8000"),
        stockrecord__num_in_stock=0,
    )


@pytest.fixture
def capacity(laundry_workshop, workshop_staff):
    from production_link.commissions.services.bookings import capacity_set

    return capacity_set(workshop=laundry_workshop, units_per_day=100, user=workshop_staff)
