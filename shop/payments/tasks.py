from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from shop.apps.order.selectors import orders_unpaid_since
from shop.apps.order.services import order_expire_unpaid

from . import stripe_client


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


@shared_task(
    name="payments.stripe_order_transfer",
    # Stripe unreachable: try again later (the idempotency key makes it one transfer).
    autoretry_for=(stripe_client.StripeError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
)
def stripe_order_transfer(order_id: int) -> str:
    """Carry a card-paid order's money on to its Lapas's Stripe account (once)."""
    from .stripe_services import stripe_order_transfer_send

    return stripe_order_transfer_send(order_id=order_id)


@shared_task(
    name="payments.stripe_refund_transfer_reversal",
    autoretry_for=(stripe_client.StripeError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
)
def stripe_refund_transfer_reversal(refund_id: int) -> str:
    """Take a card refund's amount back from the Lapas's Stripe account (once)."""
    from .stripe_services import stripe_refund_reversal_send

    return stripe_refund_reversal_send(refund_id=refund_id)
