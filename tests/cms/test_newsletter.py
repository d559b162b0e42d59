"""Newsletter: double opt-in by a signed link mailed from a Celery task, an unsubscribe
link in every e-mail, a CSV of confirmed subscribers for staff. Nobody is confirmed
without clicking."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from cms import services, spam, tokens
from cms.models import Subscriber

pytestmark = pytest.mark.django_db


def rendered_a_minute_ago():
    return signing.dumps(int(time.time()) - 60, salt=spam.TIMESTAMP_SALT)


def sign_up(client, email="sari@example.test", **extra):
    data = {"email": email, "website": "", "rendered_at": rendered_a_minute_ago(), **extra}
    return client.post(reverse("cms_newsletter_signup"), data)


def link_in(message, name):
    match = re.search(rf"http://localhost(/(?:en/)?newsletter/{name}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_stores_a_pending_address_and_mails_a_confirmation_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="Sari@Example.TEST")

    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Sari@example.test"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.confirmed_at is None
    assert subscriber.language == "id"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["Sari@example.test"]
    assert link_in(mailoutbox[0], "confirm")


def test_the_confirmation_mail_is_sent_only_after_commit(client, mailoutbox):
    # Without the commit (the test's transaction stays open) the task is never queued.
    sign_up(client)

    assert mailoutbox == []


def test_every_mail_carries_an_unsubscribe_link_and_header(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mailoutbox[0], "confirm"))

    assert len(mailoutbox) == 2  # confirmation, then welcome
    for message in mailoutbox:
        unsubscribe = link_in(message, "unsubscribe")
        assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_link_does_not_confirm_only_the_button_does(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    confirm = link_in(mailoutbox[0], "confirm")

    page = client.get(confirm)  # what a mail scanner following links does
    assert page.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    client.post(confirm)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_a_forged_or_altered_link_confirms_nobody(client):
    subscriber = Subscriber.objects.create(email="sari@example.test", language="id")
    forged = signing.dumps({"id": subscriber.pk, "email": subscriber.email}, salt="other")
    genuine = tokens.subscriber_token(subscriber=subscriber, purpose=tokens.CONFIRM)
    unsubscribe = tokens.subscriber_token(subscriber=subscriber, purpose=tokens.UNSUBSCRIBE)

    for token in (forged, genuine[:-2] + "xx", unsubscribe):
        response = client.post(reverse("cms_newsletter_confirm", args=[token]))
        assert response.status_code == 400

    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_expired_confirmation_link_is_refused(client, monkeypatch):
    subscriber = Subscriber.objects.create(email="sari@example.test", language="id")
    token = tokens.subscriber_token(subscriber=subscriber, purpose=tokens.CONFIRM)
    monkeypatch.setitem(tokens.MAX_AGE, tokens.CONFIRM, -1)

    response = client.post(reverse("cms_newsletter_confirm", args=[token]))

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_database_refuses_a_confirmed_subscriber_without_a_confirmation_time():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="x@example.test", language="id", status="confirmed")


def test_staff_cannot_add_or_edit_subscribers_in_the_cms(client, central_admin):
    client.force_login(central_admin)

    assert client.get(reverse("cms_subscriber:add")).status_code in (302, 403)
    subscriber = Subscriber.objects.create(email="sari@example.test", language="id")
    response = client.get(reverse("cms_subscriber:edit", args=[subscriber.pk]))
    assert response.status_code in (302, 403)


def test_unsubscribing_with_one_click(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mailoutbox[0], "confirm"))
    unsubscribe = link_in(mailoutbox[1], "unsubscribe")

    assert client.get(unsubscribe).status_code == 200  # a page with a button
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    # RFC 8058: the mail client posts without a CSRF token.
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_an_old_confirmation_link_does_not_resubscribe_after_unsubscribing(client):
    subscriber = Subscriber.objects.create(email="sari@example.test", language="id")
    confirm = tokens.subscriber_token(subscriber=subscriber, purpose=tokens.CONFIRM)
    services.subscriber_unsubscribe(
        token=tokens.subscriber_token(subscriber=subscriber, purpose=tokens.UNSUBSCRIBE)
    )

    response = client.post(reverse("cms_newsletter_confirm", args=[confirm]))

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_signing_up_again_sends_no_second_mail_within_minutes(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
        sign_up(client)

    assert Subscriber.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_confirmed_subscriber_signing_up_again_gets_no_mail_and_stays_confirmed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = Subscriber.objects.create(email="sari@example.test", language="id")
    services.subscriber_confirm(
        token=tokens.subscriber_token(subscriber=subscriber, purpose=tokens.CONFIRM)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert mailoutbox == []


def test_a_bot_filling_the_honeypot_is_thanked_and_forgotten(client, mailoutbox):
    response = sign_up(client, website="https://spam.example")

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_a_form_sent_the_moment_it_was_shown_is_refused(client):
    response = sign_up(client, rendered_at=spam.form_timestamp())

    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert "Cepat sekali" in response.content.decode()  # "That was very quick"


def test_signups_from_one_connection_are_rate_limited(client):
    for i in range(10):
        assert sign_up(client, email=f"orang{i}@example.test").status_code == 200

    response = sign_up(client, email="lagi@example.test")

    assert response.status_code == 400
    assert Subscriber.objects.count() == 10


def test_a_bad_address_is_refused_with_a_message_naming_the_field(client):
    response = sign_up(client, email="bukan-alamat")

    assert response.status_code == 400
    assert response.context["form"].errors["email"]


def test_staff_download_only_confirmed_subscribers_as_csv(client, editor):
    confirmed = Subscriber.objects.create(email="ya@example.test", language="en")
    services.subscriber_confirm(
        token=tokens.subscriber_token(subscriber=confirmed, purpose=tokens.CONFIRM)
    )
    Subscriber.objects.create(email="belum@example.test", language="id")
    Subscriber.objects.create(email="keluar@example.test", language="id", status="unsubscribed")
    client.force_login(editor)

    listing = client.get(reverse("cms_subscriber:index"))
    response = client.get(reverse("cms_subscriber_export"))

    assert listing.status_code == 200
    assert reverse("cms_subscriber_export") in listing.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "email,language,confirmed_at"
    assert [row.split(",")[0] for row in rows[1:]] == ["ya@example.test"]


def test_people_without_the_permission_cannot_download_subscribers(client, workshop_staff):
    Subscriber.objects.create(email="ya@example.test", language="en")
    client.force_login(workshop_staff)

    response = client.get(reverse("cms_subscriber_export"))

    assert response.status_code in (302, 403)
    assert b"ya@example.test" not in response.content
