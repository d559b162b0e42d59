"""Celery tasks of the marketing site. Each takes ids and calls one service, which
re-reads the row and skips what no longer applies (an inquiry already sent to staff, a
confirmation for an address no longer pending), so a retry does no harm."""

from celery import shared_task

from . import services


@shared_task
def inquiry_notify_staff(inquiry_id: int) -> bool:
    return services.inquiry_notify_staff_send(inquiry_id=inquiry_id)


@shared_task
def subscriber_send_confirmation(subscriber_id: int) -> bool:
    return services.subscriber_send_confirmation_email(subscriber_id=subscriber_id)


@shared_task
def subscriber_send_welcome(subscriber_id: int) -> bool:
    return services.subscriber_send_welcome_email(subscriber_id=subscriber_id)


@shared_task
def impact_figures_refresh() -> None:
    # Declared in shop/celery.py beat_schedule; returns nothing worth keeping.
    services.impact_figures_refresh()
