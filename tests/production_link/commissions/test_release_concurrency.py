"""Two releases of a commission's batch at once, on PostgreSQL: the batch row lock lets one
through; the order line is allocated once and only the spare units go on sale."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from production_link.models import Allocation, BatchStock
from production_link.services import BatchError, batch_release
from shop.apps.core.services import roles_sync, user_assign_role
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory
from tests.production_link.commissions.test_made_to_order import _accept, _pass_qc, _produce

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


def test_two_releases_at_once_allocate_the_order_line_once():
    from shop.institutions.models import Organisation, OrganisationMember

    roles_sync()
    lapas = LapasFactory()
    furniture = WorkshopFactory(lapas=lapas, name="Bengkel Mebel", code="MBL")
    staff = user_assign_role(
        user=UserFactory(username="staf.mebel"), role_code="workshop_staff", lapas=lapas
    )
    desk = ProductFactory(
        title="Meja Kerja Jati",
        workshop=furniture,
        stockrecord__price=Decimal("1500000"),
        stockrecord__num_in_stock=0,
    )
    buyer = UserFactory(username="dinas.pembeli")
    office = Organisation.objects.create(
        name="Dinas Pendidikan",
        npwp="012345678901000",
        address="Jl. Satria 1",
        kind=Organisation.Kind.LOCAL_GOVERNMENT,
        status=Organisation.Status.APPROVED,
        payment_terms=Organisation.PaymentTerms.INVOICE,
        credit_limit=Decimal("100000000"),
    )
    OrganisationMember.objects.create(organisation=office, user=buyer)
    order, commission = _accept(
        lapas=lapas,
        office=office,
        buyer=buyer,
        desk=desk,
        furniture=furniture,
        deposit_percent=0,
    )
    _produce(commission.batch, staff, quantity=42)
    _pass_qc(commission.batch, lapas)

    start = threading.Barrier(2)
    outcomes, lock = [], threading.Lock()

    def release():
        try:
            start.wait()
            batch_release(batch_id=commission.batch.pk, user=staff)
            result = "released"
        except BatchError:
            result = "refused"
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=release) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)

    assert sorted(outcomes) == ["refused", "released"]
    line = order.lines.get()
    assert [a.quantity for a in Allocation.objects.filter(line=line)] == [40]
    assert line.num_allocated == 40
    assert BatchStock.objects.get(batch=commission.batch).quantity == 2
