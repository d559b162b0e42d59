from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from shop.apps.order.selectors import orders_unpaid_since
from shop.apps.order.services import order_expire_unpaid


@shared_task(name="payments.orders_expire_unpaid")
def orders_expire_unpaid() -> int:
    """Cancel online orders left unpaid past the payment window; their stock goes back.

    Idempotent: each order is re-checked under its lock, so an overlapping or retried
    run cancels nothing twice and never cancels an order paid meanwhile.
    """
    placed_before = timezone.now() - timedelta(hours=settings.KARYA_UNPAID_ORDER_HOURS)
    return sum(
        order_expire_unpaid(order_id=order_id, placed_before=placed_before)
        for order_id in orders_unpaid_since(placed_before=placed_before)
    )
