from celery import shared_task

from . import notifications


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def recall_notify_buyers(self, batch_id: int):
    """Email every buyer whose order took units of a recalled batch (once each)."""
    try:
        return notifications.recall_notify_buyers(batch_id=batch_id)
    except OSError as exc:  # the mail server is down: try again later
        raise self.retry(exc=exc) from exc


@shared_task
def stock_expire_batches():
    """Daily: stock records drop the units of batches that expired yesterday."""
    from .services.stock import stockrecord_sync_expired

    return stockrecord_sync_expired()
