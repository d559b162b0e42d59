"""A region (Kanwil) with two Lapas, a second region with one, their heads and officers."""

import datetime
from decimal import Decimal

import pytest

from production_link.programme.models import Indicator, Region
from production_link.programme.services import region_lapas_set, regional_officer_set
from production_link.reports.periods import QUARTERLY, period_starting
from shop.apps.core.services import user_assign_role
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory

D = Decimal
Q3 = period_starting(QUARTERLY, datetime.date(2026, 7, 1))
Q2 = period_starting(QUARTERLY, datetime.date(2026, 4, 1))


@pytest.fixture
def region(lapas, other_lapas):
    region = Region.objects.create(name="Kanwil Banten", province="Banten")
    region_lapas_set(region=region, lapas=lapas)
    region_lapas_set(region=region, lapas=other_lapas)
    return region


@pytest.fixture
def far_lapas(db):
    return LapasFactory(name="Lapas Kelas IIA Kupang", short_code="KPG")


@pytest.fixture
def far_region(far_lapas):
    region = Region.objects.create(name="Kanwil NTT", province="Nusa Tenggara Timur")
    region_lapas_set(region=region, lapas=far_lapas)
    return region


def _officer(username, region):
    user = user_assign_role(user=UserFactory(username=username), role_code="regional_officer")
    regional_officer_set(user=user, region=region)
    return user


@pytest.fixture
def officer(region):
    return _officer("kanwil.banten", region)


@pytest.fixture
def far_officer(far_region):
    return _officer("kanwil.ntt", far_region)


def _head(username, lapas):
    return user_assign_role(user=UserFactory(username=username), role_code="kalapas", lapas=lapas)


@pytest.fixture
def head(lapas):
    return _head("kalapas.tng", lapas)


@pytest.fixture
def other_head(other_lapas):
    return _head("kalapas.cpn", other_lapas)


@pytest.fixture
def far_head(far_lapas):
    return _head("kalapas.kpg", far_lapas)


@pytest.fixture
def treasurer(lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.tng"), role_code="treasurer", lapas=lapas
    )


@pytest.fixture
def workshop(lapas):
    return WorkshopFactory(lapas=lapas, name="Bengkel Roti", code="ROTI")


@pytest.fixture
def bread(workshop):
    """No stock (no batch of its own): every batch is the test's."""
    return ProductFactory(title="Roti Tawar", workshop=workshop, stockrecord__num_in_stock=0)


@pytest.fixture
def indicators(db):
    return [
        Indicator.objects.create(code="rencana", label="Rencana kerja tersedia", position=1),
        Indicator.objects.create(code="qc", label="QC tercatat per batch", position=2),
        Indicator.objects.create(
            code="sop", label="SOP dipasang", kind=Indicator.Kind.YES_NO, position=3
        ),
        Indicator.objects.create(
            code="kendala", label="Kendala utama", kind=Indicator.Kind.TEXT, position=4
        ),
    ]
