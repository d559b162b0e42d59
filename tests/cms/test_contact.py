"""The contact page's inquiry form for institutional buyers: stored, e-mailed to staff
by a Celery task after commit, protected against spam."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from cms import services, spam
from cms.models import ContactPage, Inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(home):
    return home.add_child(
        instance=ContactPage(
            title="Kontak",
            slug="kontak",
            intro="Untuk instansi.",
            to_address="pemasaran@example.test, pusat@example.test",
        )
    )


def inquiry_data(**extra):
    return {
        "organisation": "Dinas Pendidikan Kota Tangerang",
        "name": "Budi Santoso",
        "email": "budi@disdik.example.test",
        "phone": "021 5550 1234",
        "topic": "furniture",
        "quantity": "120 meja belajar",
        "message": "Kami memerlukan meja belajar untuk tiga sekolah.",
        "website": "",
        "rendered_at": signing.dumps(int(time.time()) - 120, salt=spam.TIMESTAMP_SALT),
        **extra,
    }


def test_an_inquiry_is_stored_and_mailed_to_staff_after_commit(
    client, contact, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, inquiry_data())

    assert response.status_code == 302
    assert response["Location"] == contact.url + "?sent=1"
    inquiry = Inquiry.objects.get()
    assert inquiry.organisation == "Dinas Pendidikan Kota Tangerang"
    assert inquiry.page == contact
    assert inquiry.language == "id"
    assert inquiry.notified_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["pemasaran@example.test", "pusat@example.test"]
    assert message.reply_to == ["budi@disdik.example.test"]
    assert "Dinas Pendidikan Kota Tangerang" in message.subject
    assert "120 meja belajar" in message.body
    assert reverse("cms_inquiry:edit", args=[inquiry.pk]) in message.body


def test_the_thank_you_text_follows_the_redirect(client, contact):
    response = client.get(contact.url + "?sent=1")

    assert response.context["sent"]
    assert "Terima kasih" in response.content.decode() or "Thank you" in response.content.decode()


def test_staff_are_notified_once_even_if_the_task_runs_again(contact, mailoutbox):
    inquiry = Inquiry.objects.create(
        page=contact,
        organisation="Kantor Kelurahan",
        name="Ani",
        email="ani@example.test",
        topic="uniforms",
        message="Seragam.",
        language="id",
    )

    assert services.inquiry_notify_staff_send(inquiry_id=inquiry.pk)
    assert not services.inquiry_notify_staff_send(inquiry_id=inquiry.pk)
    assert len(mailoutbox) == 1


def test_a_missing_field_is_named_and_nothing_is_stored(client, contact, mailoutbox):
    response = client.post(contact.url, inquiry_data(organisation="", email="bukan-email"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"organisation", "email"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_bot_filling_the_honeypot_sees_thanks_but_nothing_is_stored(
    client, contact, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, inquiry_data(website="http://spam.example"))

    assert response.status_code == 302
    assert not Inquiry.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("rendered_at", ["", "forged", "now"])
def test_a_form_without_a_genuine_earlier_timestamp_is_refused(client, contact, rendered_at):
    value = spam.form_timestamp() if rendered_at == "now" else rendered_at

    response = client.post(contact.url, inquiry_data(rendered_at=value))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Inquiry.objects.exists()


def test_inquiries_from_one_connection_are_rate_limited(client, contact):
    for _ in range(5):
        assert client.post(contact.url, inquiry_data()).status_code == 302

    response = client.post(contact.url, inquiry_data())

    assert response.status_code == 200
    assert "Too many" in str(response.context["form"].non_field_errors()) or "Terlalu" in str(
        response.context["form"].non_field_errors()
    )
    assert Inquiry.objects.count() == 5


def test_behind_the_proxy_each_client_has_its_own_limit(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    one = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    other = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert spam.client_key(one) != spam.client_key(other)


def test_editors_read_inquiries_in_the_cms(client, contact, editor):
    inquiry = Inquiry.objects.create(
        page=contact,
        organisation="Kantor Kelurahan",
        name="Ani",
        email="ani@example.test",
        topic="uniforms",
        message="Seragam.",
        language="id",
    )
    client.force_login(editor)

    listing = client.get(reverse("cms_inquiry:index"))
    detail = client.get(reverse("cms_inquiry:inspect", args=[inquiry.pk]))

    assert "Kantor Kelurahan" in listing.content.decode()
    assert detail.status_code == 200


def test_the_contact_page_needs_valid_staff_addresses(home):
    from django.core.exceptions import ValidationError

    page = ContactPage(title="Kontak", slug="kontak", intro="x", to_address="staf, x@example.test")

    with pytest.raises(ValidationError) as error:
        home.add_child(instance=page)
    assert "to_address" in error.value.message_dict
