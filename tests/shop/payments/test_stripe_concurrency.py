"""The buyer's return and Stripe's webhook (delivered twice) race: the order is paid once."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from shop.apps.order import statuses
from tests.fakes.stripe_server import send_webhook
from tests.shop.payments.helpers import intent_id, place_card_order, return_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]

ROUNDS = 3


def race(*actions):
    start = threading.Barrier(len(actions))
    results, lock = [], threading.Lock()

    def run(action):
        try:
            start.wait()
            result = action()
        except Exception as error:  # noqa: BLE001 - reported and failed on below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def pay_racing(*, buyer, product, fake_stripe):
    shopper = Client()
    shopper.force_login(buyer)
    order, _response = place_card_order(shopper, product, guest_email=None)
    fake_stripe.set_intent_status(intent_id(order), "succeeded")
    event = fake_stripe.event("payment_intent.succeeded", intent_id=intent_id(order))

    def buyer_returns():
        # Compared by its end: the racing threads and this one may speak other languages.
        location = shopper.get(return_url(order))["Location"]
        return "thank-you" if location.endswith("/checkout/thank-you/") else location

    results = race(
        buyer_returns,
        lambda: send_webhook(Client(), event).json()["result"],
        lambda: send_webhook(Client(), event).json()["result"],  # Stripe's duplicate
    )
    return order, results


def test_return_and_webhooks_racing_record_one_payment(product, buyer, fake_stripe):
    for _round in range(ROUNDS):
        order, results = pay_racing(buyer=buyer, product=product, fake_stripe=fake_stripe)

        assert sorted(results) == ["duplicate", "handled", "thank-you"], results
        order.refresh_from_db()
        assert order.status == statuses.PAID
        assert order.payment_events.count() == 1
        assert order.status_changes.filter(new_status=statuses.PAID).count() == 1
        assert order.sources.get().amount_debited == order.total_incl_tax
