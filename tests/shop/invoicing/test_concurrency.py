"""Issuing and paying under concurrency (PostgreSQL row locks): invoice numbers stay
gap-free and unique, a form posted twice at once records one payment, and two transfers
that together overpay cannot both be recorded."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from production_link.models import LedgerEntry
from shop.invoicing.models import Invoice, InvoicePayment
from shop.invoicing.services import invoice_issue, invoice_payment_record
from tests.shop.invoicing.conftest import place_on_terms

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test)"
    ),
]


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


@pytest.fixture
def unissued(monkeypatch, org_buyer, organisation, desk):
    """Orders on terms whose issue after commit is held back, to be issued by the race."""
    from shop.invoicing import tasks

    monkeypatch.setattr(tasks.invoice_issue_task, "delay", lambda **kwargs: None)
    return [
        place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
        for _ in range(6)
    ]


def test_racing_issues_number_without_gaps_and_issue_each_order_once(unissued):
    actions = [lambda o=o: invoice_issue(order_id=o.pk).sequence for o in unissued]
    # Two retries of the first order race as well: they get its one invoice.
    actions += [lambda: invoice_issue(order_id=unissued[0].pk).sequence] * 2
    results = race(*actions)
    assert not [r for r in results if isinstance(r, str)], results
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    assert Invoice.objects.values("order").distinct().count() == 6


def test_a_payment_form_posted_twice_at_once_is_recorded_once(unissued, treasurer):
    invoice = invoice_issue(order_id=unissued[0].pk)

    def pay(token, amount):
        return lambda: (
            invoice_payment_record(
                invoice_id=invoice.pk,
                user=treasurer,
                paid_on=timezone.localdate(),
                amount=amount,
                reference="BRI-9",
                token=token,
            ).created
        )

    results = race(pay("same", invoice.total), pay("same", invoice.total))
    assert sorted(results) == [False, True], results
    assert InvoicePayment.objects.count() == 1
    assert LedgerEntry.objects.filter(order_id=unissued[0].pk).count() == 1


def test_two_transfers_that_together_overpay_cannot_both_be_recorded(unissued, treasurer):
    invoice = invoice_issue(order_id=unissued[0].pk)
    amount = invoice.total - Decimal("1000")

    def pay(token):
        return lambda: (
            invoice_payment_record(
                invoice_id=invoice.pk,
                user=treasurer,
                paid_on=timezone.localdate(),
                amount=amount,
                reference=token,
                token=token,
            ).created
        )

    results = race(pay("a"), pay("b"))
    assert results.count(True) == 1, results
    assert InvoicePayment.objects.count() == 1
