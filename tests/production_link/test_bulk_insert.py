"""bulk_insert: many rows by COPY on PostgreSQL, written as bulk_create writes them."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from production_link.bulk_insert import COPY_FROM, bulk_insert
from production_link.models import StockLocation
from shop.pos.models import PosSale
from tests.shop.pos.conftest import role_user

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; elsewhere bulk_create"
)
WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def session(lapas):
    """An open cash session: the rows below are its sales."""
    from shop.pos.models import PosLocation
    from shop.pos.services import session_open

    gallery = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(
            lapas=lapas, kind=StockLocation.Kind.GALLERY, name="Galeri", city="Tangerang"
        )
    )
    cashier = role_user("kasir.bulk", "cashier", lapas)
    gallery.cashiers.add(cashier)
    return session_open(user=cashier, location=gallery, opening_float=Decimal("200000"))[0]


def sales(session, count, **fields):
    return [
        PosSale(
            uuid=uuid.uuid4(),
            session=session,
            # A choices member and a lazy translation: converted as the field converts them.
            status=PosSale.Status.RECORDED,
            payment_method="cash",
            total=Decimal(15000 * (n + 1)),
            tendered=None,
            change=Decimal("0"),
            reference=gettext_lazy("Counter sale"),
            unverified=bool(n % 2),
            created_at=WHEN + datetime.timedelta(minutes=n),
            payload={"n": n, "price": Decimal("15000"), "lines": [{"qty": 2}]},
            **fields,
        )
        for n in range(count)
    ]


def columns(sale):
    return (
        sale.status,
        sale.payment_method,
        sale.total,
        sale.tendered,
        sale.change,
        sale.reference,
        sale.unverified,
        sale.created_at,
        sale.payload,
        sale.result,
    )


@on_postgresql
def test_many_rows_go_by_copy_with_ids_in_order_and_the_values_bulk_create_writes(session):
    before = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        copied = bulk_insert(sales(session, COPY_FROM + 2))
    created = PosSale.objects.bulk_create(sales(session, COPY_FROM + 2))

    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements == ["SELECT", "COPY"]  # the ids, then the rows
    ids = [sale.pk for sale in copied]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(not sale._state.adding for sale in copied)
    stored = PosSale.objects.in_bulk(ids)
    for sale in copied:
        assert stored[sale.pk].uuid == sale.uuid
        assert stored[sale.pk].received_at >= before  # auto_now_add, set before the copy
        assert stored[sale.pk].received_at == sale.received_at
    written_by_copy = [columns(stored[sale.pk]) for sale in copied]
    written_by_bulk_create = [
        columns(s) for s in PosSale.objects.filter(pk__in=[s.pk for s in created])
    ]
    assert sorted(written_by_copy, key=repr) == sorted(written_by_bulk_create, key=repr)
    assert written_by_copy[0][8] == {"n": 0, "price": "15000", "lines": [{"qty": 2}]}


@on_postgresql
def test_a_unique_key_the_copy_violates_raises_integrityerror_and_nothing_is_kept(session):
    rows = sales(session, COPY_FROM)
    rows[-1].uuid = rows[0].uuid

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(rows)

    assert not PosSale.objects.exists()


@on_postgresql
def test_rows_whose_ids_are_not_read_back_take_no_query_for_them(session):
    with CaptureQueriesContext(connection) as captured:
        rows = bulk_insert(sales(session, COPY_FROM), with_ids=False)

    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["COPY"]
    assert all(sale.pk is None for sale in rows)
    assert PosSale.objects.count() == COPY_FROM


def test_a_few_rows_go_by_bulk_create(session):
    with CaptureQueriesContext(connection) as captured:
        rows = bulk_insert(sales(session, COPY_FROM - 1))

    assert not any(q["sql"].startswith("COPY") for q in captured.captured_queries)
    assert sorted(PosSale.objects.values_list("pk", flat=True)) == [s.pk for s in rows]


def test_a_wrapper_around_the_database_sees_every_statement(session):
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql.split()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        bulk_insert(sales(session, COPY_FROM))

    expected = ["SELECT", "COPY"] if connection.vendor == "postgresql" else ["INSERT"]
    assert [s for s in seen if s in {"SELECT", "COPY", "INSERT"}] == expected
    assert PosSale.objects.count() == COPY_FROM
