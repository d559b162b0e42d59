import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from production_link.models import BatchStock, StockLocation
from tests.factories import ProductFactory, UserFactory, WorkshopFactory, released_batch


def role_user(username, role, lapas):
    from shop.apps.core.services import user_assign_role

    return user_assign_role(user=UserFactory(username=username), role_code=role, lapas=lapas)


def batch_at(location, *, product, quantity, **kwargs):
    """A released batch whose units all sit at a sales location."""
    batch = released_batch(product=product, quantity=quantity, **kwargs)
    BatchStock.objects.filter(batch=batch).update(location=location.stock_location)
    from production_link.services import stockrecord_sync

    stockrecord_sync(product_id=product.pk)
    return batch


def sale(
    session, *lines, method="cash", tendered=None, reference="", offline=False, sale_uuid=None
):
    """A sale as the device sends it; lines are (product, batch_code|None, quantity, price)."""
    return {
        "uuid": str(sale_uuid or uuid.uuid4()),
        "session_id": session.pk,
        "created_at": timezone.now().isoformat(),
        "lines": [
            {"product_id": p.pk, "batch_code": code, "quantity": q, "unit_price": str(price)}
            for p, code, q, price in lines
        ],
        "payment": {"method": method, "tendered": tendered, "reference": reference},
        "offline": offline,
    }


@pytest.fixture
def gallery(lapas):
    from shop.pos.models import PosLocation

    stock_location = StockLocation.objects.create(
        lapas=lapas,
        kind=StockLocation.Kind.GALLERY,
        name="Galeri Karya Tangerang",
        city="Tangerang",
    )
    return PosLocation.objects.create(stock_location=stock_location, venue="Jl. Veteran 2")


@pytest.fixture
def exhibition(lapas):
    from shop.pos.models import PosLocation

    today = timezone.localdate()
    stock_location = StockLocation.objects.create(
        lapas=lapas, kind=StockLocation.Kind.EXHIBITION, name="Pameran Inacraft", city="Jakarta"
    )
    return PosLocation.objects.create(
        stock_location=stock_location,
        venue="JCC Hall B",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=3),
    )


@pytest.fixture
def cashier(lapas, gallery):
    user = role_user("kasir.tangerang", "cashier", lapas)
    gallery.cashiers.add(user)
    return user


@pytest.fixture
def other_cashier(lapas):
    """A cashier of the same Lapas, not assigned to the gallery."""
    return role_user("kasir.lain", "cashier", lapas)


@pytest.fixture
def supervisor(lapas):
    from shop.pos.services import supervisor_pin_set

    user = role_user("kalapas.tangerang", "kalapas", lapas)
    supervisor_pin_set(user=user, pin="2468")
    return user


@pytest.fixture
def treasurer(lapas):
    return role_user("bendahara.tangerang", "treasurer", lapas)


@pytest.fixture
def bag(lapas, gallery):
    """A batik bag with 5 units of one batch at the gallery; online price Rp150.000,
    gallery price Rp140.000."""
    from catalog.models import ProductChannelPrice

    product = ProductFactory(
        title="Tas Batik Tulis",
        upc="TAS-001",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Batik", code="BTK"),
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=0,
    )
    ProductChannelPrice.objects.create(product=product, channel="gallery", price=Decimal("140000"))
    return product


@pytest.fixture
def bag_batch(bag, gallery):
    return batch_at(gallery, product=bag, quantity=5)


@pytest.fixture
def session(cashier, gallery):
    from shop.pos.services import session_open

    return session_open(user=cashier, location=gallery, opening_float=Decimal("200000"))[0]


@pytest.fixture
def api(client, cashier):
    client.force_login(cashier)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")
