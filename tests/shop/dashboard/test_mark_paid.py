import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.order import statuses
from shop.payments.services import PaymentStateError, order_mark_paid
from tests.shop.checkout.test_checkout import add_to_basket, checkout

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, product, shipping_rates):
    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")
    client.logout()
    return Order.objects.get()


@pytest.fixture
def treasurer(lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(
        user=UserFactory(username="bendahara", first_name="Rina"),
        role_code="treasurer",
        lapas=lapas,
    )


def mark_paid_in_dashboard(client, order):
    return client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": statuses.PAID},
    )


def test_staff_mark_a_bank_transfer_paid_recording_who_and_when(client, order, treasurer):
    client.force_login(treasurer)

    response = mark_paid_in_dashboard(client, order)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == statuses.PAID
    event = order.payment_events.get()
    assert event.event_type.name == "Paid"
    assert event.amount == order.total_incl_tax
    assert event.date_created is not None
    source = order.sources.get()
    assert source.amount_debited == order.total_incl_tax
    note = order.notes.get(user=treasurer)
    assert "Rina" in note.message
    assert order.status_changes.filter(new_status=statuses.PAID).count() == 1


def test_marking_paid_twice_records_the_payment_once(client, order, treasurer):
    client.force_login(treasurer)

    mark_paid_in_dashboard(client, order)
    mark_paid_in_dashboard(client, order)
    again = order_mark_paid(order_id=order.pk, user=treasurer)

    assert again is False
    assert order.payment_events.count() == 1
    assert order.sources.get().amount_debited == order.total_incl_tax


def test_workshop_staff_may_not_record_a_payment(client, order, workshop_staff):
    client.force_login(workshop_staff)

    mark_paid_in_dashboard(client, order)

    order.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT
    assert not order.payment_events.exists()


def test_a_treasurer_of_another_lapas_may_not_record_the_payment(order, other_lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    stranger = user_assign_role(
        user=UserFactory(username="bendahara.lain"), role_code="treasurer", lapas=other_lapas
    )

    with pytest.raises(PaymentStateError):
        order_mark_paid(order_id=order.pk, user=stranger)
    assert not order.payment_events.exists()


def test_a_cancelled_order_cannot_be_marked_paid(order, central_admin):
    order.set_status(statuses.CANCELLED)

    with pytest.raises(PaymentStateError):
        order_mark_paid(order_id=order.pk, user=central_admin)
    assert not order.payment_events.exists()
