"""Background job of demand insight. The schedule is declared in shop/celery.py."""

from celery import shared_task

from . import rollup


@shared_task(name="insight.sales_days_refresh")
def sales_days_refresh() -> dict:
    """Every 10 minutes: roll up the days that ended and the days orders or status changes
    touched since the last run (idempotent; the pages stay exact in between)."""
    result = rollup.sales_days_refresh()
    return {**result, "filled_until": result["filled_until"].isoformat()}
