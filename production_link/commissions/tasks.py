from celery import shared_task

from . import notifications


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def booking_notify(self, booking_id: int):
    """E-mail a new booking to its buyer and its workshop's staff."""
    try:
        return notifications.booking_notify(booking_id=booking_id)
    except OSError as exc:  # the mail server is down: try again later
        raise self.retry(exc=exc) from exc
