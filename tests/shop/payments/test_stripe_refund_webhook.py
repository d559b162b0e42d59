"""Card refunds end to end: from the dashboard through Stripe, and Stripe's
charge.refunded / charge.refund.updated webhooks applied once, in any order."""

from decimal import Decimal

import pytest

from shop.apps.order import statuses
from shop.payments.models import Refund
from shop.payments.refund_services import RefundLineRequest, refund_create
from tests.fakes.stripe_server import send_webhook
from tests.shop.payments.helpers import intent_id, place_card_order, return_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client, product, fake_stripe):
    order, _response = place_card_order(client, product, quantity=2)  # Rp300.000
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    client.get(return_url(order))
    order.refresh_from_db()
    assert order.status == statuses.PAID
    return order


def refund_one_loaf(order, user, token="t1"):
    return refund_create(
        order_id=order.pk,
        user=user,
        token=token,
        lines=[RefundLineRequest(line_id=order.lines.get().pk, quantity=1, restock=True)],
        reason="Kemasan rusak",
    )


def refunded_event(fake, order, event_type="charge.refunded", event_id=None):
    charge = fake.charge_of(intent_id(order))
    return fake.event(event_type, obj=charge, event_id=event_id)


def test_a_card_refund_from_the_dashboard_goes_through_stripe_once(
    client, paid_order, central_admin, fake_stripe
):
    refund = refund_one_loaf(paid_order, central_admin)
    again = refund_one_loaf(paid_order, central_admin)  # the same form posted twice

    assert again.pk == refund.pk
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.reference.startswith("re_")
    creates = fake_stripe.requests_to("POST", "/v1/refunds")
    assert {r["params"]["amount"] for r in creates} == {"15000000"}
    assert len(fake_stripe.refunds) == 1
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PARTLY_REFUNDED

    event = refunded_event(fake_stripe, paid_order)
    assert send_webhook(client, event).status_code == 200
    assert send_webhook(client, event).status_code == 200

    assert paid_order.refunds.count() == 1
    assert paid_order.payment_events.filter(event_type__name="Refunded").count() == 1


def test_a_pending_stripe_refund_completes_when_stripe_says_so(
    client, paid_order, central_admin, fake_stripe
):
    fake_stripe.next_refund_status = "pending"
    refund = refund_one_loaf(paid_order, central_admin)
    assert refund.status == Refund.Status.PENDING
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PAID

    fake_stripe.set_refund_status(refund.reference, "succeeded")
    updated = fake_stripe.event("charge.refund.updated", obj=fake_stripe.refunds[refund.reference])
    send_webhook(client, updated)
    send_webhook(client, refunded_event(fake_stripe, paid_order))  # a second, later event

    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PARTLY_REFUNDED
    assert paid_order.payment_events.filter(event_type__name="Refunded").count() == 1


def test_a_stripe_refund_that_fails_later_is_marked_failed(
    client, paid_order, central_admin, fake_stripe
):
    fake_stripe.next_refund_status = "pending"
    refund = refund_one_loaf(paid_order, central_admin)
    fake_stripe.set_refund_status(refund.reference, "failed")

    send_webhook(
        client,
        fake_stripe.event("charge.refund.updated", obj=fake_stripe.refunds[refund.reference]),
    )

    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PAID
    assert not paid_order.payment_events.filter(event_type__name="Refunded").exists()


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(client, paid_order, fake_stripe):
    fake_stripe.refund_in_dashboard(intent_id(paid_order), 15000000)
    event = refunded_event(fake_stripe, paid_order)

    send_webhook(client, event)
    send_webhook(client, event)
    send_webhook(client, refunded_event(fake_stripe, paid_order, "charge.refund.updated"))

    refund = paid_order.refunds.get()
    assert refund.amount == Decimal("150000")
    assert refund.created_by is None
    assert refund.status == Refund.Status.SUCCEEDED
    paid_order.refresh_from_db()
    assert paid_order.status == statuses.PARTLY_REFUNDED


def test_the_whole_payment_refunded_in_stripe_refunds_the_order(client, paid_order, fake_stripe):
    fake_stripe.refund_in_dashboard(intent_id(paid_order), 30000000)

    send_webhook(client, refunded_event(fake_stripe, paid_order))

    paid_order.refresh_from_db()
    assert paid_order.status == statuses.REFUNDED
    assert paid_order.refunds.get().amount == Decimal("300000")  # both loaves, not shipping


def test_replayed_and_out_of_order_events_leave_one_payment_and_one_ledger_entry(
    client, product, fake_stripe
):
    from production_link.models import LedgerEntry

    order, _response = place_card_order(client, product, quantity=2)
    intent = intent_id(order)
    failed = fake_stripe.event("payment_intent.payment_failed", intent_id=intent)
    fake_stripe.set_intent_status(intent, "succeeded")
    succeeded = fake_stripe.event("payment_intent.succeeded", intent_id=intent)

    send_webhook(client, succeeded)  # the webhook before the buyer's return
    send_webhook(client, succeeded)  # replayed
    send_webhook(client, failed)  # an older event, late
    client.get(return_url(order))  # the buyer's return, last

    order.refresh_from_db()
    assert order.status == statuses.PAID
    assert order.payment_events.filter(event_type__name="Paid").count() == 1
    [entry] = LedgerEntry.objects.filter(order=order)
    assert entry.kind == "sale" and entry.gross == Decimal("300000")


def test_a_refund_reverses_exactly_what_it_refunds_in_the_ledger(
    client, paid_order, central_admin, fake_stripe
):
    from production_link.models import LedgerEntry

    refund = refund_one_loaf(paid_order, central_admin)
    send_webhook(client, refunded_event(fake_stripe, paid_order))
    send_webhook(client, refunded_event(fake_stripe, paid_order))

    sale = LedgerEntry.objects.get(order=paid_order, kind="sale")
    [reversal] = LedgerEntry.objects.filter(order=paid_order, kind="reversal")
    assert reversal.refund == refund
    assert reversal.gross == -refund.amount == Decimal("-150000")
    assert sale.gross + reversal.gross == Decimal("150000")
