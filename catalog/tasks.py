"""Background jobs of the catalogue. Each takes ids, calls one service and is safe to
run twice. The daily schedule is declared in shop/celery.py."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import selectors, services


@shared_task(name="catalog.halal_expiry_sweep")
def halal_expiry_sweep() -> int:
    """Daily: queue the withdrawal of every public food product whose halal certificate
    has expired. Returns how many were queued."""
    ids = selectors.expired_halal_product_ids(today=timezone.localdate())
    for product_id in ids:
        transaction.on_commit(lambda pk=product_id: product_halal_withdraw.delay(product_id=pk))
    return len(ids)


@shared_task(name="catalog.product_halal_withdraw")
def product_halal_withdraw(*, product_id: int) -> bool:
    return services.product_withdraw_expired_halal(product_id=product_id)


@shared_task(name="catalog.product_withdrawal_notify")
def product_withdrawal_notify(*, product_id: int, expired_on: str) -> int:
    return services.product_withdrawal_notify(product_id=product_id, expired_on=expired_on)


@shared_task(name="catalog.product_views_fold")
def product_views_fold() -> dict:
    """Every minute: add the product views counted in Redis to Oscar's analytics."""
    from . import product_views

    return product_views.product_views_fold()
