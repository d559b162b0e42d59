"""A recall is told to the public in words written for them; the internal reason, batch
notes and QC notes never leave the Lapas."""

import pytest

from production_link.models import Batch
from production_link.services import batch_recall
from tests.factories import released_batch

pytestmark = pytest.mark.django_db

REASON = "Adonan dicampur oleh petugas Budi; cek ulang SOP gudang"
NOTICE = "Roti dari batch ini bisa berjamur sebelum tanggal kedaluwarsa. Jangan dimakan."


@pytest.fixture
def recalled(bread, kalapas, django_capture_on_commit_callbacks):
    batch = released_batch(product=bread, quantity=3)
    Batch.objects.filter(pk=batch.pk).update(
        notes="Catatan internal bengkel", qc_notes="Catatan QC internal"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch_recall(batch_id=batch.pk, reason=REASON, public_notice=NOTICE, user=kalapas)
    batch.refresh_from_db()
    return batch


def test_the_trace_page_shows_the_public_notice_and_nothing_internal(client, recalled):
    body = client.get(f"/trace/{recalled.code}/").content.decode()

    assert "recall-notice" in body
    assert NOTICE in body
    for internal in (REASON, "Catatan internal bengkel", "Catatan QC internal"):
        assert internal not in body


def test_the_public_api_gives_the_notice_not_the_reason(client, recalled):
    data = client.get(f"/api/v1/trace/{recalled.code}").json()

    assert data["recall_notice"] == NOTICE
    assert REASON not in str(data)
    assert "Catatan" not in str(data)


def test_the_recall_form_asks_for_both_texts(client, kalapas, bread):
    from django.urls import reverse

    batch = released_batch(product=bread, quantity=2)
    client.force_login(kalapas)
    url = reverse("production_dashboard:batch-recall", kwargs={"pk": batch.pk})

    client.post(url, {"reason": REASON})
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RELEASED  # no notice for the public: nothing done

    client.post(url, {"reason": REASON, "public_notice": NOTICE})
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RECALLED
    assert batch.public_recall_notice == NOTICE and batch.recall_reason == REASON


def test_buyers_are_emailed_the_notice_not_the_reason(recalled):
    from django.template.loader import render_to_string

    body = render_to_string(
        "production_link/emails/recall_body.txt",
        {"batch": recalled, "orders": ["100001"], "trace_url": "https://karya.test/trace/x/"},
    )

    assert NOTICE in body
    assert REASON not in body


def test_internal_fields_say_no_names_of_inmates(english):
    # In English: the help texts are translated (the Indonesian says "warga binaan").
    for name in ("notes", "qc_notes", "recall_reason", "public_recall_notice"):
        help_text = str(Batch._meta.get_field(name).help_text)
        assert "inmates" in help_text, name
