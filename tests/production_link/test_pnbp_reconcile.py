"""`manage.py pnbp_reconcile`: the ledger against paid sales, refunds and deposits."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from production_link import tasks
from production_link.models import Deposit, DepositEntry, LedgerEntry, LedgerEntryLine
from production_link.pnbp.selectors import pnbp_reconcile_differences
from production_link.pnbp.services import (
    deposit_create,
    pnbp_record_refund,
    pnbp_record_sale,
)
from tests.factories import ProductFactory, WorkshopFactory

from .pnbp_support import line_of, pay, pay_unbooked, place, refund, role_user

pytestmark = pytest.mark.django_db


def reconcile(*args):
    out = io.StringIO()
    call_command("pnbp_reconcile", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def batik(other_lapas):
    return ProductFactory(
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Batik", code="BATIK"),
        stockrecord__price=Decimal(275000),
        stockrecord__num_in_stock=10,
    )


@pytest.fixture
def clean_ledger(product, batik, central_admin, lapas):
    """Paid online and POS sales, a line refund, an amount-only refund with shipping, an
    unpaid and a cancelled order, and a deposit: everything as it should be."""
    online = pay(place((product, 2), shipping=Decimal(25000)), central_admin)
    pay(place((batik, 1)), central_admin)  # the same buyer's goods of another Lapas
    pos = pay(place((batik, 2), channel="pos"), central_admin)
    pnbp_record_sale(order=online)
    pnbp_record_sale(order=pos)
    pnbp_record_refund(
        refund=refund(online, lines=[(line_of(online, product), 1, Decimal(150000))])
    )
    pnbp_record_refund(refund=refund(pos, amount=Decimal(100000)))
    refund(online, amount=Decimal(25000), shipping=Decimal(25000))  # shipping only: no reversal
    place((product, 1))  # awaiting payment: nothing to book
    from shop.apps.order.services import order_cancel

    order_cancel(order_id=place((product, 1)).pk, user=central_admin)
    treasurer = role_user("bendahara.tng", "treasurer", lapas)
    sale = LedgerEntry.objects.get(order=online, lapas=lapas, kind="sale")
    deposit_create(lapas=lapas, entry_ids=[sale.pk], user=treasurer)
    return online, pos


def test_a_clean_ledger_reconciles_and_exits_zero(clean_ledger, lapas):
    assert pnbp_reconcile_differences() == []
    assert "agrees" in reconcile()
    assert "agrees" in reconcile("--lapas", lapas.short_code)
    assert "agrees" in reconcile(
        "--lapas", lapas.satker_code, "--from", "2020-01-01", "--to", "2099-12-31"
    )


def test_a_paid_sale_with_no_entry_is_a_difference(product, central_admin):
    order = pay_unbooked(place((product, 1)), central_admin)

    with pytest.raises(CommandError, match="1 difference"):
        out = io.StringIO()
        call_command("pnbp_reconcile", stdout=out)

    [difference] = pnbp_reconcile_differences()
    assert difference.kind == "missing_entry" and difference.order == order.number
    assert difference.expected == Decimal(150000)
    assert "missing_entry" in out.getvalue() and order.number in out.getvalue()


def test_an_entry_for_an_order_never_paid_is_a_difference(product, central_admin):
    order = pay(place((product, 1)), central_admin)
    pnbp_record_sale(order=order)
    # Plant the difference: the order's payment is undone behind the ledger's back.
    order.payment_events.all().delete()
    order.recorded_payment.delete()
    type(order).objects.filter(pk=order.pk).update(status="Cancelled")

    kinds = [d.kind for d in pnbp_reconcile_differences()]

    assert kinds == ["entry_for_unpaid_order"]
    with pytest.raises(CommandError):
        reconcile()


def test_a_stray_paid_event_or_status_does_not_make_an_order_paid_for_the_ledger(
    product, central_admin
):
    from oscar.core.loading import get_model

    order = place((product, 1))
    forced = place((product, 1))
    # A "Paid" event, and a status, written around the mark-paid service (a shell, the admin).
    event_type = get_model("order", "PaymentEventType").objects.get_or_create(name="Paid")[0]
    order.payment_events.create(event_type=event_type, amount=Decimal("1"))
    type(forced).objects.filter(pk=forced.pk).update(status="Paid")

    # Neither is paid, so no entry is missing: the ledger waits for the real payment.
    assert pnbp_reconcile_differences() == []
    pay(order, central_admin)
    assert pnbp_reconcile_differences() == []


def test_a_missing_or_wrong_reversal_is_a_difference(product, central_admin):
    order = pay(place((product, 2)), central_admin)
    pnbp_record_sale(order=order)
    missing = refund(order, lines=[(line_of(order, product), 1, Decimal(150000))])
    wrong = refund(order, amount=Decimal(60000))
    pnbp_record_refund(refund=wrong)
    # The refund's recorded amount no longer matches what was reversed.
    type(wrong).objects.filter(pk=wrong.pk).update(amount=Decimal(70000))

    found = {(d.kind, d.refund_id) for d in pnbp_reconcile_differences()}

    assert found == {("missing_reversal", missing.pk), ("reversal_mismatch", wrong.pk)}


def test_a_deposit_that_is_not_the_sum_of_its_entries_is_a_difference(
    product, central_admin, lapas
):
    treasurer = role_user("bendahara.tng", "treasurer", lapas)
    [sale] = pnbp_record_sale(order=pay(place((product, 1)), central_admin))
    deposit = deposit_create(lapas=lapas, entry_ids=[sale.pk], user=treasurer)
    Deposit.objects.filter(pk=deposit.pk).update(amount=Decimal(1))

    [difference] = pnbp_reconcile_differences()

    assert difference.kind == "deposit_mismatch" and difference.deposit_id == deposit.pk
    assert (difference.expected, difference.recorded) == (Decimal(150000), Decimal(1))
    assert DepositEntry.objects.count() == 1


def test_the_lapas_and_dates_narrow_the_check(product, batik, central_admin, other_lapas):
    long_ago = timezone.now() - datetime.timedelta(days=40)
    pay_unbooked(place((batik, 1)), central_admin, long_ago)  # Cipinang, not booked, 40 days ago

    assert [d.kind for d in pnbp_reconcile_differences()] == ["missing_entry"]
    assert "agrees" in reconcile("--lapas", "TNG")
    today = timezone.localdate().isoformat()
    assert "agrees" in reconcile("--from", today, "--to", today)
    with pytest.raises(CommandError):
        reconcile("--lapas", other_lapas.satker_code)


def test_bad_options_are_refused_with_a_message():
    with pytest.raises(CommandError, match="no Lapas"):
        reconcile("--lapas", "XXX")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        reconcile("--from", "22-11-2026")


def test_the_daily_task_emails_central_staff_only_when_something_differs(product, central_admin):
    assert tasks.pnbp_reconcile_daily.delay().get() == 0
    assert mail.outbox == []

    order = pay_unbooked(place((product, 1)), central_admin)

    assert tasks.pnbp_reconcile_daily.delay().get() == 1
    [email] = mail.outbox
    assert email.to == [central_admin.email]
    assert order.number in email.body


def test_lines_that_do_not_add_up_are_a_difference(product, central_admin):
    [sale] = pnbp_record_sale(order=pay(place((product, 1)), central_admin))
    # Planted: a line inserted behind the service's back.
    line = sale.lines.get()
    LedgerEntryLine.objects.create(entry=sale, line=line.line, quantity=0, gross=Decimal(5))

    assert [d.kind for d in pnbp_reconcile_differences()] == ["lines_mismatch"]
