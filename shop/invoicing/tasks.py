"""Celery tasks of invoicing: each takes ids, calls one service and is safe to retry."""

from smtplib import SMTPRecipientsRefused

from celery import shared_task


@shared_task(name="invoicing.invoice_issue")
def invoice_issue_task(order_id: int) -> int | None:
    """Issue the invoice of an order just placed on terms (queued on the placement's
    commit). Idempotent: a retry returns the invoice already issued."""
    from .services import InvoiceError, invoice_issue

    try:
        return invoice_issue(order_id=order_id).pk
    except InvoiceError:
        # Cancelled meanwhile, or not on terms: nothing to issue, nothing to retry.
        return None


@shared_task(name="invoicing.invoices_daily")
def invoices_daily() -> int:
    """The daily sweep: issue any invoice whose issue was lost, then queue the reminders
    due today (each at most once per invoice and kind)."""
    from .services import invoices_issue_missing, invoices_remind

    invoices_issue_missing()
    return invoices_remind()


@shared_task(
    name="invoicing.invoice_reminder_send",
    # The mail server is down: try again later (the reminder row makes it one e-mail).
    autoretry_for=(OSError,),
    dont_autoretry_for=(SMTPRecipientsRefused,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
)
def invoice_reminder_send(reminder_id: int) -> bool:
    from .services import invoice_reminder_deliver

    return invoice_reminder_deliver(reminder_id=reminder_id)
