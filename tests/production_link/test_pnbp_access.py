"""Who sees and does what with the PNBP ledger: pages, API and admin, scoped by Lapas."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from production_link.models import Deposit, LedgerEntry, RevenueSplit
from production_link.pnbp.services import pnbp_alerts_raise, pnbp_record_sale
from tests.factories import ProductFactory, WorkshopFactory

from .pnbp_support import paid_on, place, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer(lapas):
    return role_user("bendahara.tng", "treasurer", lapas)


@pytest.fixture
def other_treasurer(other_lapas):
    return role_user("bendahara.cpn", "treasurer", other_lapas)


@pytest.fixture
def kalapas(lapas):
    return role_user("kalapas.tng", "kalapas", lapas)


@pytest.fixture
def batik(other_lapas):
    return ProductFactory(
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Batik", code="BATIK"),
        stockrecord__price=Decimal(275000),
        stockrecord__num_in_stock=5,
    )


@pytest.fixture
def entries(product, batik, central_admin):
    """One sale each for Tangerang and Cipinang, paid ten days ago (so overdue)."""
    long_ago = timezone.now() - datetime.timedelta(days=10)
    own = pnbp_record_sale(order=paid_on(place((product, 1)), central_admin, long_ago))[0]
    other = pnbp_record_sale(order=paid_on(place((batik, 1)), central_admin, long_ago))[0]
    return own, other


def url(name, **kwargs):
    return reverse(f"pnbp_dashboard:{name}", kwargs=kwargs or None)


def test_the_treasurer_sees_only_their_own_lapas(client, treasurer, entries):
    own, other = entries
    client.force_login(treasurer)

    page = client.get(url("entry-list"))

    assert page.status_code == 200
    assert [row["entry"].pk for row in page.context["rows"]] == [own.pk]
    assert client.get(url("entry-detail", pk=own.pk)).status_code == 200
    assert client.get(url("entry-detail", pk=other.pk)).status_code == 404
    assert client.get(url("entry-list") + f"?lapas={other.lapas_id}").status_code == 404


def test_central_admin_sees_every_lapas(client, central_admin, entries):
    client.force_login(central_admin)

    page = client.get(url("entry-list"))

    assert {row["entry"].pk for row in page.context["rows"]} == {e.pk for e in entries}


@pytest.mark.parametrize("who", ["workshop_staff", "buyer"])
def test_workshop_staff_and_buyers_are_refused(client, request, entries, who):
    client.force_login(request.getfixturevalue(who))

    for name, kwargs in (
        ("entry-list", {}),
        ("entry-detail", {"pk": entries[0].pk}),
        ("deposit-list", {}),
        ("split-list", {}),
    ):
        assert client.get(url(name, **kwargs)).status_code == 403
    assert client.post(url("deposit-create"), {"lapas": entries[0].lapas_id}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, entries):
    response = client.get(url("entry-list"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_entry_page_shows_workshop_and_batch_but_no_buyer(client, treasurer, entries):
    own, _other = entries
    client.force_login(treasurer)

    body = client.get(url("entry-detail", pk=own.pk)).content.decode()

    line = own.lines.get()
    assert line.workshop.name in body and line.batch.code in body
    assert own.order.email not in body


def test_overdue_entries_are_highlighted_with_their_deadline(client, treasurer, entries):
    client.force_login(treasurer)

    page = client.get(url("entry-list") + "?overdue=1")

    [row] = page.context["rows"]
    assert row["overdue"] and row["deadline"] < timezone.now()
    assert "table-danger" in page.content.decode()


def test_the_treasurer_deposits_through_the_pages(client, treasurer, entries, lapas):
    own, other = entries
    client.force_login(treasurer)

    response = client.post(url("deposit-create"), {"lapas": lapas.pk, "entries": [own.pk]})
    deposit = Deposit.objects.get()
    assert response["Location"] == url("deposit-detail", pk=deposit.pk)

    with translation.override("en"):
        bad = client.post(
            url("deposit-billing", pk=deposit.pk),
            {"billing_code": "1234", "billing_expires_at": "2099-01-01T12:00"},
        )
    assert bad.status_code == 200
    assert "15 digits" in " ".join(bad.context["billing_form"].errors["billing_code"])

    expires = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    client.post(
        url("deposit-billing", pk=deposit.pk),
        {"billing_code": "820261122000123", "billing_expires_at": f"{expires}T23:59"},
    )
    client.post(
        url("deposit-ntpn", pk=deposit.pk),
        {"ntpn": "0A1B2C3D4E5F6G7H", "paid_on": timezone.localdate().isoformat()},
    )

    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.PAID and deposit.ntpn == "0A1B2C3D4E5F6G7H"
    page = client.get(url("deposit-detail", pk=deposit.pk))
    assert not page.context["may_change"]


def test_another_lapas_deposit_and_entries_are_out_of_reach(
    client, treasurer, other_treasurer, entries, lapas, other_lapas
):
    own, other = entries
    client.force_login(other_treasurer)

    # Their own Lapas with our entry: refused by the service, nothing made.
    client.post(url("deposit-create"), {"lapas": other_lapas.pk, "entries": [own.pk]})
    # Our Lapas: not theirs to see.
    response = client.post(url("deposit-create"), {"lapas": lapas.pk, "entries": [own.pk]})
    assert response.status_code == 404
    assert not Deposit.objects.exists()

    client.force_login(treasurer)
    client.post(url("deposit-create"), {"lapas": lapas.pk, "entries": [own.pk]})
    deposit = Deposit.objects.get()
    client.force_login(other_treasurer)
    assert client.get(url("deposit-detail", pk=deposit.pk)).status_code == 404
    assert (
        client.post(
            url("deposit-ntpn", pk=deposit.pk),
            {"ntpn": "0A1B2C3D4E5F6G7H", "paid_on": timezone.localdate().isoformat()},
        ).status_code
        == 404
    )


def test_the_kalapas_sees_the_ledger_sets_the_split_but_does_not_deposit(
    client, kalapas, treasurer, entries, lapas
):
    own, _other = entries
    client.force_login(kalapas)
    assert client.get(url("entry-list")).status_code == 200
    assert (
        client.post(url("deposit-create"), {"lapas": lapas.pk, "entries": [own.pk]}).status_code
        == 403
    )

    start = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url("split-list"),
        {
            "lapas": lapas.pk,
            "effective_from": start,
            "pnbp": "85",
            "premi": "10",
            "working_capital": "5",
            "programme": "0",
        },
    )
    assert response.status_code == 302
    assert RevenueSplit.objects.get().premi_percent == Decimal("10.00")

    client.force_login(treasurer)  # sees the split, may not set one
    assert client.get(url("split-list")).status_code == 200
    assert client.post(url("split-list"), {"lapas": lapas.pk}).status_code == 403


def test_a_split_that_does_not_add_up_is_shown_on_the_form(client, kalapas, lapas):
    client.force_login(kalapas)

    with translation.override("en"):
        response = client.post(
            reverse("pnbp_dashboard:split-list"),
            {
                "lapas": lapas.pk,
                "effective_from": timezone.localdate().isoformat(),
                "pnbp": "90",
                "premi": "20",
                "working_capital": "0",
                "programme": "0",
            },
        )

    assert response.status_code == 200
    assert "add up to 100" in " ".join(response.context["form"].non_field_errors())
    assert not RevenueSplit.objects.exists()


def test_the_dashboard_home_warns_the_treasurer_of_overdue_deposits(
    client, treasurer, other_treasurer, entries
):
    own, _other = entries
    pnbp_alerts_raise(notify=False)

    client.force_login(treasurer)
    body = client.get(reverse("dashboard:index")).content.decode()
    assert "pnbp-overdue" in body and own.order.number in body

    client.force_login(other_treasurer)
    body = client.get(reverse("dashboard:index")).content.decode()
    assert own.order.number not in body


def test_the_menu_shows_pnbp_to_treasurers_only(client, treasurer, workshop_staff):
    client.force_login(treasurer)
    assert url("entry-list") in client.get(reverse("dashboard:index")).content.decode()

    client.force_login(workshop_staff)
    assert url("entry-list") not in client.get(reverse("dashboard:index")).content.decode()


def test_the_admin_keeps_the_ledger_read_only(client, central_admin, entries):
    own, _other = entries
    client.force_login(central_admin)

    assert client.get("/admin/production_link/ledgerentry/").status_code == 200
    assert client.get("/admin/production_link/ledgerentry/add/").status_code == 403
    assert (
        client.post(
            f"/admin/production_link/ledgerentry/{own.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    change = client.post(
        f"/admin/production_link/ledgerentry/{own.pk}/change/", {"gross": "1", "channel": "pos"}
    )
    assert change.status_code == 403
    assert LedgerEntry.objects.get(pk=own.pk).gross == Decimal(150000)
    assert client.get("/admin/production_link/publicholiday/add/").status_code == 200


def test_central_admin_adds_a_split_in_the_admin_checked_like_the_dashboard(
    client, central_admin, lapas
):
    client.force_login(central_admin)
    data = {
        "lapas": lapas.pk,
        "effective_from": timezone.localdate().isoformat(),
        "pnbp_percent": "90",
        "premi_percent": "5",
        "working_capital_percent": "0",
        "programme_percent": "0",
    }

    refused = client.post("/admin/production_link/revenuesplit/add/", data)
    assert refused.status_code == 200 and not RevenueSplit.objects.exists()

    saved = client.post("/admin/production_link/revenuesplit/add/", {**data, "premi_percent": "10"})
    assert saved.status_code == 302
    assert RevenueSplit.objects.get().created_by == central_admin


# --- API ----------------------------------------------------------------------------------


def test_the_api_lists_the_treasurers_own_entries(client, treasurer, entries, lapas):
    own, _other = entries
    client.force_login(treasurer)

    data = client.get("/api/v1/pnbp/entries").json()

    assert data["count"] == 1
    [item] = data["items"]
    assert item["id"] == own.pk and item["order"] == own.order.number
    assert Decimal(item["gross"]) == Decimal(150000) and item["deposit_state"] == "undeposited"
    assert client.get(f"/api/v1/pnbp/entries?lapas={lapas.short_code}").json()["count"] == 1
    detail = client.get(f"/api/v1/pnbp/entries/{own.pk}").json()
    assert detail["lines"][0]["workshop"] == own.lines.get().workshop.name


def test_the_api_filters_by_date(client, treasurer, entries):
    client.force_login(treasurer)
    received = timezone.localtime(entries[0].due_at).date()
    day = datetime.timedelta(days=1)

    def count(query):
        return client.get(f"/api/v1/pnbp/entries?{query}").json()["count"]

    assert count(f"from={received}&to={received}") == 1
    assert count(f"from={received + day}") == 0
    assert count(f"to={received - day}") == 0


def test_the_api_refuses_other_lapas_and_other_roles(
    client, treasurer, workshop_staff, buyer, entries, other_lapas
):
    _own, other = entries

    assert client.get("/api/v1/pnbp/entries").status_code == 401
    client.force_login(treasurer)
    assert client.get(f"/api/v1/pnbp/entries?lapas={other_lapas.short_code}").status_code == 404
    assert client.get(f"/api/v1/pnbp/entries/{other.pk}").status_code == 404
    for user in (workshop_staff, buyer):
        client.force_login(user)
        assert client.get("/api/v1/pnbp/entries").status_code == 403
        assert client.get("/api/v1/pnbp/deposits").status_code == 403


def test_the_api_lists_the_treasurers_own_deposits(
    client, treasurer, other_treasurer, entries, lapas
):
    own, _other = entries
    from production_link.pnbp.services import deposit_create

    deposit = deposit_create(lapas=lapas, entry_ids=[own.pk], user=treasurer)

    client.force_login(treasurer)
    [item] = client.get("/api/v1/pnbp/deposits").json()["items"]
    assert item["id"] == deposit.pk and item["entry_ids"] == [own.pk]
    assert client.get(f"/api/v1/pnbp/deposits/{deposit.pk}").status_code == 200

    client.force_login(other_treasurer)
    assert client.get("/api/v1/pnbp/deposits").json()["count"] == 0
    assert client.get(f"/api/v1/pnbp/deposits/{deposit.pk}").status_code == 404
