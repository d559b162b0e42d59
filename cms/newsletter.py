"""Newsletter issues: rendering an issue as e-mail, the test send, and the send to every
confirmed subscriber in batches through Celery, once.

Sending once: ``newsletter_issue_send`` turns a draft into "sending" under a row lock (a
second click finds it sending and is refused) and writes one delivery row per confirmed
subscriber under a unique (issue, subscriber) key; each batch task *claims* a row
(pending → sending, one UPDATE) before its e-mail goes out, so a retried or doubled task
finds it claimed and sends nothing. A worker that dies between the claim and the send
leaves the row "being sent" in the log rather than risking a second e-mail.

Every link of the issue to the shop carries utm_source=newsletter, utm_medium=email and
utm_campaign=<the issue's campaign code>, so its orders are counted under it
(shop.marketing); the unsubscribe link, per recipient and signed (cms.tokens), is in the
text, the footer and the List-Unsubscribe headers (RFC 8058 one-click).
"""

import logging
import re
import smtplib
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import selectors, tokens
from .models import NewsletterDelivery, NewsletterIssue, Subscriber

logger = logging.getLogger(__name__)

UNSUBSCRIBE_PLACEHOLDER = "https://karya.invalid/unsubscribe-placeholder"
RECIPIENT_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    ValueError,  # an address Django cannot encode
)
_HREF = re.compile(r'href="([^"]+)"')


def batch_size() -> int:
    return getattr(settings, "KARYA_NEWSLETTER_BATCH_SIZE", 100)


# --- Links


