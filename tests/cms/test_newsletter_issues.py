"""Newsletter issues: an editor composes an issue with products, tries it on their own
address, then sends it once to confirmed subscribers only, in batches, each in their
language, with their own signed unsubscribe link and List-Unsubscribe headers; a retried
batch sends nobody twice; every shop link carries the campaign's UTM parameters."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cms import newsletter, tokens
from cms.models import NewsletterDelivery, NewsletterIssue, Subscriber
from cms.tasks import newsletter_send_batch

pytestmark = pytest.mark.django_db


def _subscriber(email, status=Subscriber.Status.CONFIRMED, language="id"):
    return Subscriber.objects.create(
        email=email,
        language=language,
        status=status,
        confirmed_at=timezone.now() if status == Subscriber.Status.CONFIRMED else None,
    )


@pytest.fixture
def subscribers(db):
    return {
        "sari": _subscriber("sari@example.test"),
        "john": _subscriber("john@example.test", language="en"),
        "pending": _subscriber("pending@example.test", status=Subscriber.Status.PENDING),
        "gone": _subscriber("gone@example.test", status=Subscriber.Status.UNSUBSCRIBED),
    }


@pytest.fixture
def issue(product):
    return NewsletterIssue.objects.create(
        slug="lebaran-2026",
        subject="Roti untuk Lebaran",
        body=[
            ("heading", "Kue dan roti Lebaran"),
            ("rich_text", '<p>Lihat <a href="/catalogue/">katalog</a> kami.</p>'),
            ("product", {"product": product, "note": "Dipanggang pagi ini."}),
            ("button", {"text": "Belanja", "url": "https://example.org/luar"}),
        ],
        subject_en="Bread for Eid",
        body_en=[("heading", "Eid cakes and bread"), ("product", {"product": product})],
    )


def _send(issue, editor, capture):
    with capture(execute=True):
        return newsletter.newsletter_issue_send(issue_id=issue.pk, user=editor)


def test_only_confirmed_subscribers_receive_the_issue_once_each_in_their_language(
    issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    count = _send(issue, editor, django_capture_on_commit_callbacks)

    assert count == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"sari@example.test", "john@example.test"}
    assert by_address["sari@example.test"].subject == "Roti untuk Lebaran"
    assert by_address["john@example.test"].subject == "Bread for Eid"
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT and issue.sent_by == editor
    assert newsletter.issue_counts(issue)["sent"] == 2


def test_links_to_the_shop_carry_the_campaign_and_outside_links_do_not(
    issue, subscribers, editor, product, mailoutbox, django_capture_on_commit_callbacks
):
    _send(issue, editor, django_capture_on_commit_callbacks)

    message = next(m for m in mailoutbox if m.to == ["sari@example.test"])
    html = message.alternatives[0][0]
    utm = "utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=lebaran-2026"
    assert f'href="http://localhost/catalogue/?{utm}"' in html
    assert f"http://localhost{product.get_absolute_url()}?{utm}" in html
    assert 'href="https://example.org/luar"' in html
    assert "Rp150.000" in html and "Roti Sobek Cokelat" in message.body
    assert "utm_campaign=lebaran-2026" in message.body


def test_each_recipient_gets_their_own_signed_unsubscribe_link_that_works(
    client, issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    _send(issue, editor, django_capture_on_commit_callbacks)
    message = next(m for m in mailoutbox if m.to == ["sari@example.test"])

    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<http://localhost(/newsletter/unsubscribe/([^/]+)/)>", header)
    assert url.group(1) in message.body and url.group(1) in message.alternatives[0][0]
    assert tokens.subscriber_token_load(token=url.group(2), purpose=tokens.UNSUBSCRIBE) == {
        "id": subscribers["sari"].pk,
        "email": "sari@example.test",
    }
    other = next(m for m in mailoutbox if m.to == ["john@example.test"])
    assert other.extra_headers["List-Unsubscribe"] != header
    # A forged token does nothing; the real one unsubscribes with one POST (RFC 8058).
    assert client.post(url.group(1)[:-3] + "xx/").status_code == 400
    assert client.post(url.group(1)).status_code == 200
    subscribers["sari"].refresh_from_db()
    assert subscribers["sari"].status == Subscriber.Status.UNSUBSCRIBED


def test_a_retried_or_doubled_batch_sends_nobody_twice(
    issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    _send(issue, editor, django_capture_on_commit_callbacks)
    ids = list(NewsletterDelivery.objects.values_list("pk", flat=True))

    assert newsletter_send_batch(issue.pk, ids) == 0
    newsletter_send_batch.delay(issue.pk, ids)

    assert len(mailoutbox) == 2


def test_a_second_send_is_refused_and_sends_nothing(
    issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    _send(issue, editor, django_capture_on_commit_callbacks)

    with pytest.raises(newsletter.NewsletterRefused):
        _send(issue, editor, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
    assert NewsletterDelivery.objects.count() == 2


def test_batches_follow_the_batch_size_and_skip_who_unsubscribed_meanwhile(
    settings, issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    settings.KARYA_NEWSLETTER_BATCH_SIZE = 1
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newsletter.newsletter_issue_send(issue_id=issue.pk, user=editor)
    assert len(callbacks) == 2  # one task per batch of one
    Subscriber.objects.filter(pk=subscribers["john"].pk).update(
        status=Subscriber.Status.UNSUBSCRIBED
    )

    for callback in callbacks:
        callback()

    assert [m.to for m in mailoutbox] == [["sari@example.test"]]
    assert newsletter.issue_counts(issue)["skipped"] == 1


def test_a_refused_address_is_logged_as_failed_and_the_rest_go_out(
    monkeypatch, issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refuse_john(self, messages):
        if messages[0].to == ["john@example.test"]:
            raise smtplib.SMTPRecipientsRefused({"john@example.test": (550, b"no such user")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_john)
    _send(issue, editor, django_capture_on_commit_callbacks)

    counts = newsletter.issue_counts(issue)
    assert (counts["sent"], counts["failed"]) == (1, 1)
    assert NewsletterDelivery.objects.get(status="failed").error


def test_the_editor_sends_a_test_to_themselves_then_to_subscribers_from_the_cms(
    client, issue, subscribers, editor, mailoutbox, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.test"
    editor.save()
    client.force_login(editor)
    url = reverse("cms_newsletter_issue_send", args=[issue.pk])

    page = client.get(url)
    assert page.status_code == 200 and "2" in page.content.decode()
    client.post(url, {"action": "test"})
    assert [m.to for m in mailoutbox] == [["editor@example.test"]]
    assert mailoutbox[0].subject.endswith("Roti untuk Lebaran")
    assert mailoutbox[0].subject != "Roti untuk Lebaran"  # marked as a test
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send"})

    assert len(mailoutbox) == 3
    log = client.get(url).content.decode()
    assert "<td>2</td><td>2</td><td>0</td>" in log.replace("\n", "").replace("        ", "")


def test_sending_needs_the_send_permission(client, issue, subscribers, mailoutbox):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    writer = UserFactory(username="penulis")
    for codename in ("access_admin", "view_newsletterissue", "change_newsletterissue"):
        writer.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(writer)

    response = client.post(
        reverse("cms_newsletter_issue_send", args=[issue.pk]), {"action": "send"}
    )

    # Wagtail turns the refusal into its "no permission" redirect to the CMS front page.
    assert response.status_code == 302 and response["Location"] == "/cms/"
    assert not mailoutbox and NewsletterDelivery.objects.count() == 0


def test_a_sent_issue_can_no_longer_be_changed(issue):
    from django.core.exceptions import ValidationError

    issue.status = NewsletterIssue.Status.SENT
    issue.save()

    with pytest.raises(ValidationError):
        issue.full_clean()


def test_the_editor_composes_an_issue_in_the_cms(client, editor, issue):
    client.force_login(editor)

    add = client.get("/cms/snippets/cms/newsletterissue/add/")
    listing = client.get("/cms/snippets/cms/newsletterissue/")

    assert add.status_code == 200
    assert "body_en" in add.content.decode()
    assert listing.status_code == 200
    assert reverse("cms_newsletter_issue_send", args=[issue.pk]) in listing.content.decode()
