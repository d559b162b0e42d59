"""The order's status history names who made each change, or the system."""

from datetime import timedelta

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.order import statuses
from shop.apps.order.services import order_cancel, order_expire_unpaid
from shop.payments.services import order_mark_paid
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
        user=UserFactory(username="bendahara", first_name="Rina", last_name="Wati"),
        role_code="treasurer",
        lapas=lapas,
    )


def _change(order, new_status):
    return order.status_changes.get(new_status=new_status)


def test_a_status_set_in_the_dashboard_names_the_staff_member(client, order, treasurer):
    client.force_login(treasurer)
    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})

    client.post(detail, {"order_action": "change_order_status", "new_status": statuses.PAID})
    client.post(
        detail, {"order_action": "change_order_status", "new_status": statuses.BEING_PREPARED}
    )

    assert _change(order, statuses.PAID).changed_by == treasurer
    assert _change(order, statuses.BEING_PREPARED).changed_by == treasurer
    history = client.get(detail).content.decode()
    table = history.split('id="order-status-history"')[1].split("</table>")[0]
    assert table.count("Rina Wati") == 2
    # Status names in the reader's language, not Oscar's stored English text.
    assert "Sedang disiapkan" in table and "Being prepared" not in table


def test_a_payment_recorded_by_someone_names_them_without_the_dashboard(order, treasurer):
    order_mark_paid(order_id=order.pk, user=treasurer)

    assert _change(order, statuses.PAID).changed_by == treasurer


def test_changes_nobody_made_are_the_systems(client, order, central_admin):
    order_expire_unpaid(order_id=order.pk, placed_before=order.date_placed + timedelta(seconds=1))

    assert _change(order, statuses.CANCELLED).changed_by is None
    client.force_login(central_admin)
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    table = page.content.decode().split('id="order-status-history"')[1].split("</table>")[0]
    assert "sistem" in table  # "the system", in Indonesian


def test_a_cancellation_by_staff_names_them(order, treasurer):
    order_cancel(order_id=order.pk, user=treasurer)

    assert _change(order, statuses.CANCELLED).changed_by == treasurer


def test_the_acting_user_does_not_outlive_the_change(order, treasurer):
    from shop.apps.order.status_actor import status_change_actor_id, status_changes_by

    with status_changes_by(treasurer):
        inside = status_change_actor_id(order=order, new_status=statuses.CANCELLED)

    assert inside == treasurer.pk
    assert status_change_actor_id(order=order, new_status=statuses.CANCELLED) is None
