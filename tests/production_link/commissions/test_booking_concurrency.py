"""Two buyers racing for the last capacity of a day, on PostgreSQL: one gets it, the other
is told the day is full; the day is never overbooked."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections

from production_link.commissions.models import ServiceOccurrence
from production_link.commissions.services.bookings import (
    BookingError,
    booking_create,
    capacity_set,
)
from production_link.selectors import today
from shop.apps.core.services import roles_sync, user_assign_role
from shop.payments.providers import get_provider
from tests.factories import (
    LapasFactory,
    ProductClassFactory,
    ProductFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


def _race(calls):
    start = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def run(call):
        try:
            start.wait()
            call()
            result = "booked"
        except BookingError as refused:
            result = (
                "full"
                if "fully booked" in str(refused) or "penuh" in str(refused)
                else (f"refused: {refused}")
            )
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    return outcomes


def test_two_bookings_race_for_the_last_capacity_of_a_day():
    roles_sync()
    lapas = LapasFactory()
    workshop = WorkshopFactory(lapas=lapas, name="Dapur Jasa Boga", code="BOGA")
    staff = user_assign_role(
        user=UserFactory(username="staf.boga"), role_code="workshop_staff", lapas=lapas
    )
    catering = ProductFactory(
        title="Nasi Kotak",
        workshop=workshop,
        product_class=ProductClassFactory(name="Jasa", requires_shipping=False, track_stock=False),
        stockrecord__price=Decimal("25000"),
        stockrecord__num_in_stock=0,
    )
    capacity_set(workshop=workshop, units_per_day=200, user=staff)
    day = today() + timedelta(days=5)
    buyers = [UserFactory(username=f"kantin.{n}") for n in range(2)]

    def book(buyer):
        return lambda: booking_create(
            user=buyer,
            product=catering,
            quantity=150,
            first_date=day,
            provider=get_provider("bank_transfer"),
        )

    outcomes = _race([book(b) for b in buyers])

    assert sorted(outcomes) == ["booked", "full"]
    booked = ServiceOccurrence.objects.filter(date=day, status="booked")
    assert sum(o.quantity for o in booked) == 150
