"""Licences with dates (catalog.licences): P-IRT, BPOM, PSAT, halal and SNI certificates,
their number formats and expiry, the warnings 60 and 30 days ahead, and the daily sweep
withdrawing a product on expiry."""

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import compliance, licences, services, tasks, validators
from catalog.models import LicenceWarning
from tests.catalog.helpers import food_product, goods_product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def test_a_pirt_is_valid_five_years_from_its_issue_date_else_to_the_year_its_number_ends(
    product,
):
    food = food_product(workshop=product.workshop, licence_number="2063671010001-29")
    assert licences.food_licence_expiry(food) == date(2029, 12, 31)

    food.licence_issued_on = date(2024, 3, 1)
    assert licences.food_licence_expiry(food) == date(2029, 2, 28)

    food.licence_expires_on = date(2028, 6, 30)  # as printed on the certificate
    assert licences.food_licence_expiry(food) == date(2028, 6, 30)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("PD 3374010012345", True),
        ("PSAT PL 3374010012345", True),
        ("PD-33740100", True),
        ("2063671010001-29", False),
        ("MD 224510001234", False),
        ("PD 12", False),
    ],
)
def test_psat_numbers_are_pd_or_pl_and_digits(number, valid):
    if valid:
        validators.validate_psat_number(number)
    else:
        with pytest.raises(ValidationError):
            validators.validate_psat_number(number)


def test_fresh_produce_takes_a_psat_number_with_its_expiry(product):
    produce = food_product(
        workshop=product.workshop,
        halal_claimed=False,
        halal_certificate_number="",
        halal_certificate_expiry=None,
        licence_type="psat",
        licence_number="PD 3374010012345",
    )

    assert validators.label_errors(produce) == {
        "licence_expires_on": ["Licence expiry: enter the date the PSAT registration expires."]
    }
    assert [f.field for f in compliance.missing_facts(produce)] == ["licence_expires_on"]

    produce.licence_expires_on = in_days(400)
    assert validators.label_errors(produce) == {}
    assert compliance.missing_facts(produce) == []


def test_licence_dates_are_checked_against_each_other(product):
    food = food_product(workshop=product.workshop)
    food.licence_issued_on = date(2024, 1, 10)
    food.licence_expires_on = date(2030, 1, 10)  # six years: more than a P-IRT gets
    assert "licence_expires_on" in validators.label_errors(food)

    food.licence_expires_on = date(2023, 1, 1)
    assert "licence_expires_on" in validators.label_errors(food)

    food.licence_expires_on = None
    food.licence_issued_on = in_days(3)
    assert "licence_issued_on" in validators.label_errors(food)


def test_an_expired_food_licence_blocks_the_product(product):
    food = food_product(workshop=product.workshop, licence_expires_on=in_days(-1))

    facts = compliance.missing_facts(food)

    assert [f.field for f in facts] == ["licence_expires_on"]
    assert "expired" in str(facts[0])


def test_an_expired_sni_certificate_blocks_goods_too(product):
    goods = goods_product(
        workshop=product.workshop, sni_number="SNI 8100:2015", sni_certificate_expiry=in_days(-2)
    )

    assert [f.field for f in compliance.missing_facts(goods)] == ["sni_certificate_expiry"]
    assert "SNI" in compliance.sale_refusal(goods)


def test_the_lapas_is_warned_60_and_30_days_ahead_once_each(
    product, workshop_staff, django_capture_on_commit_callbacks
):
    food = food_product(
        workshop=product.workshop,
        title="Rengginang",
        halal_claimed=False,
        halal_certificate_number="",
        halal_certificate_expiry=None,
        licence_expires_on=in_days(45),
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.licence_expiry_sweep.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.licence_expiry_sweep.delay().get()

    assert (first["warned"], again["warned"]) == (1, 0)
    [email] = mail.outbox
    assert email.to == [workshop_staff.email]
    assert "Rengginang" in email.subject and "45" in email.subject
    assert food.licence_number in email.body

    food.licence_expires_on = in_days(30)
    food.save()
    with django_capture_on_commit_callbacks(execute=True):
        later = tasks.licence_expiry_sweep.delay().get()

    assert later == {"warned": 1, "withdrawn": 0}
    assert len(mail.outbox) == 2
    assert set(LicenceWarning.objects.values_list("days_before", flat=True)) == {60, 30}
    food.refresh_from_db()
    assert food.is_public


def test_a_warning_is_sent_once_even_if_its_task_runs_twice(product, workshop_staff):
    food = food_product(workshop=product.workshop, licence_expires_on=in_days(20))
    [warning_id] = services.licence_warnings_raise()

    assert services.licence_warning_notify(warning_id=warning_id) == 1
    assert services.licence_warning_notify(warning_id=warning_id) == 0
    assert len(mail.outbox) == 1
    assert LicenceWarning.objects.get().product == food


def test_the_sweep_withdraws_a_product_whose_food_licence_expired(
    product, workshop_staff, django_capture_on_commit_callbacks
):
    food = food_product(
        workshop=product.workshop, title="Dodol Betawi", licence_expires_on=in_days(-1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.licence_expiry_sweep.delay().get()

    assert result["withdrawn"] == 1
    food.refresh_from_db()
    assert not food.is_public
    [email] = mail.outbox
    assert "Dodol Betawi" in email.subject
    assert "P-IRT" in email.body and food.licence_number in email.body
    assert "Dodol Betawi" in compliance.sale_refusal(food)


def test_existing_pirt_numbers_get_their_expiry_from_the_number(product):
    food = food_product(workshop=product.workshop, licence_number="2063671010001-27")
    bpom = food_product(
        workshop=product.workshop, licence_type="bpom", licence_number="MD 224510001234"
    )

    migration = import_module("catalog.migrations.0040_licence_dates_existing")
    migration.forwards(apps, None)

    food.refresh_from_db()
    bpom.refresh_from_db()
    assert food.licence_expires_on == date(2027, 12, 31)
    assert bpom.licence_expires_on is None
