"""Deposits (setoran): grouping entries, billing code, NTPN; the deposit deadline and the
daily overdue alert."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from production_link import tasks
from production_link.models import Deposit, DepositEntry, PnbpAlert, PublicHoliday
from production_link.pnbp.selectors import next_working_day, pnbp_deadline
from production_link.pnbp.services import (
    PnbpError,
    deposit_cancel,
    deposit_create,
    deposit_record_ntpn,
    deposit_set_billing,
    pnbp_record_refund,
    pnbp_record_sale,
)

from .pnbp_support import line_of, paid_on, pay, place, refund, role_user

pytestmark = pytest.mark.django_db

BILLING = "820261122000123"
NTPN = "0A1B2C3D4E5F6G7H"


@pytest.fixture
def treasurer(lapas):
    return role_user("bendahara.tng", "treasurer", lapas)


@pytest.fixture
def other_treasurer(other_lapas):
    return role_user("bendahara.cpn", "treasurer", other_lapas)


@pytest.fixture
def product(product):
    from tests.factories import released_batch

    released_batch(product=product, quantity=20)
    return product


@pytest.fixture
def sales(product, central_admin):
    """Three booked sales of the treasurer's Lapas: 150,000, 300,000 and 450,000."""
    return [pnbp_record_sale(order=pay(place((product, n)), central_admin))[0] for n in (1, 2, 3)]


def later(**kw):
    return timezone.now() + datetime.timedelta(**kw)


def test_a_deposit_groups_entries_and_its_amount_is_their_pnbp(sales, treasurer, lapas):
    deposit = deposit_create(lapas=lapas, entry_ids=[e.pk for e in sales[:2]], user=treasurer)

    assert deposit.amount == Decimal(450000)
    assert deposit.status == Deposit.Status.DRAFT and deposit.created_by == treasurer
    assert set(deposit.items.values_list("entry_id", flat=True)) == {sales[0].pk, sales[1].pk}


def test_a_refund_reversal_lowers_the_deposit(sales, treasurer, lapas, central_admin):
    order = sales[2].order
    [reversal] = pnbp_record_refund(
        refund=refund(order, lines=[(order.lines.get(), 1, Decimal(150000))])
    )

    deposit = deposit_create(lapas=lapas, entry_ids=[sales[2].pk, reversal.pk], user=treasurer)

    assert deposit.amount == Decimal(300000)


def test_the_same_request_twice_makes_one_deposit(sales, treasurer, lapas):
    ids = [e.pk for e in sales]

    first = deposit_create(lapas=lapas, entry_ids=ids, user=treasurer)
    second = deposit_create(lapas=lapas, entry_ids=list(reversed(ids)), user=treasurer)

    assert first.pk == second.pk and Deposit.objects.count() == 1


def test_an_entry_goes_into_one_deposit_only(sales, treasurer, lapas, english):
    deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)

    with pytest.raises(PnbpError) as refusal:
        deposit_create(lapas=lapas, entry_ids=[sales[0].pk, sales[1].pk], user=treasurer)

    assert "already in deposit" in refusal.value.message_dict["entries"][0]
    assert Deposit.objects.count() == 1 and DepositEntry.objects.count() == 1


def test_nothing_or_nothing_to_pay_is_refused(sales, treasurer, lapas, english):
    order = sales[0].order
    [reversal] = pnbp_record_refund(
        refund=refund(
            order, lines=[(line_of(order, order.lines.get().product), 1, Decimal(150000))]
        )
    )

    for ids, message in (([], "at least one"), ([reversal.pk], "more than zero")):
        with pytest.raises(PnbpError) as refusal:
            deposit_create(lapas=lapas, entry_ids=ids, user=treasurer)
        assert message in refusal.value.message_dict["entries"][0]
    with pytest.raises(PnbpError):  # the sale and its full refund add up to nothing
        deposit_create(lapas=lapas, entry_ids=[sales[0].pk, reversal.pk], user=treasurer)
    assert not Deposit.objects.exists()


def test_only_the_lapas_own_treasurer_deposits_its_entries(
    sales, lapas, other_lapas, other_treasurer, workshop_staff, english
):
    with pytest.raises(PermissionDenied):
        deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=other_treasurer)
    with pytest.raises(PermissionDenied):
        deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=workshop_staff)
    with pytest.raises(PnbpError) as refusal:  # entries of one Lapas into another's deposit
        deposit_create(lapas=other_lapas, entry_ids=[sales[0].pk], user=other_treasurer)
    assert "Only entries of" in refusal.value.message_dict["entries"][0]
    assert not Deposit.objects.exists()


