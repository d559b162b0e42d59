"""Background jobs of the catalogue. Each takes ids, calls one service and is safe to
run twice. The daily schedule is declared in shop/celery.py."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import licences, services


@shared_task(name="catalog.licence_expiry_sweep")
def licence_expiry_sweep() -> dict:
    """Daily: warn the Lapas of licences expiring within 60 and 30 days, and queue the
    withdrawal of every public product whose licence (food licence, halal or SNI
    certificate) has expired. Returns how many of each."""
    today = timezone.localdate()
    warned = services.licence_warnings_raise(today=today)
    ids = [
        product.pk
        for product in licences.licence_candidates()
        if licences.expired_licences(product, today=today)
    ]
    for product_id in ids:
        transaction.on_commit(lambda pk=product_id: product_licence_withdraw.delay(product_id=pk))
    return {"warned": len(warned), "withdrawn": len(ids)}


@shared_task(name="catalog.product_licence_withdraw")
def product_licence_withdraw(*, product_id: int) -> bool:
    return services.product_withdraw_expired(product_id=product_id)


@shared_task(name="catalog.product_withdrawal_notify")
def product_withdrawal_notify(*, product_id: int, expired_on: str) -> int:
    return services.product_withdrawal_notify(product_id=product_id, expired_on=expired_on)


@shared_task(name="catalog.licence_warning_notify")
def licence_warning_notify(*, warning_id: int) -> int:
    return services.licence_warning_notify(warning_id=warning_id)


@shared_task(name="catalog.product_views_fold")
def product_views_fold() -> dict:
    """Every minute: add the product views counted in Redis to Oscar's analytics, and
    the searches counted there to demand insight's searches per week."""
    from production_link.insight.counters import searches_fold

    from . import product_views

    return {**product_views.product_views_fold(), "searches": searches_fold()}
