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


@shared_task
def pnbp_flag_overdue():
    """Daily: flag sales not deposited by the end of the next working day, and queue the
    emails to each Lapas's treasurers (once per alert)."""
    from .pnbp.services import pnbp_alerts_raise

    return pnbp_alerts_raise()


@shared_task(bind=True, max_retries=5, default_retry_delay=300)
def pnbp_notify_treasurers(self, lapas_id: int):
    """One email to a Lapas's treasurers about its new overdue alerts."""
    try:
        return notifications.pnbp_overdue_notify(lapas_id=lapas_id)
    except OSError as exc:  # the mail server is down: the alerts stay unsent, try again
        raise self.retry(exc=exc) from exc


@shared_task
def pnbp_reconcile_daily():
    """Daily: reconcile the whole ledger with sales, refunds and deposits; tell central
    staff when anything differs. Returns the number of differences."""
    from .pnbp.selectors import pnbp_reconcile_differences

    differences = pnbp_reconcile_differences()
    notifications.pnbp_reconcile_notify(differences=differences)
    return len(differences)
