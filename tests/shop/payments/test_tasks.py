from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from production_link.models import Allocation
from shop.apps.order import statuses
from shop.payments.services import order_mark_paid
from shop.payments.tasks import orders_expire_unpaid
from tests.shop.checkout.test_checkout import add_to_basket, checkout

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid_order(client, product):
    add_to_basket(client, product, quantity=2)
    checkout(client, guest_email="tamu@example.test")
    return Order.objects.get()


def placed_hours_ago(order, hours):
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(hours=hours))


def held(order):
    return sum(
        a.quantity - a.returned_quantity for a in Allocation.objects.filter(line__order=order)
    )


def test_an_order_unpaid_after_48_hours_is_cancelled_and_its_units_released(unpaid_order):
    placed_hours_ago(unpaid_order, 49)

    assert orders_expire_unpaid() == 1

    unpaid_order.refresh_from_db()
    assert unpaid_order.status == statuses.CANCELLED
    assert held(unpaid_order) == 0
    assert "tidak dibayar tepat waktu" in unpaid_order.notes.last().message


def test_a_second_run_cancels_nothing_more(unpaid_order):
    placed_hours_ago(unpaid_order, 49)
    orders_expire_unpaid()

    assert orders_expire_unpaid() == 0
    assert unpaid_order.status_changes.filter(new_status=statuses.CANCELLED).count() == 1


def test_an_order_within_its_payment_window_is_left_alone(unpaid_order):
    placed_hours_ago(unpaid_order, 47)

    assert orders_expire_unpaid() == 0

    unpaid_order.refresh_from_db()
    assert unpaid_order.status == statuses.AWAITING_PAYMENT
    assert held(unpaid_order) == 2


def test_the_payment_window_is_configurable(unpaid_order, settings):
    settings.KARYA_UNPAID_ORDER_HOURS = 2
    placed_hours_ago(unpaid_order, 3)

    assert orders_expire_unpaid() == 1


def test_a_paid_order_is_never_cancelled(unpaid_order, central_admin):
    order_mark_paid(order_id=unpaid_order.pk, user=central_admin)
    placed_hours_ago(unpaid_order, 100)

    assert orders_expire_unpaid() == 0

    unpaid_order.refresh_from_db()
    assert unpaid_order.status == statuses.PAID


def test_the_task_is_scheduled():
    from shop.celery import app

    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "payments.orders_expire_unpaid" in entries
