"""The daily licence sweep, as it meets an expired halal certificate: the product is
withdrawn and the workshop staff of its Lapas are told by e-mail. (Food licences, SNI
certificates and the warnings before expiry: test_licences.py.)"""

import pytest
from django.core import mail

from catalog import tasks
from shop.celery import app
from tests.catalog.helpers import food_product, halal_until

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_sweep_is_scheduled_daily_in_one_place():
    [entry] = [
        e for e in app.conf.beat_schedule.values() if e["task"] == tasks.licence_expiry_sweep.name
    ]
    assert entry["schedule"].hour == {0}
    assert tasks.licence_expiry_sweep.name in app.tasks


def test_an_expired_certificate_withdraws_the_product_and_tells_the_workshop_staff(
    product, workshop_staff, other_workshop_staff, django_capture_on_commit_callbacks
):
    expired = food_product(workshop=product.workshop, title="Nastar", **halal_until(-1))
    valid = food_product(workshop=product.workshop, title="Kastengel", **halal_until(100))

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.licence_expiry_sweep.delay().get()["withdrawn"]

    assert queued == 1
    expired.refresh_from_db()
    valid.refresh_from_db()
    assert not expired.is_public
    assert valid.is_public
    [email] = mail.outbox
    assert email.to == [workshop_staff.email]
    assert "Nastar" in email.subject
    assert "ID36110000123450324" in email.body
    assert f"/dashboard/catalogue/products/{expired.pk}/" in email.body


def test_running_the_sweep_again_changes_nothing(
    product, workshop_staff, django_capture_on_commit_callbacks
):
    food_product(workshop=product.workshop, **halal_until(-3))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.licence_expiry_sweep.delay()

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.licence_expiry_sweep.delay().get()["withdrawn"]

    assert queued == 0
    assert len(mail.outbox) == 1


def test_the_withdrawal_task_is_idempotent(
    product, workshop_staff, django_capture_on_commit_callbacks
):
    expired = food_product(workshop=product.workshop, **halal_until(-1))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.product_licence_withdraw.delay(product_id=expired.pk).get()
        second = tasks.product_licence_withdraw.delay(product_id=expired.pk).get()

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_a_renewed_certificate_is_left_alone(product, django_capture_on_commit_callbacks):
    expired = food_product(workshop=product.workshop, **halal_until(-1))
    expired.halal_certificate_expiry = expired.halal_certificate_expiry.replace(year=2099)
    expired.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.product_licence_withdraw.delay(product_id=expired.pk).get() is False

    expired.refresh_from_db()
    assert expired.is_public
    assert mail.outbox == []


def test_a_withdrawn_product_cannot_be_published_again_until_renewed(product):
    from django.core.exceptions import ValidationError

    from catalog import services

    expired = food_product(workshop=product.workshop, is_public=False, **halal_until(-1))

    with pytest.raises(ValidationError) as refused:
        services.product_publish(product=expired)

    assert "expired" in " ".join(refused.value.message_dict["halal_certificate_expiry"])
