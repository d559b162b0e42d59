from celery import shared_task

from . import notifications


@shared_task(name="institutions.organisation_decision_notify")
def organisation_decision_notify(organisation_id: int) -> int:
    """E-mail the applicant the approval or rejection (once)."""
    return notifications.organisation_decision_notify(organisation_id=organisation_id)


@shared_task(name="institutions.quote_notify")
def quote_notify(quote_id: int, event: str) -> int:
    """E-mail a quote's step to the buyer or the Lapas (each step once)."""
    return notifications.quote_notify(quote_id=quote_id, event=event)
