"""Celery tasks of the marketing app: each calls one service and is safe to run twice."""

from celery import shared_task

from . import feeds


@shared_task(name="marketing.feeds_refresh")
def feeds_refresh() -> int:
    """Rebuild every product feed (declared in shop/celery.py beat_schedule)."""
    return len(feeds.feeds_build_all())