def campaign_url(url: str, *, issue: NewsletterIssue, base: str) -> str:
    """`url` absolute, and with the campaign's UTM parameters when it leads to the shop."""
    if url.startswith("/"):
        url = base + url
    if not url.startswith(base) or "utm_" in url:
        return url
    query = urlencode(
        {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": issue.slug}
    )
    fragment = ""
    if "#" in url:
        url, fragment = url.split("#", 1)
        fragment = "#" + fragment
    return f"{url}{'&' if '?' in url else '?'}{query}{fragment}"


def _tag_links(html: str, *, issue, base: str) -> str:
    return _HREF.sub(
        lambda m: (
            f'href="{campaign_url(m.group(1).replace("&amp;", "&"), issue=issue, base=base).replace("&", "&amp;")}"'
        ),
        html,
    )


# --- Rendering


def _product_card(product, *, issue, base: str) -> dict | None:
    if product is None:
        return None
    record = next((r for r in product.stockrecords.all() if r.price is not None), None)
    image = product.primary_image()
    original = getattr(image, "original", None)
    image_url = ""
    if original and getattr(image, "pk", None):
        image_url = original.url if original.url.startswith("http") else base + original.url
    return {
        "title": product.title,
        "price": Decimal(record.price).quantize(Decimal(1)) if record else None,
        "url": campaign_url(product.get_absolute_url(), issue=issue, base=base),
        "image_url": image_url,
    }


def _blocks(body, *, issue, base: str) -> list[dict]:
    """The issue's blocks as plain data the e-mail templates lay out."""
    out = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            out.append({"type": "heading", "text": value})
        elif kind == "rich_text":
            html = _tag_links(str(value), issue=issue, base=base)
            out.append({"type": "text", "html": html, "text": strip_tags(html).strip()})
        elif kind == "product":
            card = _product_card(value.get("product"), issue=issue, base=base)
            if card is not None:
                out.append({"type": "product", "note": value.get("note") or "", **card})
        elif kind == "button":
            page = value.get("page")
            target = page.url if page is not None else value.get("url") or ""
            if target:
                url = campaign_url(target, issue=issue, base=base)
                out.append({"type": "button", "text": value.get("text"), "url": url})
    return out


def issue_render(*, issue: NewsletterIssue, language: str) -> dict:
    """Subject, text and HTML of the issue in `language`, with a placeholder where each
    recipient's own unsubscribe link goes (rendered once per language and batch)."""
    base = selectors.public_base_url()
    with translation.override(language):
        subject, body = issue.version_for(language)
        context = {
            "issue": issue,
            "language": language,
            "subject": subject,
            "blocks": _blocks(body, issue=issue, base=base),
            "site_url": campaign_url("/", issue=issue, base=base),
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        }
        text = render_to_string("cms/emails/newsletter_issue_body.txt", context)
        text += render_to_string("cms/emails/newsletter_footer.txt", context)
        html = render_to_string("cms/emails/newsletter_issue_body.html", context)
    return {"subject": subject, "text": text, "html": html}


def _message(rendered: dict, *, to: str, unsubscribe_url: str, connection=None, prefix=""):
    message = EmailMultiAlternatives(
        subject=prefix + rendered["subject"],
        body=rendered["text"].replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
        to=[to],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    html = rendered["html"].replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url)
    message.attach_alternative(html, "text/html")
    return message


def subscriber_unsubscribe_url(subscriber: Subscriber) -> str:
    with translation.override(subscriber.language):
        return selectors.public_base_url() + reverse(
            "cms_newsletter_unsubscribe",
            args=[tokens.subscriber_token(subscriber=subscriber, purpose=tokens.UNSUBSCRIBE)],
        )


# --- Test send


def newsletter_issue_send_test(*, issue_id: int, email: str, language: str) -> bool:
    """The issue to one editor's address, marked as a test; its unsubscribe link leads to
    the signup page, as the editor is no subscriber."""
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None or not email:
        return False
    rendered = issue_render(issue=issue, language=language)
    with translation.override(language):
        signup = selectors.public_base_url() + reverse("cms_newsletter_signup")
        prefix = _("[TEST] ")
    _message(rendered, to=email, unsubscribe_url=signup, prefix=prefix).send()
    NewsletterIssue.objects.filter(pk=issue_id).update(test_sent_at=timezone.now())
    return True


# --- Sending to the subscribers


class NewsletterRefused(ValidationError):
    """The issue cannot be sent (already sent or sending, or empty)."""


@transaction.atomic
def newsletter_issue_send(*, issue_id: int, user) -> int:
    """Send a draft issue to every confirmed subscriber: one delivery row each, queued in
    batches after the commit. Returns the number of recipients."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    if issue.status != NewsletterIssue.Status.DRAFT:
        raise NewsletterRefused(_("This issue has already been sent; it goes out only once."))
    if not issue.subject or not len(issue.body):
        raise NewsletterRefused(_("Write the Indonesian subject and body before sending."))
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).values_list(
        "pk", flat=True
    )
    NewsletterDelivery.objects.bulk_create(
        [NewsletterDelivery(issue=issue, subscriber_id=pk) for pk in confirmed],
        ignore_conflicts=True,
        batch_size=1000,
    )
    issue.status = NewsletterIssue.Status.SENDING
    issue.send_started_at = timezone.now()
    issue.sent_by = user if getattr(user, "is_authenticated", False) else None
    issue.save(update_fields=["status", "send_started_at", "sent_by"])
    ids = list(
        issue.deliveries.filter(status=NewsletterDelivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    from .tasks import newsletter_send_batch

    size = batch_size()
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        transaction.on_commit(lambda chunk=chunk: newsletter_send_batch.delay(issue.pk, chunk))
    if not ids:
        transaction.on_commit(lambda: newsletter_issue_finish(issue_id=issue.pk))
    return len(ids)


def _claim(delivery_id: int) -> bool:
    return bool(
        NewsletterDelivery.objects.filter(
            pk=delivery_id, status=NewsletterDelivery.Status.PENDING
        ).update(status=NewsletterDelivery.Status.SENDING)
    )


def newsletter_batch_send(*, issue_id: int, delivery_ids: list[int]) -> int:
    """Send one batch: each row claimed first, so a retry sends only what no run has
    claimed yet. Returns the number sent now."""
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return 0
    rendered: dict[str, dict] = {}
    sent = 0
    connection = get_connection()
    try:
        for delivery_id in delivery_ids:
            if not _claim(delivery_id):
                continue
            delivery = NewsletterDelivery.objects.select_related("subscriber").get(pk=delivery_id)
            subscriber = delivery.subscriber
            if subscriber.status != Subscriber.Status.CONFIRMED:
                _finish(delivery, NewsletterDelivery.Status.SKIPPED)
                continue
            language = subscriber.language if subscriber.language == "en" else "id"
            if language not in rendered:
                rendered[language] = issue_render(issue=issue, language=language)
            message = _message(
                rendered[language],
                to=subscriber.email,
                unsubscribe_url=subscriber_unsubscribe_url(subscriber),
                connection=connection,
            )
            try:
                message.send()
            except RECIPIENT_ERRORS as error:
                # This address is refused: the log shows it, the rest go on.
                logger.warning(
                    "Newsletter %s to subscriber %s failed: %s", issue_id, subscriber.pk, error
                )
                _finish(delivery, NewsletterDelivery.Status.FAILED, error=str(error)[:300])
                continue
            except OSError:
                # The mail server is unreachable: the row goes back to waiting and the task
                # is retried later (cms.tasks), sending only what is still waiting.
                _finish(delivery, NewsletterDelivery.Status.PENDING)
                raise
            _finish(delivery, NewsletterDelivery.Status.SENT)
            sent += 1
    finally:
        connection.close()
    newsletter_issue_finish(issue_id=issue_id)
    return sent


def _finish(delivery, status, *, error: str = "") -> None:
    delivery.status = status
    delivery.error = error
    delivery.sent_at = timezone.now() if status == NewsletterDelivery.Status.SENT else None
    delivery.save(update_fields=["status", "error", "sent_at"])


def newsletter_issue_finish(*, issue_id: int) -> bool:
    """Mark a sending issue sent once no delivery waits any more."""
    waiting = NewsletterDelivery.objects.filter(
        issue_id=issue_id, status=NewsletterDelivery.Status.PENDING
    )
    if waiting.exists():
        return False
    return bool(
        NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssue.Status.SENDING).update(
            status=NewsletterIssue.Status.SENT, sent_at=timezone.now()
        )
    )


# --- Reads


def issue_counts(issue: NewsletterIssue) -> dict[str, int]:
    """The send log's counts by status, from one query."""
    counts = issue.deliveries.aggregate(
        total=Count("pk"),
        **{
            status: Count("pk", filter=Q(status=status))
            for status in NewsletterDelivery.Status.values
        },
    )
    return counts


def confirmed_subscriber_count() -> int:
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count()
