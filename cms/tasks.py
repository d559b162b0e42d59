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


@shared_task
def newsletter_send_test(issue_id: int, email: str, language: str) -> bool:
    from . import newsletter

    return newsletter.newsletter_issue_send_test(issue_id=issue_id, email=email, language=language)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def newsletter_send_batch(issue_id: int, delivery_ids: list[int]) -> int:
    # Retried on a broken mail connection: rows already claimed are not sent again.
    from . import newsletter

    return newsletter.newsletter_batch_send(issue_id=issue_id, delivery_ids=delivery_ids)