def test_billing_code_and_ntpn_formats_are_checked_naming_the_field(
    sales, treasurer, lapas, english
):
    deposit = deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)

    with pytest.raises(PnbpError) as refusal:
        deposit_set_billing(
            deposit_id=deposit.pk, billing_code="12345", expires_at=later(days=2), user=treasurer
        )
    assert "15 digits" in refusal.value.message_dict["billing_code"][0]

    deposit = deposit_set_billing(
        deposit_id=deposit.pk,
        billing_code="8202 6112 2000 123",
        expires_at=later(days=2),
        user=treasurer,
    )
    assert deposit.billing_code == BILLING and deposit.status == Deposit.Status.BILLED

    for bad in ("0A1B2C3D4E5F6G7", "0A1B2C3D4E5F6G7H9", "0A1B2C3D4E5F6G7-"):
        with pytest.raises(PnbpError) as refusal:
            deposit_record_ntpn(
                deposit_id=deposit.pk, ntpn=bad, paid_on=timezone.localdate(), user=treasurer
            )
        assert "16 capital letters or digits" in refusal.value.message_dict["ntpn"][0]
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.BILLED and deposit.ntpn == ""


def test_the_ntpn_needs_a_billing_code_first(sales, treasurer, lapas, english):
    deposit = deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)

    with pytest.raises(PnbpError) as refusal:
        deposit_record_ntpn(
            deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
        )

    assert "billing code before" in refusal.value.message_dict["billing_code"][0]


def test_the_ntpn_closes_the_deposit(sales, treasurer, lapas, english):
    deposit = deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)
    deposit_set_billing(
        deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=1), user=treasurer
    )

    paid = deposit_record_ntpn(
        deposit_id=deposit.pk, ntpn=NTPN.lower(), paid_on=timezone.localdate(), user=treasurer
    )
    again = deposit_record_ntpn(
        deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
    )

    assert paid.status == Deposit.Status.PAID and paid.ntpn == NTPN
    assert paid.ntpn_recorded_by == treasurer and paid.ntpn_recorded_at
    assert again.ntpn_recorded_at == paid.ntpn_recorded_at  # the repeat changed nothing
    for attempt in (
        lambda: deposit_record_ntpn(
            deposit_id=deposit.pk,
            ntpn="ZZZZZZZZZZZZZZZZ",
            paid_on=timezone.localdate(),
            user=treasurer,
        ),
        lambda: deposit_set_billing(
            deposit_id=deposit.pk,
            billing_code="999999999999999",
            expires_at=later(days=3),
            user=treasurer,
        ),
        lambda: deposit_cancel(deposit_id=deposit.pk, user=treasurer),
    ):
        with pytest.raises(PnbpError) as refusal:
            attempt()
        assert "closed for changes" in str(refusal.value)
    deposit.refresh_from_db()
    assert (deposit.ntpn, deposit.billing_code) == (NTPN, BILLING)


def test_an_ntpn_is_recorded_on_one_deposit_only(sales, treasurer, lapas, english):
    first, second = (
        deposit_create(lapas=lapas, entry_ids=[entry.pk], user=treasurer) for entry in sales[:2]
    )
    for deposit in (first, second):
        deposit_set_billing(
            deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=1), user=treasurer
        )
    deposit_record_ntpn(
        deposit_id=first.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
    )

    with pytest.raises(PnbpError) as refusal:
        deposit_record_ntpn(
            deposit_id=second.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
        )

    assert "another deposit" in refusal.value.message_dict["ntpn"][0]


def test_an_expired_billing_code_must_be_replaced_before_the_ntpn(sales, treasurer, lapas, english):
    deposit = deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)
    deposit_set_billing(
        deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=-2), user=treasurer
    )

    with pytest.raises(PnbpError) as refusal:
        deposit_record_ntpn(
            deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
        )
    assert "Get a new billing code" in refusal.value.message_dict["billing_code"][0]

    deposit_set_billing(
        deposit_id=deposit.pk,
        billing_code="820261122000999",
        expires_at=later(days=2),
        user=treasurer,
    )
    paid = deposit_record_ntpn(
        deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
    )
    assert paid.status == Deposit.Status.PAID and paid.billing_code == "820261122000999"


def test_a_payment_date_in_the_future_is_refused(sales, treasurer, lapas, english):
    deposit = deposit_create(lapas=lapas, entry_ids=[sales[0].pk], user=treasurer)
    deposit_set_billing(
        deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=5), user=treasurer
    )

    with pytest.raises(PnbpError) as refusal:
        deposit_record_ntpn(
            deposit_id=deposit.pk,
            ntpn=NTPN,
            paid_on=timezone.localdate() + datetime.timedelta(days=1),
            user=treasurer,
        )

    assert "future" in refusal.value.message_dict["paid_on"][0]


