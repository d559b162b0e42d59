"""E-mails about applications and quotes, in the buyer's language, each sent once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from shop.apps.core.public_url import public_base_url

from .models import Organisation, Quote, SentEmail

logger = logging.getLogger(__name__)

# Who hears of each step of a quote: the buyer, or the Lapas's staff.
QUOTE_EVENTS = {
    "requested": "lapas",
    "sent": "buyer",
    "declined": "buyer",
    "rejected": "lapas",
    "withdrawn": "lapas",
    "accepted": "lapas+buyer",
}


def _once(key: str) -> bool:
    """Record that ``key`` is being sent; False when it was already (a retried task)."""
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def _buyer_emails(organisation, *extra_users) -> list[str]:
    emails = {m.user.email for m in organisation.members.select_related("user") if m.user.email}
    emails |= {u.email for u in extra_users if u is not None and u.email}
    if organisation.email:
        emails.add(organisation.email)
    return sorted(emails)


def _lapas_emails(lapas) -> list[str]:
    from shop.apps.core.roles import KALAPAS, WORKSHOP_STAFF

    emails = set(
        lapas.users.filter(
            groups__name__in=(WORKSHOP_STAFF.group_name, KALAPAS.group_name), is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if lapas.email:
        emails.add(lapas.email)
    return sorted(emails)


def _send(template: str, context: dict, recipients: list[str], language: str) -> int:
    if not recipients:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"institutions/emails/{template}_subject.txt", context)
        body = render_to_string(f"institutions/emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
    return 1


@transaction.atomic
def organisation_decision_notify(*, organisation_id: int) -> int:
    organisation = Organisation.objects.get(pk=organisation_id)
    if organisation.status == Organisation.Status.REQUESTED:
        return 0
    if not _once(f"organisation:{organisation.pk}:{organisation.status}"):
        return 0
    context = {
        "organisation": organisation,
        "account_url": public_base_url() + reverse("institutions:account"),
    }
    return _send(
        "organisation_decision", context, _buyer_emails(organisation), organisation.language
    )


@transaction.atomic
def quote_notify(*, quote_id: int, event: str) -> int:
    quote = Quote.objects.select_related("organisation", "lapas", "requested_by").get(pk=quote_id)
    audience = QUOTE_EVENTS.get(event)
    if audience is None or not _once(f"quote:{quote.pk}:{event}"):
        return 0
    from .services import quote_totals

    context = {
        "quote": quote,
        "event": event,
        "lines": list(quote.lines.select_related("product")),
        "totals": quote_totals(quote),
        "orders": [row.order for row in quote.orders.select_related("order")],
        "buyer_url": public_base_url()
        + reverse("institutions:quote-detail", kwargs={"pk": quote.pk}),
        "lapas_url": public_base_url()
        + reverse("institutions_dashboard:quote-detail", kwargs={"pk": quote.pk}),
    }
    sent = 0
    if "buyer" in audience:
        recipients = _buyer_emails(quote.organisation, quote.requested_by)
        sent += _send("quote_buyer", context, recipients, quote.language)
    if "lapas" in audience:
        # Staff read Indonesian, the shop's language.
        sent += _send("quote_lapas", context, _lapas_emails(quote.lapas), settings.LANGUAGE_CODE)
    return sent
