"""Money reaches each Lapas: a checkout of three Lapas is three orders, each paid to its
own Lapas (bank transfer to its account, card through a Stripe Connect transfer to its
connected account), each with its own PNBP entry; a refund of one reverses only its
transfer; only the order's own treasurer or Kalapas records its payment."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import LedgerEntry
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from shop.payments.models import OrderPayment, Refund
from shop.payments.providers import get_provider
from shop.payments.refund_services import RefundLineRequest, refund_create
from shop.payments.services import PaymentStateError, order_mark_paid
from shop.payments.stripe_client import payment_intent_retrieve
from shop.payments.stripe_services import stripe_payment_intent_apply
from tests.factories import LapasFactory, ProductFactory, UserFactory, WorkshopFactory
from tests.fakes.stripe_server import send_webhook
from tests.shop.payments.helpers import split_checkout

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

PRICES = (Decimal("150000"), Decimal("275000"), Decimal("90000"))


@pytest.fixture
def three_lapas(lapas):
    """Tangerang (the conftest's), Yogyakarta and Cipinang, each with a product and a
    connected Stripe account."""
    others = [
        LapasFactory(name="Lapas Kelas IIA Yogyakarta", short_code="YGY"),
        LapasFactory(name="Lapas Kelas I Cipinang", short_code="CPN"),
    ]
    result = []
    for index, (each, price) in enumerate(zip([lapas, *others], PRICES, strict=True)):
        each.stripe_account_id = f"acct_karya{index}test{index}"
        each.save()
        product = ProductFactory(
            title=f"Produk {each.short_code}",
            workshop=WorkshopFactory(lapas=each, name=f"Bengkel {each.short_code}"),
            stockrecord__price=price,
            stockrecord__num_in_stock=10,
        )
        result.append((each, product))
    return result


@pytest.fixture
def treasurers(three_lapas):
    return [
        user_assign_role(
            user=UserFactory(username=f"bendahara.{each.short_code.lower()}"),
            role_code="treasurer",
            lapas=each,
        )
        for each, _product in three_lapas
    ]


def sale_entries(order):
    return list(LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.SALE))


# --- bank transfer ---------------------------------------------------------------------


def test_each_lapas_treasurer_marks_only_their_own_order_paid(three_lapas, treasurers):
    checkout, orders = split_checkout(
        items=[(product, 1) for _lapas, product in three_lapas], method="bank_transfer"
    )
    assert [o.lapas for o in orders] == [each for each, _p in three_lapas]

    # A treasurer of another Lapas is refused, and nothing is recorded.
    with pytest.raises(PaymentStateError):
        order_mark_paid(order_id=orders[0].pk, user=treasurers[1])
    assert not OrderPayment.objects.exists()

    for order, treasurer in zip(orders, treasurers, strict=True):
        assert order_mark_paid(order_id=order.pk, user=treasurer, reference=f"TRF-{order.number}")

    for order, (each, _product), price in zip(orders, three_lapas, PRICES, strict=True):
        order.refresh_from_db()
        assert order.status == statuses.PAID
        payment = order.recorded_payment
        assert (payment.provider, payment.amount) == ("bank_transfer", price)
        (entry,) = sale_entries(order)
        assert (entry.lapas, entry.gross) == (each, price)
    # Three orders, three entries, each with its own Lapas: nothing booked per checkout.
    assert LedgerEntry.objects.filter(order__checkout=checkout).count() == 3


def test_transfer_instructions_give_each_lapas_its_account_amount_and_reference(three_lapas):
    from shop.apps.order.selectors import checkout_transfer_instructions

    checkout, orders = split_checkout(
        items=[(product, 2) for _lapas, product in three_lapas], method="bank_transfer"
    )

    parts = checkout_transfer_instructions(checkout=checkout)

    assert [(p["order"], p["lapas"], p["amount"], p["reference"]) for p in parts] == [
        (order, each, price * 2, order.number)
        for order, (each, _product), price in zip(orders, three_lapas, PRICES, strict=True)
    ]
    order_mark_paid(order_id=orders[0].pk, user=UserFactory(is_superuser=True, is_staff=True))
    # A paid order needs no more instructions.
    assert [p["order"] for p in checkout_transfer_instructions(checkout=checkout)] == orders[1:]


# --- card: Stripe Connect --------------------------------------------------------------


@pytest.fixture
def connected(fake_stripe, three_lapas):
    for each, _product in three_lapas:
        fake_stripe.connect_account(each.stripe_account_id)
    return fake_stripe


def card_checkout(three_lapas, quantities=(1, 1, 1)):
    return split_checkout(
        items=[(product, q) for (_l, product), q in zip(three_lapas, quantities, strict=True)],
        method="stripe",
    )


def test_one_payment_intent_per_checkout_with_the_checkout_as_transfer_group(
    connected, three_lapas
):
    checkout, orders = card_checkout(three_lapas)

    (create,) = connected.requests_to("POST", "/v1/payment_intents")
    intent = connected.intent(orders[0].sources.get().reference)
    assert {o.sources.get().reference for o in orders} == {intent["id"]}
    assert intent["amount"] == sum(p * 100 for p in PRICES)
    assert intent["transfer_group"] == checkout.number
    assert intent["metadata"]["checkout_number"] == checkout.number
    assert create["idempotency_key"] == f"karya-checkout-{checkout.number}-pi-{intent['amount']}"


def test_a_paid_card_checkout_transfers_each_order_to_its_own_lapas_once(
    client, connected, three_lapas, django_capture_on_commit_callbacks
):
    checkout, orders = card_checkout(three_lapas)
    intent_id = orders[0].sources.get().reference
    connected.set_intent_status(intent_id, "succeeded")
    charge = connected.charge_of(intent_id)
    session = client.session
    session["checkout_number"] = checkout.number
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("payments:stripe-return", args=[checkout.number]))
    # The webhook arrives too, and a replay of it: nothing more happens.
    event = connected.event("payment_intent.succeeded", intent_id=intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        send_webhook(client, event)
        send_webhook(client, event)
        send_webhook(client, connected.event("payment_intent.succeeded", intent_id=intent_id))

    assert response.status_code == 302
    transfers = connected.requests_to("POST", "/v1/transfers")
    assert len(transfers) == 3
    for order, (each, _product), price in zip(orders, three_lapas, PRICES, strict=True):
        order.refresh_from_db()
        assert order.status == statuses.PAID
        payment = order.recorded_payment
        assert payment.charge_id == charge["id"]
        transfer = connected.transfer(payment.transfer_id)
        assert transfer["destination"] == each.stripe_account_id == payment.transfer_destination
        assert transfer["amount"] == price * 100
        assert transfer["source_transaction"] == charge["id"]
        assert transfer["transfer_group"] == checkout.number
        assert connected.account_balance(each.stripe_account_id) == price * 100
        # Beside the order's payment source, where the dashboard lists its transactions.
        assert (
            order.sources.get()
            .transactions.filter(txn_type="Transfer", reference=payment.transfer_id)
            .exists()
        )
        (entry,) = sale_entries(order)
        assert (entry.lapas, entry.gross) == (each, price)
    assert {r["idempotency_key"] for r in transfers} == {
        f"karya-order-{o.number}-transfer" for o in orders
    }


def test_a_refund_of_one_order_reverses_only_its_transfer_and_its_pnbp(
    connected, three_lapas, treasurers, django_capture_on_commit_callbacks
):
    checkout, orders = card_checkout(three_lapas, quantities=(2, 1, 1))
    intent_id = orders[0].sources.get().reference
    connected.set_intent_status(intent_id, "succeeded")
    with django_capture_on_commit_callbacks(execute=True):
        stripe_payment_intent_apply(orders=orders, intent=payment_intent_retrieve(intent_id))
    first = Order.objects.get(pk=orders[0].pk)
    line = first.lines.get()

    # One of the two units of the first order goes back: a partial refund.
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_create(
            order_id=first.pk,
            user=treasurers[0],
            token="satu",
            lines=[RefundLineRequest(line_id=line.pk, quantity=1)],
            reason="Roti rusak",
        )

    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    (stripe_refund,) = connected.requests_to("POST", "/v1/refunds")
    assert stripe_refund["params"]["amount"] == str(PRICES[0] * 100)
    transfer = connected.transfer(first.recorded_payment.transfer_id)
    assert transfer["amount_reversed"] == PRICES[0] * 100 and not transfer["reversed"]
    assert refund.transfer_reversal_id == transfer["reversals"]["data"][0]["id"]
    (reversal,) = connected.requests_to("POST", "/v1/transfers/")
    assert reversal["path"] == f"/v1/transfers/{transfer['id']}/reversals"
    assert reversal["idempotency_key"] == f"karya-refund-{refund.pk}-reversal"
    for order in orders[1:]:
        untouched = connected.transfer(order.recorded_payment.transfer_id)
        assert untouched["amount_reversed"] == 0
    (entry,) = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL)
    assert (entry.order_id, entry.lapas, entry.gross) == (first.pk, first.lapas, -PRICES[0])
    assert connected.account_balance(first.lapas.stripe_account_id) == PRICES[0] * 100


def test_a_lapas_without_a_connected_account_is_not_offered_card_payment(fake_stripe, three_lapas):
    from oscar.test.factories import create_basket

    each, product = three_lapas[1]
    each.stripe_account_id = ""
    each.save()
    basket = create_basket(empty=True)
    for _lapas, item in three_lapas:
        basket.add_product(item, 1)
    stripe = get_provider("stripe")

    assert not stripe.is_allowed(basket=basket)
    reason = stripe.unavailable_reason(basket=basket)
    assert each.name in reason and "transfer bank" in reason  # the buyer reads Indonesian
    # Without its goods, the rest may be paid by card.
    basket.lines.filter(product=product).delete()
    basket.reset_offer_applications()
    assert stripe.is_allowed(basket=basket)
    assert stripe.unavailable_reason(basket=basket) == ""


# --- the buyer's side: one thank-you page and one e-mail per checkout -------------------


def test_the_thank_you_page_has_a_section_with_its_own_transfer_per_lapas_order(
    client, three_lapas
):
    checkout, orders = split_checkout(
        items=[(product, 1) for _lapas, product in three_lapas], method="bank_transfer"
    )
    session = client.session
    session["checkout_number"] = checkout.number
    session.save()

    response = client.get(reverse("checkout:thank-you"))

    assert response.status_code == 200
    body = response.content.decode()
    assert checkout.number in body
    assert [s["order"] for s in response.context["sections"]] == orders
    for order, (each, _product) in zip(orders, three_lapas, strict=True):
        assert f'id="order-{order.number}"' in body
        assert f'id="transfer-{order.number}"' in body
        assert each.bank_account_number in body


def test_one_confirmation_email_per_checkout_lists_its_orders(
    three_lapas, mailoutbox, django_capture_on_commit_callbacks
):
    from shop.apps.order.notifications import checkout_notify_placed

    checkout, orders = split_checkout(
        items=[(product, 1) for _lapas, product in three_lapas], method="bank_transfer"
    )

    with django_capture_on_commit_callbacks(execute=True):
        for order in orders:  # placement asks once per order: one e-mail goes out
            checkout_notify_placed(checkout_id=order.checkout_id)

    (mail,) = mailoutbox
    assert checkout.number in mail.subject
    for order, (each, _product) in zip(orders, three_lapas, strict=True):
        assert order.number in mail.body
        assert each.bank_account_number in mail.body


def test_the_confirmation_is_in_english_for_an_english_checkout(
    three_lapas, mailoutbox, django_capture_on_commit_callbacks
):
    from shop.apps.order.notifications import checkout_notify_placed

    checkout, _orders = split_checkout(
        items=[(product, 1) for _lapas, product in three_lapas], method="bank_transfer"
    )
    checkout.language = "en"
    checkout.save()

    with django_capture_on_commit_callbacks(execute=True):
        checkout_notify_placed(checkout_id=checkout.pk)

    (mail,) = mailoutbox
    assert "we received your checkout" in mail.subject
