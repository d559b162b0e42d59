"""PNBP from the till: one ledger entry per recorded sale (never two, whatever the
syncs), a reversal per void."""

import pytest

from production_link.models import LedgerEntry
from shop.pos.services import sale_record

from .conftest import post, sale

pytestmark = pytest.mark.django_db


def test_two_offline_sales_synced_twice_make_two_entries(api, session, bag, bag_batch):
    sales = [
        sale(session, (bag, bag_batch.code, 1, 140000), offline=True),
        sale(session, (bag, None, 2, 140000), offline=True),
    ]

    first = post(api, "/api/v1/pos/sales/sync", {"sales": sales}).json()["results"]
    post(api, "/api/v1/pos/sales/sync", {"sales": sales})

    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).order_by("pk")
    assert entries.count() == 2
    assert [e.order.number for e in entries] == [r["order_number"] for r in first]
    assert [e.gross for e in entries] == [140000, 280000]
    assert all(e.channel == "pos" and e.lapas == session.location.lapas for e in entries)


def test_a_conflict_writes_no_entry(session, cashier, bag, bag_batch):
    sale_record(user=cashier, data=sale(session, (bag, bag_batch.code, 99, 140000)))

    assert not LedgerEntry.objects.exists()


def test_a_void_writes_the_reversal(api, session, cashier, bag, bag_batch, supervisor):
    result = sale_record(user=cashier, data=sale(session, (bag, None, 2, 140000)))

    post(
        api,
        f"/api/v1/pos/sales/{result['order_number']}/void",
        {"pin": "2468", "reason": "Batal"},
    )

    reversal = LedgerEntry.objects.get(kind=LedgerEntry.Kind.REVERSAL)
    assert reversal.gross == -280000 and reversal.order.number == result["order_number"]
