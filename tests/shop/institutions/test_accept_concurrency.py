"""Two clicks on "accept" racing on PostgreSQL: the quote row lock makes the second wait
for the first and get its order; one order, one set of allocations."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.core.services import roles_sync, user_assign_role
from shop.institutions import services
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


def test_two_acceptances_at_once_place_one_order():
    roles_sync()
    lapas = LapasFactory()
    bread = ProductFactory(
        workshop=WorkshopFactory(lapas=lapas),
        stockrecord__price=Decimal("20000"),
        stockrecord__num_in_stock=30,
    )
    staff = user_assign_role(
        user=UserFactory(username="staf.roti"), role_code="workshop_staff", lapas=lapas
    )
    buyer = UserFactory(username="dinas.pengadaan")
    central = UserFactory(username="pusat.admin", is_staff=True, is_superuser=True)
    organisation = services.organisation_apply(
        user=buyer, name="Dinas", npwp="012345678901000", address="Jl. A", kind="ministry"
    )
    services.organisation_approve(
        organisation_id=organisation.pk, user=central, payment_terms="upfront"
    )
    (quote,) = services.quote_request_from_basket(
        user=buyer, basket=_basket(buyer, bread, 20), delivery_place="Kantor"
    )
    services.quote_price(
        user=staff,
        quote_id=quote.pk,
        lines=[services.LinePricing(line_id=quote.lines.get().pk)],
        delivery_cost=0,
        valid_until=timezone.localdate() + timedelta(days=7),
        send=True,
    )
    start = threading.Barrier(2)
    placed, lock = [], threading.Lock()

    def accept():
        try:
            start.wait()
            orders = services.quote_accept(user=buyer, quote_id=quote.pk, po_number="PO-1")
            result = tuple(o.pk for o in orders)
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            placed.append(result)

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(placed) == 2 and placed[0] == placed[1], placed
    assert Order.objects.count() == 1
    line = Order.objects.get().lines.get()
    assert line.num_allocated == 20 and sum(a.quantity for a in line.allocations.all()) == 20


def _basket(user, product, quantity):
    from shop.apps.partner.strategy import Selector

    Basket = get_model("basket", "Basket")
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    basket.add_product(product, quantity=quantity)
    return basket
