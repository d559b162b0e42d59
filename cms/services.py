"""Writes of the marketing site: inquiries, newsletter subscriptions, impact figures.

E-mails go out from Celery tasks queued once the transaction has committed, so a
rolled-back signup never mails anyone.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import selectors, tokens
from .models import ContactPage, Inquiry, Subscriber

logger = logging.getLogger(__name__)

# A second signup of the same pending address within this time sends no second e-mail.
CONFIRMATION_RESEND_SECONDS = 10 * 60


class InvalidToken(Exception):
    """The link is forged, altered, expired, or its address is no longer on the list."""


# --- Inquiries


@transaction.atomic
def inquiry_create(
    *,
    page: ContactPage | None,
    language: str,
    organisation: str,
    name: str,
    email: str,
    phone: str = "",
    topic: str,
    quantity: str = "",
    message: str,
) -> Inquiry:
    inquiry = Inquiry(
        page=page,
        language=language,
        organisation=organisation.strip(),
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        topic=topic,
        quantity=quantity.strip(),
        message=message.strip(),
    )
    inquiry.full_clean()
    inquiry.save()
    from .tasks import inquiry_notify_staff

    transaction.on_commit(lambda: inquiry_notify_staff.delay(inquiry.pk))
    return inquiry


@transaction.atomic
def inquiry_notify_staff_send(*, inquiry_id: int) -> bool:
    """E-mail an inquiry to the contact page's staff addresses, once. True if sent now."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("page")
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None or inquiry.notified_at is not None:
        return False
    recipients = inquiry.page.recipients() if inquiry.page is not None else []
    recipients = recipients or [address for _name, address in settings.MANAGERS]
    if not recipients:
        logger.warning("Inquiry %s has no staff address to go to; it stays in the CMS.", inquiry.pk)
        return False
    # Staff read Indonesian; the inquiry itself is in the buyer's words.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "inquiry": inquiry,
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("cms_inquiry:edit", args=[inquiry.pk]),
        }
        subject = render_to_string("cms/emails/inquiry_staff_subject.txt", context).strip()
        body = render_to_string("cms/emails/inquiry_staff_body.txt", context)
    EmailMessage(
        subject=subject,
        body=body,
        to=recipients,
        reply_to=[inquiry.email],
    ).send()
    inquiry.notified_at = timezone.now()
    inquiry.save(update_fields=["notified_at"])
    return True


# --- Newsletter


def _normalise_email(email: str) -> str:
    local, _sep, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def subscriber_signup(*, email: str, language: str) -> Subscriber:
    """Start a double opt-in: the address is stored as pending and a confirmation link is
    mailed. Nothing here ever marks an address confirmed."""
    email = _normalise_email(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language}
    )
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    now = timezone.now()
    recently_sent = (
        subscriber.confirmation_sent_at is not None
        and (now - subscriber.confirmation_sent_at).total_seconds() < CONFIRMATION_RESEND_SECONDS
    )
    if subscriber.status == Subscriber.Status.PENDING and recently_sent:
        return subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.language = language
    subscriber.unsubscribed_at = None
    subscriber.confirmation_sent_at = now
    subscriber.save()
    from .tasks import subscriber_send_confirmation

    transaction.on_commit(lambda: subscriber_send_confirmation.delay(subscriber.pk))
    return subscriber


def _subscriber_from_token(*, token: str, purpose: str) -> Subscriber:
    data = tokens.subscriber_token_load(token=token, purpose=purpose)
    if data is None:
        raise InvalidToken(purpose)
    subscriber = (
        Subscriber.objects.select_for_update().filter(pk=data["id"], email=data["email"]).first()
    )
    if subscriber is None:
        raise InvalidToken(purpose)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """The only way to a confirmed subscriber: a valid, unexpired confirmation link.

    A link clicked after unsubscribing does not subscribe again; signing up does.
    """
    subscriber = _subscriber_from_token(token=token, purpose=tokens.CONFIRM)
    if subscriber.status != Subscriber.Status.PENDING:
        return subscriber
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    from .tasks import subscriber_send_welcome

    transaction.on_commit(lambda: subscriber_send_welcome.delay(subscriber.pk))
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber:
    subscriber = _subscriber_from_token(token=token, purpose=tokens.UNSUBSCRIBE)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def subscriber_email_send(*, subscriber: Subscriber, template: str, extra=None) -> None:
    """Every e-mail to a subscriber goes through here, so every one carries the
    unsubscribe link, in the text and in the List-Unsubscribe headers (RFC 8058)."""
    base = selectors.public_base_url()
    with translation.override(subscriber.language):
        unsubscribe_url = base + reverse(
            "cms_newsletter_unsubscribe",
            args=[tokens.subscriber_token(subscriber=subscriber, purpose=tokens.UNSUBSCRIBE)],
        )
        context = {
            "subscriber": subscriber,
            "site_url": base + "/",
            "unsubscribe_url": unsubscribe_url,
            **(extra or {}),
        }
        subject = render_to_string(f"cms/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"cms/emails/{template}_body.txt", context)
        body += render_to_string("cms/emails/newsletter_footer.txt", context)
    EmailMessage(
        subject=subject,
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def subscriber_send_confirmation_email(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        return False
    base = selectors.public_base_url()
    with translation.override(subscriber.language):
        confirm_url = base + reverse(
            "cms_newsletter_confirm",
            args=[tokens.subscriber_token(subscriber=subscriber, purpose=tokens.CONFIRM)],
        )
    subscriber_email_send(
        subscriber=subscriber, template="newsletter_confirm", extra={"confirm_url": confirm_url}
    )
    return True


def subscriber_send_welcome_email(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != Subscriber.Status.CONFIRMED:
        return False
    subscriber_email_send(subscriber=subscriber, template="newsletter_welcome")
    return True


# --- Impact figures


def impact_figures_refresh() -> dict:
    """Count the figures now and replace the cached ones (see cms.selectors)."""
    data = selectors.impact_figures_compute()
    cache.set(selectors.IMPACT_CACHE_KEY, data, timeout=None)
    return data
