"""The regional officer: sees the Lapas of their region side by side, reads their reports
and monev, changes nothing of theirs, and sees nothing of another region."""

import datetime

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import resolve

from production_link.models import Batch, Deposit, PnbpReport, RevenueSplit
from production_link.pnbp.services import deposit_create
from production_link.programme import services
from production_link.programme.models import (
    BudgetLine,
    Finding,
    FollowUp,
    Milestone,
    MonevAnswer,
    MonevAssessment,
    Programme,
)
from production_link.programme.regions import lapas_ids_visible_to, lapas_visible_to
from production_link.reports.services import report_approve
from shop.apps.core import policy
from tests.factories import LedgerEntryFactory
from tests.production_link.report_scenarios import make_batch, wib
from tests.shop.core.test_policy import walk

from .conftest import Q3

pytestmark = pytest.mark.django_db


def test_the_officer_sees_the_lapas_of_their_region_only(
    officer, far_officer, central_admin, head, lapas, other_lapas, far_lapas
):
    assert set(lapas_visible_to(officer)) == {lapas, other_lapas}
    assert lapas_ids_visible_to(far_officer) == [far_lapas.pk]
    assert set(lapas_visible_to(central_admin)) >= {lapas, other_lapas, far_lapas}
    assert list(lapas_visible_to(head)) == [lapas]


@pytest.fixture
def world(lapas, other_lapas, far_lapas, head, bread, indicators, central_admin):
    batch = make_batch(bread, made=datetime.date(2026, 8, 1), produced=10, stock=5)
    entry = LedgerEntryFactory(lapas=lapas, due_at=wib(2026, 8, 2, 9), lines=[(batch, 2, "20000")])
    deposit = deposit_create(lapas=lapas, entry_ids=[entry.pk], user=central_admin)
    programme = services.programme_save(
        user=head, workshop=bread.workshop, year=2026, target_units=100
    )
    services.budget_line_add(
        user=head, programme=programme, item="Tepung", volume="1", unit="sak", unit_cost="1",
        funding_source="dipa",
    )  # fmt: skip
    services.milestone_add(
        user=head, programme=programme, title="Oven", due_on=datetime.date(2026, 5, 1)
    )
    services.monev_record(user=head, lapas=lapas, period=Q3, answers={"rencana": "3"})
    services.follow_up_add(
        user=head,
        lapas=lapas,
        period=Q3,
        action="Latih QC",
        owner_role="workshop_staff",
        due_on=datetime.date(2026, 10, 1),
    )
    report = report_approve(lapas=lapas, kind=Q3.kind, period_start=Q3.start, user=head)
    return {"batch": batch, "deposit": deposit, "programme": programme, "report": report}


SNAPSHOT = (
    Programme,
    BudgetLine,
    Milestone,
    MonevAssessment,
    MonevAnswer,
    Finding,
    FollowUp,
    PnbpReport,
    Batch,
    Deposit,
    RevenueSplit,
)


def _snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT}


