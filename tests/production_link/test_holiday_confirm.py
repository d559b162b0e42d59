"""Confirming the proposed public holidays: the reference data loads next year's holidays
as expected dates (to be checked against the joint decree); a central admin confirms them
in the admin, in one action; nobody else can."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from production_link.models import PublicHoliday
from production_link.pnbp.services import public_holidays_confirm

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/production_link/publicholiday/"


@pytest.fixture
def proposed(db):
    return [
        PublicHoliday.objects.create(
            date=datetime.date(2027, 3, 10), name="Idul Fitri", confirmed=False
        ),
        PublicHoliday.objects.create(
            date=datetime.date(2027, 3, 11), name="Idul Fitri", confirmed=False
        ),
        PublicHoliday.objects.create(
            date=datetime.date(2027, 5, 6), name="Waisak", confirmed=False
        ),
    ]


def _confirmed():
    return set(PublicHoliday.objects.filter(confirmed=True).values_list("date", flat=True))


def test_a_central_admin_confirms_the_selected_holidays_in_the_admin(
    client, central_admin, proposed
):
    client.force_login(central_admin)
    response = client.post(
        CHANGELIST,
        {"action": "confirm_holidays", "_selected_action": [proposed[0].pk, proposed[1].pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert _confirmed() == {datetime.date(2027, 3, 10), datetime.date(2027, 3, 11)}
    # The admin (outside the language-prefixed URLs) speaks the site language.
    assert "2 hari libur dikonfirmasi." in response.content.decode()


def test_confirming_again_changes_nothing(central_admin, proposed):
    ids = [h.pk for h in proposed]
    assert public_holidays_confirm(holiday_ids=ids, user=central_admin) == 3
    assert public_holidays_confirm(holiday_ids=ids, user=central_admin) == 0
    assert len(_confirmed()) == 3


def test_lapas_staff_cannot_confirm(workshop_staff, proposed, client):
    with pytest.raises(PermissionDenied):
        public_holidays_confirm(holiday_ids=[proposed[0].pk], user=workshop_staff)
    client.force_login(workshop_staff)
    client.post(CHANGELIST, {"action": "confirm_holidays", "_selected_action": [proposed[0].pk]})

    assert _confirmed() == set()
