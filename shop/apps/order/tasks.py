from smtplib import SMTPRecipientsRefused

from celery import shared_task

from shop.apps.order import notifications


@shared_task(
    bind=True,
    # SMTP errors and lost connections are OSErrors: the mail server may be back later.
    # Backoff 1, 2, 4 … minutes (with jitter), at most an hour apart, 8 tries more.
    autoretry_for=(OSError,),
    # A refused recipient address will not be accepted on a later try either.
    dont_autoretry_for=(SMTPRecipientsRefused,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def order_notification_send(self, order_id: int, event: str, refund_id: int | None = None):
    """E-mail the buyer about their order (once; see shop.apps.order.notifications)."""
    return notifications.order_notification_deliver(
        order_id=order_id, event=event, refund_id=refund_id
    )


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    dont_autoretry_for=(SMTPRecipientsRefused,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def checkout_notification_send(self, checkout_id: int):
    """E-mail the buyer one confirmation of their checkout (once; see notifications)."""
    return notifications.checkout_notification_deliver(checkout_id=checkout_id)
