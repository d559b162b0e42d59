"""Approving a report: who may, when, once; and what an approved report then shows."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from production_link.models import PnbpReport
from production_link.reports.periods import MONTHLY, QUARTERLY, period_containing, period_parse
from production_link.reports.selectors import report_read
from production_link.reports.services import report_approve
from shop.apps.core.services import user_assign_role
from tests.factories import LedgerEntryFactory, UserFactory
from tests.production_link.report_scenarios import october, wib

pytestmark = pytest.mark.django_db
D = Decimal
OCTOBER = period_parse(MONTHLY, "2026-10")


def role(username, code, lapas):
    return user_assign_role(
        user=UserFactory(username=username, first_name="Budi", last_name=username),
        role_code=code,
        lapas=lapas,
    )


@pytest.fixture
def scenario(lapas, other_lapas):
    return october(lapas, other_lapas)


@pytest.fixture
def head(lapas):
    return role("kalapas.tng", "kalapas", lapas)


def approve(user, lapas, period=OCTOBER):
    return report_approve(lapas=lapas, kind=period.kind, period_start=period.start, user=user)


def test_the_kalapas_approves_and_the_figures_are_frozen_as_json(scenario, head, lapas):
    report = approve(head, lapas)

    assert report.approved_by == head
    assert report.period_end.isoformat() == "2026-10-31"
    report.refresh_from_db()
    assert report.figures["summary"]["net"] == "100000"
    assert report.figures["summary"]["entries"] == 4
    assert report.figures["due_on"] == "2026-11-10"


def test_a_late_reversal_leaves_the_approved_figures_and_shows_a_notice(
    scenario, head, lapas, english
):
    approve(head, lapas)
    # A refund of one more loaf of the POS sale, booked after approval but dated October.
    LedgerEntryFactory(
        reverses=scenario.entries[1], due_at=wib(2026, 10, 30, 15, 0), lines=[(scenario.loaves, 1)]
    )

    view = report_read(lapas=lapas, period=OCTOBER)

    assert view.approved is not None
    assert view.figures["summary"]["net"] == D("100000")
    assert view.figures["summary"]["reversals"] == D("-15000")
    assert view.live["summary"]["net"] == D("85000")
    assert view.live_differs
    assert ("Net received", "Rp100,000", "Rp85,000") in view.differences


def test_an_approved_report_without_later_changes_has_no_notice(scenario, head, lapas):
    approve(head, lapas)

    view = report_read(lapas=lapas, period=OCTOBER)

    assert view.figures == view.live
    assert not view.live_differs
    assert view.differences == []


def test_approving_twice_is_refused_and_keeps_the_first(scenario, head, lapas, english):
    first = approve(head, lapas)
    other_head = role("kalapas.tng.2", "kalapas", lapas)

    with pytest.raises(ValidationError) as error:
        approve(other_head, lapas)

    assert "already approved by Budi kalapas.tng" in error.value.messages[0]
    assert list(PnbpReport.objects.all()) == [first]
    assert PnbpReport.objects.get().approved_by == head


def test_a_period_that_has_not_ended_cannot_be_approved(head, lapas, english):
    this_month = period_containing(MONTHLY, timezone.localdate())

    with pytest.raises(ValidationError) as error:
        approve(head, lapas, this_month)

    assert "has not ended yet" in error.value.message_dict["period"][0]
    assert not PnbpReport.objects.exists()


def test_only_the_first_day_of_a_period_starts_it(head, lapas, english):
    with pytest.raises(ValidationError) as error:
        report_approve(
            lapas=lapas, kind=QUARTERLY, period_start=OCTOBER.start.replace(month=8), user=head
        )

    assert "not the first day of a period" in error.value.message_dict["period"][0]


def test_only_the_kalapas_of_that_lapas_approves(
    scenario, lapas, other_lapas, central_admin, english
):
    treasurer = role("bendahara.tng", "treasurer", lapas)
    foreign_head = role("kalapas.cpn", "kalapas", other_lapas)
    staff = role("staf.tng", "workshop_staff", lapas)

    for user in (treasurer, foreign_head, staff, central_admin):
        with pytest.raises(PermissionDenied) as error:
            approve(user, lapas)
        assert "Only the head of this Lapas" in str(error.value)
    assert not PnbpReport.objects.exists()


def test_the_national_report_is_approved_by_a_central_admin_only(scenario, head, central_admin):
    with pytest.raises(PermissionDenied):
        approve(head, None)

    report = approve(central_admin, None)

    assert report.lapas is None
    assert report.figures["summary"]["net"] == "200000"
    with pytest.raises(ValidationError):
        approve(central_admin, None)
