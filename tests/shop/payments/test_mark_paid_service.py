"""Nobody records a payment by the side door: only the payment service makes an order
paid, a payment event written any other way neither pays an order nor blocks its real
payment, and staff of another Lapas can neither see an order nor add an event to it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import LedgerEntry
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from shop.payments.models import OrderPayment
from shop.payments.selectors import order_is_paid
from shop.payments.services import PaymentStateError, order_mark_paid, orders_mark_paid
from tests.factories import ProductFactory, UserFactory, WorkshopFactory
from tests.shop.payments.helpers import split_checkout

PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_product(other_lapas):
    return ProductFactory(
        title="Batik Tulis Cipinang",
        workshop=WorkshopFactory(lapas=other_lapas, name="Batik"),
        stockrecord__price=Decimal("275000"),
        stockrecord__num_in_stock=5,
    )


@pytest.fixture
def orders(product, other_product):
    _checkout, orders = split_checkout(
        items=[(product, 1), (other_product, 1)], method="bank_transfer"
    )
    return orders


@pytest.fixture
def treasurer(lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.tng"), role_code="treasurer", lapas=lapas
    )


@pytest.fixture
def other_treasurer(other_lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.cpn"), role_code="treasurer", lapas=other_lapas
    )


@pytest.fixture
def kalapas(lapas):
    return user_assign_role(
        user=UserFactory(username="kalapas.tng"), role_code="kalapas", lapas=lapas
    )


def detail_url(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def test_a_stray_paid_event_of_rp1_neither_pays_the_order_nor_blocks_its_real_payment(
    orders, treasurer
):
    """The issue's scenario: a "Paid" event of Rp1 slipped in beside the service (as
    Oscar's line actions once allowed); the real payment is still recorded in full, with
    its PNBP entry."""
    own = orders[0]
    paid_type, _created = PaymentEventType.objects.get_or_create(name="Paid")
    PaymentEvent.objects.create(order=own, event_type=paid_type, amount=Decimal("1"))

    assert not order_is_paid(order=own)
    assert order_mark_paid(order_id=own.pk, user=treasurer, reference="TRF-001") is True

    own.refresh_from_db()
    assert own.status == statuses.PAID
    assert own.recorded_payment.amount == own.total_incl_tax
    assert own.sources.get().amount_debited == own.total_incl_tax
    (entry,) = LedgerEntry.objects.filter(order=own, kind=LedgerEntry.Kind.SALE)
    assert entry.gross == own.total_incl_tax
    assert order_mark_paid(order_id=own.pk, user=treasurer) is False


def test_oscars_payment_event_actions_are_refused_on_the_dashboard(client, orders, treasurer):
    own = orders[0]
    client.force_login(treasurer)
    PaymentEventType.objects.get_or_create(name="Paid")
    code = PaymentEventType.objects.get(name="Paid").code
    line = own.lines.get()

    by_line = client.post(
        detail_url(own),
        {
            "line_action": "create_payment_event",
            "selected_line": [line.pk],
            f"selected_line_qty_{line.pk}": 1,
            "payment_event_type": code,
            "amount": "1",
        },
        follow=True,
    )
    whole = client.post(
        detail_url(own),
        {"order_action": "create_order_payment_event", "payment_event_type": code, "amount": "1"},
        follow=True,
    )

    assert not PaymentEvent.objects.exists()
    assert not OrderPayment.objects.exists()
    for response in (by_line, whole):
        assert response.status_code == 200
        # In the staff's language (Indonesian): "by setting the order's status to Paid".
        assert "mengubah status pesanan menjadi Dibayar" in " ".join(
            str(m) for m in response.context["messages"]
        )


def test_the_event_handler_refuses_payment_events_from_any_caller(orders, treasurer):
    from shop.apps.order.processing import EventHandler

    paid_type, _created = PaymentEventType.objects.get_or_create(name="Paid")
    with pytest.raises(PaymentStateError):
        EventHandler(user=treasurer).handle_payment_event(orders[0], paid_type, Decimal("1"))
    assert not PaymentEvent.objects.exists()


def test_the_kalapas_marks_their_own_order_paid_from_the_status_form(client, orders, kalapas):
    client.force_login(kalapas)

    client.post(
        detail_url(orders[0]),
        {"order_action": "change_order_status", "new_status": statuses.PAID},
    )

    assert order_is_paid(order=orders[0])
    assert orders[0].recorded_payment.recorded_by == kalapas


def test_staff_of_another_lapas_neither_see_the_order_nor_add_a_payment(
    client, orders, other_treasurer
):
    own, theirs = orders
    client.force_login(other_treasurer)

    listing = client.get(reverse("dashboard:order-list"))
    detail = client.get(detail_url(own))
    status = client.post(
        detail_url(own), {"order_action": "change_order_status", "new_status": statuses.PAID}
    )
    event = client.post(
        detail_url(own),
        {"order_action": "create_order_payment_event", "payment_event_type": "paid", "amount": "1"},
    )
    line = client.get(
        reverse(
            "dashboard:order-line-detail",
            kwargs={"number": own.number, "line_id": own.lines.get().pk},
        )
    )

    body = listing.content.decode()
    assert listing.status_code == 200
    assert f"/dashboard/orders/{theirs.number}/" in body
    assert f"/dashboard/orders/{own.number}/" not in body
    assert (detail.status_code, status.status_code, event.status_code, line.status_code) == (
        404,
        404,
        404,
        404,
    )
    assert not PaymentEvent.objects.filter(order=own).exists()
    assert not order_is_paid(order=own)
    with pytest.raises(PaymentStateError):
        order_mark_paid(order_id=own.pk, user=other_treasurer)


def test_the_order_list_search_by_number_stays_within_the_lapas(client, orders, other_treasurer):
    client.force_login(other_treasurer)

    response = client.get(reverse("dashboard:order-list"), {"order_number": orders[0].number})

    assert response.status_code == 200  # not a redirect to the other Lapas's order


def test_bulk_mark_paid_records_each_order_once_and_keeps_a_paid_status(orders):
    first, second = orders
    first.set_status(statuses.PAID)  # placed as paid, e.g. at a counter: status is kept

    recorded = orders_mark_paid(
        order_ids=[first.pk, second.pk], provider="cash", references={first.pk: "R-1"}
    )
    again = orders_mark_paid(order_ids=[first.pk, second.pk], provider="cash")

    assert sorted(recorded) == sorted([first.pk, second.pk]) and again == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == statuses.PAID and second.status == statuses.PAID
    assert first.recorded_payment.reference == "R-1"
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SALE).count() == 2


def test_bulk_mark_paid_refuses_a_cancelled_order_and_records_nothing(orders):
    orders[1].set_status(statuses.CANCELLED)

    with pytest.raises(PaymentStateError):
        orders_mark_paid(order_ids=[o.pk for o in orders], provider="cash")
    assert not OrderPayment.objects.exists()


def test_orders_paid_before_the_payment_record_existed_are_backfilled_and_stray_events_are_not(
    orders, treasurer
):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "shop.payments.migrations.0003_orderpayment_backfill"
    ).backfill
    paid, stray = orders
    order_mark_paid(order_id=paid.pk, user=treasurer, reference="TRF-9")
    paid_type, _created = PaymentEventType.objects.get_or_create(name="Paid")
    PaymentEvent.objects.create(order=stray, event_type=paid_type, amount=Decimal("1"))
    paid_at = PaymentEvent.objects.get(order=paid).date_created
    OrderPayment.objects.all().delete()  # as a database migrated from before it had them

    backfill(apps, None)

    record = OrderPayment.objects.get()
    assert record.order == paid
    assert record.provider == "bank_transfer"
    assert record.amount == paid.total_incl_tax
    assert record.recorded_at == paid_at
    assert not order_is_paid(order=stray)


def test_the_order_page_offers_no_payment_event_action(client, orders, treasurer):
    client.force_login(treasurer)

    page = client.get(detail_url(orders[0])).content.decode()

    assert 'value="create_shipping_event"' in page
    assert "create_payment_event" not in page
