"""The PNBP ledger: a paid sale books one entry per Lapas, a refund books its reversal,
and nothing ever changes an entry."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from production_link.models import LedgerEntry, LedgerEntryLine, RevenueSplit
from production_link.pnbp.services import PnbpError, pnbp_record_refund, pnbp_record_sale
from tests.factories import ProductFactory, WorkshopFactory, released_batch

from .pnbp_support import line_of, pay, place, refund

PaymentEvent = get_model("order", "PaymentEvent")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL (make test)"
)


def D(value):
    return Decimal(str(value))


@pytest.fixture
def batik(other_lapas):
    return ProductFactory(
        title="Kain Batik Tulis",
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Batik", code="BATIK"),
        stockrecord__price=D(275000),
        stockrecord__num_in_stock=6,
    )


def test_a_paid_sale_books_one_entry_with_a_line_per_batch(product, central_admin, lapas):
    second = released_batch(product=product, quantity=4)  # the fixture's batch has 5 units
    order = pay(place((product, 7)), central_admin)

    [entry] = pnbp_record_sale(order=order)

    paid_at = order.recorded_payment.recorded_at  # recorded by the one mark-paid service
    assert entry.lapas == lapas and entry.kind == LedgerEntry.Kind.SALE
    assert entry.gross == D(1050000) == entry.pnbp_amount
    assert (entry.premi_amount, entry.working_capital_amount, entry.programme_amount) == (0, 0, 0)
    assert entry.split is None  # no split set: 100 % PNBP
    assert entry.account_code == lapas.pnbp_account_code == "425131"
    assert entry.channel == "online"
    assert entry.due_at == paid_at
    lines = list(entry.lines.order_by("pk"))
    assert [(ln.batch_id is not None, ln.quantity, ln.gross) for ln in lines] == [
        (True, 5, D(750000)),
        (True, 2, D(300000)),
    ]
    assert lines[1].batch == second
    assert {ln.workshop_id for ln in lines} == {product.workshop_id}


def test_an_unpaid_order_is_refused_and_books_nothing(product, english):
    order = place((product, 1))

    with pytest.raises(PnbpError) as refusal:
        pnbp_record_sale(order=order)

    assert str(order.number) in str(refusal.value) and "not paid" in str(refusal.value)
    assert not LedgerEntry.objects.exists()


def test_booking_the_same_sale_twice_returns_the_first_entries(product, central_admin):
    order = pay(place((product, 2)), central_admin)

    first = pnbp_record_sale(order=order)
    again = pnbp_record_sale(order=order)

    assert [e.pk for e in again] == [e.pk for e in first]
    assert LedgerEntry.objects.count() == 1 and LedgerEntryLine.objects.count() == 1


def test_a_basket_of_two_lapas_books_one_entry_per_order_and_shipping_is_not_pnbp(
    product, batik, central_admin, lapas, other_lapas
):
    from oscar.apps.shipping.methods import FixedPrice
    from oscar.test.factories import create_basket

    from tests.factories import place_checkout

    basket = create_basket(empty=True)
    basket.add_product(product, 1)
    basket.add_product(batik, 2)
    checkout = place_checkout(basket=basket, shipping_method=FixedPrice(D(30000), D(30000)))
    orders = {o.lapas_id: pay(o, central_admin) for o in checkout.placed_orders}
    assert sum(o.total_incl_tax for o in orders.values()) == D(150000 + 550000 + 30000)

    entries = {lapas_id: pnbp_record_sale(order=order) for lapas_id, order in orders.items()}

    assert [e.gross for e in entries[lapas.pk]] == [D(150000)]
    assert [e.gross for e in entries[other_lapas.pk]] == [D(550000)]
    assert entries[other_lapas.pk][0].lines.get().workshop == batik.workshop


def test_a_point_of_sale_sale_is_booked_with_its_channel(product, central_admin):
    order = pay(place((product, 1), channel="pos"), central_admin)

    [entry] = pnbp_record_sale(order=order)

    assert entry.channel == "pos"


def test_the_split_in_force_on_the_day_paid_divides_the_entry(product, central_admin, lapas):
    RevenueSplit.objects.create(
        lapas=lapas,
        effective_from=timezone.localdate() - datetime.timedelta(days=30),
        pnbp_percent=D(90),
        premi_percent=D(10),
    )
    current = RevenueSplit.objects.create(
        lapas=lapas,
        effective_from=timezone.localdate(),
        pnbp_percent=D("82.50"),
        premi_percent=D("10"),
        working_capital_percent=D("5"),
        programme_percent=D("2.50"),
    )
    RevenueSplit.objects.create(  # not yet in force
        lapas=lapas,
        effective_from=timezone.localdate() + datetime.timedelta(days=1),
        pnbp_percent=D(100),
    )
    order = place((product, 3))
    # An odd discount: 450,000 less 12,345.
    order.lines.update(line_price_incl_tax=D(437655))
    order = pay(order, central_admin)

    [entry] = pnbp_record_sale(order=order)

    assert entry.split == current
    assert entry.premi_amount == D(43766)  # 43,765.5 rounds half up
    assert entry.working_capital_amount == D(21882)  # 15 %: 65,648.25 → 65,648 in all
    assert entry.programme_amount == D(10942)  # 17.5 %: 76,589.625 → 76,590 in all
    assert entry.pnbp_amount == D(437655 - 76590)
    assert sum(ln.premi_amount for ln in entry.lines.all()) == entry.premi_amount
    assert sum(ln.gross for ln in entry.lines.all()) == entry.gross


def test_a_refund_of_whole_lines_reverses_them_exactly_but_not_shipping(
    product, batik, central_admin, lapas, other_lapas
):
    # One order per Lapas: each refund reverses its own Lapas's entry only.
    bread = pay(place((product, 2), shipping=D(30000)), central_admin)
    cloth = pay(place((batik, 1)), central_admin)
    pnbp_record_sale(order=bread)
    pnbp_record_sale(order=cloth)

    [reversal] = pnbp_record_refund(
        refund=refund(bread, shipping=D(30000), lines=[(line_of(bread, product), 2, D(300000))])
    )

    assert reversal.lapas_id == lapas.pk and reversal.gross == D(-300000)
    assert reversal.kind == LedgerEntry.Kind.REVERSAL
    assert sum(LedgerEntry.objects.filter(lapas=lapas).values_list("gross", flat=True)) == 0
    assert sum(LedgerEntry.objects.filter(lapas=other_lapas).values_list("gross", flat=True)) == (
        D(275000)
    )
    assert reversal.lines.get().quantity == -2


def test_a_partial_line_refund_takes_the_newest_batch_first(product, central_admin):
    newer = released_batch(product=product, quantity=4)
    order = pay(place((product, 7)), central_admin)  # 5 from the first batch, 2 from newer
    [sale] = pnbp_record_sale(order=order)

    [reversal] = pnbp_record_refund(
        refund=refund(order, lines=[(line_of(order, product), 3, D(450000))])
    )

    rows = [(ln.batch_id, ln.quantity, ln.gross) for ln in reversal.lines.all()]
    older_batch = sale.lines.exclude(batch=newer).get().batch_id
    assert sorted(rows) == sorted([(newer.pk, -2, D(-300000)), (older_batch, -1, D(-150000))])
    assert reversal.gross == D(-450000)


def test_an_amount_only_refund_reverses_goods_not_shipping(product, central_admin, lapas):
    order = pay(place((product, 1), shipping=D(20000)), central_admin)
    pnbp_record_sale(order=order)

    # 100,001 for goods plus 20,000 shipping, refunded at the provider with no lines.
    [reversal] = pnbp_record_refund(refund=refund(order, amount=D(120001), shipping=D(20000)))

    assert reversal.lapas_id == lapas.pk and reversal.gross == D(-100001)
    assert all(ln.quantity == 0 for ln in reversal.lines.all())


def test_a_refund_is_reversed_once(product, central_admin):
    order = pay(place((product, 2)), central_admin)
    pnbp_record_sale(order=order)
    made = refund(order, lines=[(line_of(order, product), 1, D(150000))])

    first = pnbp_record_refund(refund=made)
    again = pnbp_record_refund(refund=made)

    assert [e.pk for e in again] == [e.pk for e in first]
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_a_refund_of_more_than_was_booked_is_refused(product, central_admin, english):
    order = pay(place((product, 1)), central_admin)
    pnbp_record_sale(order=order)
    pnbp_record_refund(refund=refund(order, amount=D(100000)))

    with pytest.raises(PnbpError) as refusal:
        pnbp_record_refund(refund=refund(order, amount=D(60000)))

    assert "never reverses more" in str(refusal.value)
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_a_refund_that_did_not_complete_is_not_reversed(product, central_admin, english):
    order = pay(place((product, 1)), central_admin)
    pnbp_record_sale(order=order)

    with pytest.raises(PnbpError) as refusal:
        pnbp_record_refund(refund=refund(order, amount=D(150000), status="pending"))

    assert "has not completed" in str(refusal.value)


def test_a_refund_of_a_sale_the_ledger_missed_books_the_sale_first(product, central_admin):
    order = pay(place((product, 1)), central_admin)

    [reversal] = pnbp_record_refund(refund=refund(order, amount=D(150000)))

    sale = LedgerEntry.objects.get(kind="sale")
    assert sale.gross == -reversal.gross == D(150000)


def test_partial_refunds_that_add_up_to_the_sale_net_every_share_to_zero(
    product, central_admin, lapas
):
    RevenueSplit.objects.create(
        lapas=lapas,
        effective_from=timezone.localdate(),
        pnbp_percent=D("66.67"),
        premi_percent=D("16.67"),
        working_capital_percent=D("16.66"),
    )
    order = place((product, 3))
    order.lines.update(line_price_incl_tax=D(100001))
    order = pay(order, central_admin)
    [sale] = pnbp_record_sale(order=order)
    line = line_of(order, product)

    for quantity, amount in ((1, D(33333)), (1, D(33333)), (1, D(33335))):
        [reversal] = pnbp_record_refund(refund=refund(order, lines=[(line, quantity, amount)]))
        assert reversal.gross == -amount
        assert (
            reversal.pnbp_amount
            + reversal.premi_amount
            + reversal.working_capital_amount
            + reversal.programme_amount
            == reversal.gross
        )

    totals = {
        field: sum(LedgerEntry.objects.values_list(field, flat=True))
        for field in ("gross", "pnbp_amount", "premi_amount", "working_capital_amount")
    }
    assert totals == dict.fromkeys(totals, 0)
    assert sum(LedgerEntryLine.objects.values_list("quantity", flat=True)) == 0


# --- Immutability ------------------------------------------------------------------------


@postgres_only
def test_the_database_refuses_an_update_or_delete_of_an_entry(product, central_admin):
    order = pay(place((product, 1)), central_admin)
    [entry] = pnbp_record_sale(order=order)
    line = entry.lines.get()

    for sql, args in (
        ("UPDATE production_link_ledgerentry SET gross = gross + 1 WHERE id = %s", [entry.pk]),
        ("DELETE FROM production_link_ledgerentry WHERE id = %s", [entry.pk]),
        ("UPDATE production_link_ledgerentryline SET gross = 0 WHERE id = %s", [line.pk]),
        ("DELETE FROM production_link_ledgerentryline WHERE id = %s", [line.pk]),
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, args)

    entry.refresh_from_db()
    assert entry.gross == D(150000)


@postgres_only
def test_the_orm_cannot_change_or_delete_an_entry_either(product, central_admin):
    order = pay(place((product, 1)), central_admin)
    [entry] = pnbp_record_sale(order=order)

    entry.gross = D(1)
    entry.pnbp_amount = D(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(channel="pos")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntryLine.objects.filter(entry=entry).delete()

    assert LedgerEntry.objects.get(pk=entry.pk).gross == D(150000)


# --- Concurrency -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_processes_booking_the_same_sale_book_it_once():
    from tests.factories import LapasFactory, UserFactory

    lapas = LapasFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    product = ProductFactory(workshop=WorkshopFactory(lapas=lapas), stockrecord__num_in_stock=3)
    order = pay(place((product, 2)), admin)

    start = threading.Barrier(4)
    results, lock = [], threading.Lock()

    def book():
        try:
            start.wait()
            entries = pnbp_record_sale(order=order)
            outcome = tuple(e.pk for e in entries)
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 4 and len(set(results)) == 1, results
    assert LedgerEntry.objects.count() == 1
    assert LedgerEntryLine.objects.count() == 1
