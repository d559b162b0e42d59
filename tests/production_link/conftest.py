import datetime

import pytest

from tests.factories import ProductFactory, WorkshopFactory


@pytest.fixture
def day():
    return datetime.date(2026, 11, 20)


@pytest.fixture
def workshop(lapas):
    return WorkshopFactory(lapas=lapas, name="Bengkel Roti dan Kue", code="ROTI")


@pytest.fixture
def bread(workshop):
    """A product with no stock yet: its units come from the batches a test makes."""
    return ProductFactory(title="Roti Tawar", workshop=workshop, stockrecord__num_in_stock=0)


@pytest.fixture
def kalapas(lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(user=UserFactory(username="kalapas"), role_code="kalapas", lapas=lapas)
