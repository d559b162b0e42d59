"""Training and certification figures (production_link.training): entered by workshop
staff for their own Lapas, counted by scheme and issuer per period; refusals change
nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from production_link.training.models import TrainingCourse
from production_link.training.selectors import (
    period_of,
    training_courses_for_user,
    training_public_figures,
    training_summary,
)
from production_link.training.services import training_course_create, training_course_delete
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, **kwargs):
    with translation.override("id"):
        return reverse(f"training_dashboard:{name}", kwargs=kwargs or None)


@pytest.fixture
def bakery(lapas):
    return WorkshopFactory(lapas=lapas, name="Bengkel Roti", code="ROTI")


@pytest.fixture
def other_bakery(other_lapas):
    return WorkshopFactory(lapas=other_lapas, name="Bengkel Roti Cipinang", code="ROTI")


def course_data(workshop, **overrides):
    data = {
        "workshop": workshop.pk,
        "title": "Pelatihan roti dasar",
        "scheme": "Pembuat Roti (Baker)",
        "issuer_kind": "bnsp_lsp",
        "issuer_name": "LSP Pariwisata Indonesia",
        "started_on": (TODAY - datetime.timedelta(days=14)).isoformat(),
        "ended_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "participants": 15,
        "certified": 12,
    }
    data.update(overrides)
    return data


def create(user, workshop, **overrides):
    data = course_data(workshop, **overrides)
    data["workshop"] = workshop
    for key in ("started_on", "ended_on"):
        data[key] = datetime.date.fromisoformat(data[key])
    return training_course_create(user=user, **data)


def test_workshop_staff_record_a_course_of_their_lapas(client, workshop_staff, bakery):
    client.force_login(workshop_staff)

    response = client.post(url("create"), course_data(bakery))

    assert response.status_code == 302
    course = TrainingCourse.objects.get()
    assert (course.workshop, course.participants, course.certified) == (bakery, 15, 12)
    assert course.created_by == workshop_staff
    page = client.get(url("list")).content.decode()
    assert "Pelatihan roti dasar" in page
    assert "LSP Pariwisata Indonesia" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"certified": 16}, "certified"),  # more certificates than participants
        ({"participants": 0, "certified": 0}, "participants"),
        (
            {
                "started_on": TODAY.isoformat(),
                "ended_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
            },
            "ended_on",
        ),
        ({"ended_on": (TODAY + datetime.timedelta(days=3)).isoformat()}, "ended_on"),
        ({"issuer_kind": "ministry"}, "issuer_kind"),
        ({"title": " "}, "title"),
    ],
)
def test_figures_that_cannot_be_true_are_refused_and_nothing_is_saved(
    client, workshop_staff, bakery, overrides, field
):
    client.force_login(workshop_staff)

    response = client.post(url("create"), course_data(bakery, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TrainingCourse.objects.exists()


def test_the_service_refuses_more_certificates_than_participants(workshop_staff, bakery):
    with pytest.raises(ValidationError) as error:
        create(workshop_staff, bakery, participants=5, certified=6)

    assert "certified" in error.value.message_dict
    assert not TrainingCourse.objects.exists()


def test_the_same_course_entered_twice_is_recorded_once(client, workshop_staff, bakery):
    client.force_login(workshop_staff)

    client.post(url("create"), course_data(bakery))
    again = client.post(url("create"), course_data(bakery))

    assert again.status_code == 200
    assert "title" in again.context["form"].errors
    assert TrainingCourse.objects.count() == 1


def test_staff_cannot_record_for_another_lapas(client, workshop_staff, other_bakery):
    client.force_login(workshop_staff)

    response = client.post(url("create"), course_data(other_bakery))

    assert response.status_code == 200  # the workshop is not one they may choose
    assert "workshop" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        create(workshop_staff, other_bakery)
    assert not TrainingCourse.objects.exists()


def test_staff_see_and_remove_only_their_own_lapas_courses(
    client, workshop_staff, other_workshop_staff, bakery, other_bakery
):
    own = create(workshop_staff, bakery)
    theirs = create(other_workshop_staff, other_bakery, title="Roti manis")
    client.force_login(workshop_staff)

    page = client.get(url("list")).content.decode()
    refused = client.post(url("delete", pk=theirs.pk))
    removed = client.post(url("delete", pk=own.pk))
    twice = client.post(url("delete", pk=own.pk))

    assert "Roti manis" not in page
    assert refused.status_code == 404
    assert removed.status_code == 302
    assert twice.status_code == 404
    assert list(TrainingCourse.objects.all()) == [theirs]
    assert list(training_courses_for_user(workshop_staff)) == []


def test_the_kalapas_reads_but_does_not_enter(client, bakery, workshop_staff):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    kalapas = user_assign_role(
        user=UserFactory(username="kalapas.tng"), role_code="kalapas", lapas=bakery.lapas
    )
    course = create(workshop_staff, bakery)
    client.force_login(kalapas)

    assert client.get(url("list")).status_code == 200
    assert client.post(url("create"), course_data(bakery, title="Lain")).status_code == 403
    assert client.post(url("delete", pk=course.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        training_course_delete(user=kalapas, course_id=course.pk)
    assert TrainingCourse.objects.count() == 1


def test_buyers_and_the_anonymous_are_refused(client, buyer):
    client.force_login(buyer)
    assert client.get(url("list")).status_code == 403
    client.logout()
    assert client.get(url("list")).status_code == 302


def test_figures_are_counted_by_scheme_and_issuer_within_the_period(
    workshop_staff, other_workshop_staff, bakery, other_bakery
):
    year = TODAY.year - 1
    create(workshop_staff, bakery, started_on=f"{year}-02-01", ended_on=f"{year}-02-20")
    create(
        workshop_staff,
        bakery,
        title="Roti lanjutan",
        started_on=f"{year}-03-01",
        ended_on=f"{year}-03-10",
        participants=10,
        certified=8,
    )
    create(
        workshop_staff,
        bakery,
        title="Menjahit",
        issuer_kind="blk",
        issuer_name="BLK Tangerang",
        scheme="",
        started_on=f"{year}-05-01",
        ended_on=f"{year}-05-30",
        participants=20,
        certified=0,
    )
    create(other_workshop_staff, other_bakery, started_on=f"{year}-02-01", ended_on=f"{year}-02-20")

    own = training_courses_for_user(workshop_staff)
    q1 = training_summary(courses=own, period=period_of(year=year, quarter=1))
    whole = training_summary(courses=own, period=period_of(year=year))

    assert q1["total"] == {"courses": 2, "participants": 25, "certified": 20}
    assert [
        (r["issuer_kind"], r["scheme"], r["courses"], r["certified"]) for r in q1["by_scheme"]
    ] == [("bnsp_lsp", "Pembuat Roti (Baker)", 2, 20)]
    assert whole["total"] == {"courses": 3, "participants": 45, "certified": 20}
    assert training_public_figures(year=year)["certified"] == 32  # every Lapas together
    assert training_public_figures(year=year - 1)["courses"] == 0


def test_no_personal_data_is_kept():
    names = {field.name for field in TrainingCourse._meta.get_fields()}

    assert not names & {"participant", "participants_names", "names", "inmate", "nik"}


def test_the_quarterly_monitoring_report_carries_the_training_figures(
    workshop_staff, bakery, lapas
):
    from production_link.reports.periods import QUARTERLY, period_parse
    from production_link.reports.selectors import monev_figures

    year = TODAY.year - 1
    create(workshop_staff, bakery, started_on=f"{year}-02-01", ended_on=f"{year}-02-20")
    create(
        workshop_staff,
        bakery,
        title="Di luar periode",
        started_on=f"{year}-04-01",
        ended_on=f"{year}-04-10",
    )

    table = monev_figures(lapas=lapas, period=period_parse(QUARTERLY, f"{year}-Q1"))["tables"][
        "training"
    ]

    (row,) = table["rows"]
    issuer = row.pop("issuer")
    assert issuer.startswith("BNSP / LSP") and issuer.endswith(": LSP Pariwisata Indonesia")
    assert row == {
        "lapas": lapas.name,
        "workshop": "Bengkel Roti",
        "scheme": "Pembuat Roti (Baker)",
        "courses": 1,
        "participants": 15,
        "certified": 12,
    }
    assert table["total"] == {"courses": 1, "participants": 15, "certified": 12}
