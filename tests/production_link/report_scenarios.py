"""Ledger and production data for the report tests, with the figures worked out by hand.

Plain functions (not fixtures) so each report test module builds exactly what it needs.
Times are written in Jakarta time (WIB, UTC+7), as the treasurer reads them.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from production_link.models import Batch, BatchStock, Deposit, DepositEntry
from production_link.services import stock_location_warehouse
from tests.factories import CategoryFactory, LedgerEntryFactory, ProductFactory, WorkshopFactory

WIB = ZoneInfo("Asia/Jakarta")
D = Decimal


def wib(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WIB)


def make_batch(
    product, *, made, produced, status=Batch.Status.RELEASED, qc_passed=True, stock=0, hours=None
):
    batch = Batch.objects.create(
        code=f"T-{product.pk}-{made:%y%m%d}-{Batch.objects.count() + 1}",
        product=product,
        workshop=product.workshop,
        status=status,
        planned_quantity=produced or 1,
        produced_quantity=produced,
        production_date=made,
        qc_passed=qc_passed,
        labor_hours=hours,
        released_at=timezone.now() if status == Batch.Status.RELEASED else None,
    )
    if stock:
        BatchStock.objects.create(
            batch=batch,
            location=stock_location_warehouse(lapas=product.workshop.lapas),
            quantity=stock,
        )
    return batch


def make_deposit(lapas, entries, *, paid_on=None, ntpn="", status=Deposit.Status.PAID):
    deposit = Deposit.objects.create(
        lapas=lapas,
        amount=sum((e.gross for e in entries), D("0")),
        status=status,
        billing_code="820261001234567",
        ntpn=ntpn,
        paid_on=paid_on,
    )
    for entry in entries:
        DepositEntry.objects.create(deposit=deposit, entry=entry)
    return deposit


def october(lapas, other_lapas):
    """October 2026 at Lapas Tangerang, worked out by hand:

    e1 online  1 Oct 00:05  2 × 15.000 =  30.000, 10 % premi 3.000; deposit paid 2 Oct
    e2 pos    15 Oct 12:00  3 × 15.000 + 1 × 25.000 = 70.000; in a deposit still billed
    e3 online 31 Oct 23:30  1 × 15.000 = 15.000 on account 425139; deposit paid 2 Nov
    e4 reversal of e2, 20 Oct: 1 × 15.000 = -15.000; in the billed deposit
    Outside October: 1 Nov 00:10 (60.000), 30 Sep 23:59 (10.000, in the 2 Oct deposit).
    Cipinang: 100.000 online on 10 Oct, not deposited.

    Sales 115.000, reversals -15.000, net 100.000; deposited 45.000 (e1, e3), pending
    55.000 (e2 + e4), outstanding 55.000; premi 3.000, PNBP 97.000. Deposits paid in
    October: one, 40.000 (e1 and the September entry).
    """
    bread = ProductFactory(
        title="Roti Tawar",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Roti"),
        stockrecord__num_in_stock=0,
    )
    cake = ProductFactory(title="Kue Nastar", workshop=bread.workshop, stockrecord__num_in_stock=0)
    loaves = make_batch(bread, made=datetime.date(2026, 9, 28), produced=50, stock=20)
    cookies = make_batch(cake, made=datetime.date(2026, 9, 28), produced=10, stock=5)
    e1 = LedgerEntryFactory(
        lapas=lapas,
        due_at=wib(2026, 10, 1, 0, 5),
        lines=[(loaves, 2, D("15000"))],
        premi_percent=D("10"),
    )
    e2 = LedgerEntryFactory(
        lapas=lapas,
        due_at=wib(2026, 10, 15, 12, 0),
        channel="pos",
        lines=[(loaves, 3, D("15000")), (cookies, 1, D("25000"))],
    )
    e3 = LedgerEntryFactory(
        lapas=lapas,
        due_at=wib(2026, 10, 31, 23, 30),
        lines=[(loaves, 1, D("15000"))],
        account_code="425139",
    )
    e4 = LedgerEntryFactory(reverses=e2, due_at=wib(2026, 10, 20, 9, 0), lines=[(loaves, 1)])
    november = LedgerEntryFactory(
        lapas=lapas, due_at=wib(2026, 11, 1, 0, 10), lines=[(loaves, 4, D("15000"))]
    )
    september = LedgerEntryFactory(
        lapas=lapas, due_at=wib(2026, 9, 30, 23, 59), lines=[(loaves, 1, D("10000"))]
    )
    batik = ProductFactory(
        title="Kain Batik",
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Batik"),
        stockrecord__num_in_stock=0,
    )
    cipinang = LedgerEntryFactory(
        lapas=other_lapas,
        due_at=wib(2026, 10, 10, 10, 0),
        lines=[(make_batch(batik, made=datetime.date(2026, 9, 1), produced=4), 1, D("100000"))],
    )
    paid = make_deposit(
        lapas, [e1, september], paid_on=datetime.date(2026, 10, 2), ntpn="0A1B2C3D4E5F6G7H"
    )
    billed = make_deposit(lapas, [e2, e4], status=Deposit.Status.BILLED)
    late = make_deposit(lapas, [e3], paid_on=datetime.date(2026, 11, 2), ntpn="1111222233334444")
    return SimpleNamespace(
        bread=bread,
        loaves=loaves,
        cookies=cookies,
        entries=[e1, e2, e3, e4],
        november=november,
        september=september,
        cipinang=cipinang,
        paid=paid,
        billed=billed,
        late=late,
    )


def third_quarter(lapas):
    """July to September 2026 at Lapas Tangerang, two workshops, worked out by hand:

    Roti (field Pangan): batch A 10 Jul, 20 made, QC passed, 5 left; batch B 5 Aug, 10
      made, QC failed; batch D planned (not counted); batch E made 30 Jun (Q2), 2 left.
      Sold: A 10 online 20 Jul, A 5 at the POS 1 Aug, E 3 online 30 Sep 23:30 WIB, one A
      refunded 2 Sep → 17 units, Rp255.000, premi (10 %) Rp25.500; in stock 7;
      QC failure 1 of 2 = 50,0 %; sell-through 17 / 24 = 70,8 %.
    Batik (field Sandang): batch C 30 Sep, 8 made, QC passed, 6 left. Sold 2 at the POS
      on 1 Aug at 200.000 → Rp400.000, premi Rp40.000; sell-through 2 / 8 = 25,0 %.
    Outside the quarter: 2 of A on 1 Oct 00:30 WIB.
    """
    from oscar.core.loading import get_model

    Segment = get_model("catalogue", "Segment")
    households = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    collectors = Segment.objects.create(name="Kolektor", slug="kolektor")
    roti = WorkshopFactory(
        lapas=lapas, name="Bengkel Roti", field_of_work=CategoryFactory(name="Pangan")
    )
    batik_shop = WorkshopFactory(
        lapas=lapas,
        name="Bengkel Batik",
        code="BATIK",
        field_of_work=CategoryFactory(name="Sandang"),
    )
    bread = ProductFactory(title="Roti Tawar", workshop=roti, stockrecord__num_in_stock=0)
    batik = ProductFactory(
        title="Kain Batik Tulis", workshop=batik_shop, stockrecord__num_in_stock=0
    )
    bread.segments.add(households)
    batik.segments.add(households, collectors)
    a = make_batch(bread, made=datetime.date(2026, 7, 10), produced=20, stock=5, hours=D("10"))
    make_batch(
        bread,
        made=datetime.date(2026, 8, 5),
        produced=10,
        status=Batch.Status.QC_FAILED,
        qc_passed=False,
        hours=D("5.5"),
    )
    make_batch(
        bread,
        made=datetime.date(2026, 9, 15),
        produced=None,
        status=Batch.Status.PLANNED,
        qc_passed=None,
    )
    e = make_batch(bread, made=datetime.date(2026, 6, 30), produced=12, stock=2)
    c = make_batch(batik, made=datetime.date(2026, 9, 30), produced=8, stock=6)
    ten = D("10")
    LedgerEntryFactory(
        lapas=lapas, due_at=wib(2026, 7, 20, 10, 0), lines=[(a, 10, D("15000"))], premi_percent=ten
    )
    pos = LedgerEntryFactory(
        lapas=lapas,
        due_at=wib(2026, 8, 1, 11, 0),
        channel="pos",
        premi_percent=ten,
        lines=[(a, 5, D("15000")), (c, 2, D("200000"))],
    )
    LedgerEntryFactory(
        lapas=lapas, due_at=wib(2026, 9, 30, 23, 30), lines=[(e, 3, D("15000"))], premi_percent=ten
    )
    LedgerEntryFactory(
        reverses=pos, due_at=wib(2026, 9, 2, 9, 0), lines=[(a, 1)], premi_percent=ten
    )
    LedgerEntryFactory(
        lapas=lapas, due_at=wib(2026, 10, 1, 0, 30), lines=[(a, 2, D("15000"))], premi_percent=ten
    )
    return SimpleNamespace(a=a, c=c, e=e, roti=roti, batik=batik_shop)
