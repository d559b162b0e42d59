"""The fake Stripe speaks Connect as the real API does, through the real library: transfers
to connected accounts only, reversals up to what remains and what the account's balance
covers, objects seen only under the account (Stripe-Account header) that owns them."""

import pytest

from shop.payments import stripe_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def charge(fake_stripe):
    intent = stripe_client.payment_intent_create(
        amount_minor=50000000, idempotency_key="k-pi", metadata={}, transfer_group="G1"
    )
    fake_stripe.set_intent_status(intent.id, "succeeded")
    return fake_stripe.charge_of(intent.id)


def transfer(amount, charge, *, destination="acct_karyaTangerang1", key="k-tr"):
    return stripe_client.transfer_create(
        amount_minor=amount,
        destination=destination,
        source_transaction=charge["id"],
        transfer_group="G1",
        idempotency_key=key,
        metadata={},
    )


def test_a_transfer_goes_only_to_a_connected_account_and_within_its_charge(fake_stripe, charge):
    with pytest.raises(stripe_client.InvalidRequestError, match="No such destination"):
        transfer(100, charge, destination="acct_unknown123", key="k1")
    made = transfer(30000000, charge, key="k2")
    with pytest.raises(stripe_client.InvalidRequestError, match="must not exceed"):
        transfer(30000000, charge, key="k3")

    assert stripe_client.transfer_retrieve(made.id).amount == 30000000
    assert fake_stripe.account_balance("acct_karyaTangerang1") == 30000000


def test_a_reversal_takes_back_at_most_what_remains_and_what_the_balance_covers(
    fake_stripe, charge
):
    made = transfer(30000000, charge)

    first = stripe_client.transfer_reversal_create(
        transfer_id=made.id, amount_minor=10000000, idempotency_key="r1", metadata={}
    )
    with pytest.raises(stripe_client.InvalidRequestError, match="greater than the amount left"):
        stripe_client.transfer_reversal_create(
            transfer_id=made.id, amount_minor=25000000, idempotency_key="r2", metadata={}
        )
    fake_stripe.set_account_balance("acct_karyaTangerang1", 0)  # paid out to the bank
    with pytest.raises(stripe_client.InvalidRequestError, match="Insufficient funds"):
        stripe_client.transfer_reversal_create(
            transfer_id=made.id, amount_minor=5000000, idempotency_key="r3", metadata={}
        )

    after = stripe_client.transfer_retrieve(made.id)
    assert (first.object, first.transfer, after.amount_reversed, after.reversed) == (
        "transfer_reversal",
        made.id,
        10000000,
        False,
    )


def test_objects_are_seen_only_under_the_account_that_owns_them(fake_stripe, charge):
    client = stripe_client.stripe_client()

    own = client.v1.charges.retrieve(charge["id"])
    with pytest.raises(stripe_client.InvalidRequestError, match="No such charge"):
        client.v1.charges.retrieve(charge["id"], options={"stripe_account": "acct_karyaTangerang1"})
    with pytest.raises(stripe_client.StripeError):
        client.v1.charges.retrieve(charge["id"], options={"stripe_account": "acct_nobody0001"})

    assert own.id == charge["id"]
    (seen,) = fake_stripe.requests_to("GET", f"/v1/charges/{charge['id']}")[1:2]
    assert seen["stripe_account"] == "acct_karyaTangerang1"