def test_cancelling_a_draft_deposit_frees_its_entries(sales, treasurer, lapas):
    deposit = deposit_create(lapas=lapas, entry_ids=[e.pk for e in sales], user=treasurer)

    assert deposit_cancel(deposit_id=deposit.pk, user=treasurer) == 3
    assert deposit_cancel(deposit_id=deposit.pk, user=treasurer) == 0

    again = deposit_create(lapas=lapas, entry_ids=[e.pk for e in sales], user=treasurer)
    assert again.amount == Decimal(900000)


# --- Working days and the deadline ----------------------------------------------------


def jakarta(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_a_friday_sale_is_due_by_the_end_of_monday():
    friday = datetime.date(2026, 11, 20)

    deadline = pnbp_deadline(due_at=jakarta(2026, 11, 20, 10, 0), holidays=set())

    assert friday.weekday() == 4
    assert timezone.localtime(deadline).date() == datetime.date(2026, 11, 23)
    assert timezone.localtime(deadline).time() >= datetime.time(23, 59, 59)


def test_a_holiday_after_a_weekend_moves_the_deadline_on():
    # Received on a Thursday; Friday is a holiday, then the weekend: due on Monday. With
    # Monday a holiday as well, due on Tuesday.
    thursday = jakarta(2026, 12, 24, 15, 0)
    christmas = {datetime.date(2026, 12, 25)}

    assert timezone.localtime(pnbp_deadline(due_at=thursday, holidays=christmas)).date() == (
        datetime.date(2026, 12, 28)
    )
    assert next_working_day(
        datetime.date(2026, 12, 24), christmas | {datetime.date(2026, 12, 28)}
    ) == datetime.date(2026, 12, 29)


def test_the_deadline_counts_in_jakarta_time_and_reads_the_public_holidays():
    PublicHoliday.objects.create(date=datetime.date(2026, 8, 17), name="Hari Kemerdekaan")
    # 23:30 in Jakarta on Friday 14 August is 16:30 UTC the same day: a Friday sale.
    received = datetime.datetime(2026, 8, 14, 16, 30, tzinfo=datetime.UTC)

    deadline = pnbp_deadline(due_at=received)

    assert timezone.localtime(deadline).date() == datetime.date(2026, 8, 18)


# --- The daily overdue alert ------------------------------------------------------------


def test_the_daily_task_flags_overdue_sales_once_and_emails_the_treasurer_once(
    product, central_admin, treasurer, other_treasurer, lapas, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    overdue = pnbp_record_sale(order=paid_on(place((product, 1)), central_admin, long_ago))[0]
    refunded = pnbp_record_sale(order=paid_on(place((product, 1)), central_admin, long_ago))[0]
    pnbp_record_refund(refund=refund(refunded.order, amount=Decimal(150000)))
    deposited = pnbp_record_sale(order=paid_on(place((product, 2)), central_admin, long_ago))[0]
    fresh = pnbp_record_sale(order=pay(place((product, 1)), central_admin))[0]
    deposit = deposit_create(lapas=lapas, entry_ids=[deposited.pk], user=treasurer)
    deposit_set_billing(
        deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=1), user=treasurer
    )
    deposit_record_ntpn(
        deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.pnbp_flag_overdue.delay()

    assert list(PnbpAlert.objects.values_list("entry_id", flat=True)) == [overdue.pk]
    [email] = mail.outbox
    assert email.to == [treasurer.email]
    assert str(overdue.order.number) in email.body
    assert str(fresh.order.number) not in email.body
    assert PnbpAlert.objects.get().emailed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        tasks.pnbp_flag_overdue.delay()

    assert PnbpAlert.objects.count() == 1 and len(mail.outbox) == 1


def test_pnbp_deposited_with_an_ntpn_feeds_the_public_impact_figure(sales, treasurer, lapas):
    from cms.selectors import impact_figures_compute

    assert impact_figures_compute()["pnbp_deposited"] is None  # nothing deposited yet
    deposit = deposit_create(lapas=lapas, entry_ids=[e.pk for e in sales[:2]], user=treasurer)
    deposit_set_billing(
        deposit_id=deposit.pk, billing_code=BILLING, expires_at=later(days=1), user=treasurer
    )
    assert impact_figures_compute()["pnbp_deposited"] is None  # billed is not yet deposited

    deposit_record_ntpn(
        deposit_id=deposit.pk, ntpn=NTPN, paid_on=timezone.localdate(), user=treasurer
    )

    assert Decimal(impact_figures_compute()["pnbp_deposited"]) == Decimal(450000)