def _post(user, url, data):
    match = resolve(url)
    request = RequestFactory().post(url, data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    request.resolver_match = match
    try:
        return match.func(request, *match.args, **match.kwargs).status_code
    except PermissionDenied:
        return 403
    except Http404:
        return 404


def _value(name, param, world):
    if param == "fmt":
        return "csv"
    if (name or "").startswith("programme_dashboard:programme"):
        return world["programme"].pk
    if (name or "").startswith("production_dashboard:"):
        return world["batch"].pk
    if (name or "").startswith("pnbp_dashboard:deposit"):
        return world["deposit"].pk
    return 1


def test_the_officer_is_refused_every_write(world, officer, lapas, english):
    """Every page of the site, posted to by the officer with data aimed at a Lapas of
    their own region: nothing of the Lapas changes."""
    from django.urls import reverse

    payload = {
        "lapas": lapas.pk,
        "kind": "quarterly",
        "period": Q3.key,
        "workshop": world["batch"].workshop_id,
        "year": "2026",
        "target_units": "5",
        "item": "x",
        "volume": "1",
        "unit": "kg",
        "unit_cost": "1",
        "funding_source": "dipa",
        "title": "x",
        "due_on": "2026-10-01",
        "line": world["programme"].budget_lines.get().pk,
        "milestone": world["programme"].milestones.get().pk,
        "answer-rencana": "5",
        "text": "x",
        "action": "x",
        "owner_role": "kalapas",
        "follow_up": FollowUp.objects.get().pk,
        "status": "dropped",
        "report": world["report"].pk,
        "entry_ids": str(world["deposit"].items.get().entry_id),
    }
    before = _snapshot()
    tried = 0
    for route, name, pattern in walk():
        if not name or name.startswith(("admin:", "wagtail")) or route.startswith(("cms/", "api/")):
            continue
        rule = policy.rule_for_route(name, route)
        if rule.public or rule.signed_in or rule.signed_out or rule.guard:
            continue
        kwargs = {p: _value(name, p, world) for p in pattern.pattern.converters}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001  (a pattern our values do not fit: not a write of ours)
            continue
        status = _post(officer, url, payload)
        tried += 1
        # (a page that only reads answers a POST like a GET: 200 is no write)
        assert status in (200, 302, 400, 403, 404, 405), f"{name}: {status}"
    assert tried > 50
    assert _snapshot() == before


def test_the_region_page_compares_its_lapas(client, world, officer, lapas, other_lapas, far_lapas):
    client.force_login(officer)
    response = client.get(
        "/en/dashboard/programme/region/", {"kind": "quarterly", "period": Q3.key}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert lapas.name in body and other_lapas.name in body
    assert far_lapas.name not in body
    assert "Rp40,000" in body  # the sale of the quarter


def test_the_officer_reads_reports_of_the_region_and_not_of_another(
    client, world, officer, lapas, far_lapas
):
    client.force_login(officer)
    url = "/en/dashboard/pnbp-reports/report/"
    own = client.get(url, {"kind": "quarterly", "period": Q3.key, "lapas": lapas.pk})
    assert own.status_code == 200
    assert "Approve report" not in own.content.decode()
    other = client.get(url, {"kind": "quarterly", "period": Q3.key, "lapas": far_lapas.pk})
    assert other.status_code == 403
    monev = client.get("/en/dashboard/programme/monev/", {"lapas": far_lapas.pk})
    assert monev.status_code == 403
    page = client.get(f"/en/dashboard/programme/{world['programme'].pk}/")
    assert page.status_code == 200
    assert "Add budget line" not in page.content.decode()


def test_another_region_does_not_see_the_programme(client, world, far_officer):
    client.force_login(far_officer)
    assert client.get(f"/en/dashboard/programme/{world['programme'].pk}/").status_code == 404


def test_central_admins_see_every_region(client, world, central_admin, region, far_region):
    client.force_login(central_admin)
    response = client.get("/en/dashboard/programme/region/", {"region": far_region.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert far_region.name in body and region.name in body  # the region picker lists both


def test_the_kalapas_edits_the_programme_on_its_page(client, world, head, english):
    client.force_login(head)
    url = f"/en/dashboard/programme/{world['programme'].pk}/"
    client.post(
        url + "budget/",
        {
            "item": "Gula",
            "volume": "2",
            "unit": "kg",
            "unit_cost": "12.5",
            "funding_source": "dipa",
        },
    )
    assert world["programme"].budget_lines.count() == 1  # refused: not whole rupiah
    response = client.get(url)
    assert "Enter an amount in whole rupiah." in response.content.decode()
    client.post(
        url + "budget/",
        {
            "item": "Gula",
            "volume": "2",
            "unit": "kg",
            "unit_cost": "14000",
            "funding_source": "dipa",
        },
    )
    assert world["programme"].budget_lines.get(item="Gula").total == 28000
