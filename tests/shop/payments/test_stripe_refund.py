"""StripeProvider.execute_refund against the fake Stripe: partial, repeated, too much."""

from decimal import Decimal

import pytest
from oscar.apps.payment.exceptions import PaymentError

from shop.payments.models import Refund
from shop.payments.providers import RefundRefused, StripeProvider, get_provider
from tests.shop.payments.helpers import intent_id, place_card_order, return_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client, product, fake_stripe):
    order, _response = place_card_order(client, product, quantity=2)  # Rp300.000
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    client.get(return_url(order))
    order.refresh_from_db()
    assert order.payment_events.count() == 1
    return order


def make_refund(order, amount, key):
    return Refund.objects.create(
        order=order, provider="stripe", amount=Decimal(amount), idempotency_key=key
    )


def test_a_partial_refund_goes_to_stripe_in_minor_units(paid_order, fake_stripe):
    refund = make_refund(paid_order, "100000", f"karya-order-{paid_order.number}-refund-1")

    outcome = get_provider("stripe").execute_refund(refund=refund)

    stripe_refund = fake_stripe.refunds[outcome.reference]
    assert outcome.status == Refund.Status.SUCCEEDED and outcome.provider_status == "succeeded"
    assert stripe_refund["amount"] == 10000000
    assert stripe_refund["payment_intent"] == intent_id(paid_order)
    assert stripe_refund["metadata"] == {
        "order_number": paid_order.number,
        "refund_id": str(refund.pk),
    }
    (request,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert request["idempotency_key"] == refund.idempotency_key


def test_a_retried_refund_is_made_once(paid_order, fake_stripe):
    refund = make_refund(paid_order, "100000", "karya-refund-retry")
    provider = get_provider("stripe")

    first = provider.execute_refund(refund=refund)
    again = provider.execute_refund(refund=refund)

    assert first == again
    assert len(fake_stripe.refunds) == 1
    assert (
        fake_stripe.charges[fake_stripe.intent(intent_id(paid_order))["latest_charge"]][
            "amount_refunded"
        ]
        == 10000000
    )


def test_refunds_up_to_the_payment_and_not_beyond(paid_order, fake_stripe):
    provider = get_provider("stripe")
    provider.execute_refund(refund=make_refund(paid_order, "100000", "k-1"))
    with pytest.raises(RefundRefused, match="greater than unrefunded amount"):
        provider.execute_refund(refund=make_refund(paid_order, "200001", "k-2a"))
    provider.execute_refund(refund=make_refund(paid_order, "200000", "k-2"))

    with pytest.raises(RefundRefused, match="already been refunded"):
        provider.execute_refund(refund=make_refund(paid_order, "1", "k-3"))
    assert len(fake_stripe.refunds) == 2


def test_more_than_was_paid_is_refused_with_stripes_reason(paid_order, fake_stripe):
    with pytest.raises(RefundRefused, match="greater than unrefunded amount"):
        get_provider("stripe").execute_refund(refund=make_refund(paid_order, "300001", "k-big"))
    assert not fake_stripe.refunds


def test_a_pending_refund_is_reported_pending(paid_order, fake_stripe):
    fake_stripe.next_refund_status = "pending"

    outcome = get_provider("stripe").execute_refund(refund=make_refund(paid_order, "5000", "k-p"))

    assert outcome.status == Refund.Status.PENDING
    assert set(StripeProvider.REFUND_STATUSES.values()) <= set(Refund.Status.values)


def test_stripe_unreachable_is_a_payment_error_to_retry(paid_order, fake_stripe):
    fake_stripe.down = True

    with pytest.raises(PaymentError) as raised:
        get_provider("stripe").execute_refund(refund=make_refund(paid_order, "5000", "k-down"))
    assert not isinstance(raised.value, RefundRefused)


def test_an_order_not_paid_by_card_cannot_be_refunded_through_stripe(client, product, fake_stripe):
    from oscar.core.loading import get_model

    from tests.shop.checkout.test_checkout import add_to_basket, checkout

    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")
    order = get_model("order", "Order").objects.get()

    with pytest.raises(RefundRefused):
        get_provider("stripe").execute_refund(refund=make_refund(order, "5000", "k-bank"))
    assert not fake_stripe.requests_to("POST", "/v1/refunds")
