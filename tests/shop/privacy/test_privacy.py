"""Buyers' personal data (UU 27/2022): the notice, the download, the erasure and the
retention of guest orders' contact data, with their audit lines and refusals."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import Subscriber
from production_link.models import Allocation, LedgerEntry
from shop.payments.services import order_mark_paid
from shop.privacy import services
from shop.privacy.models import PersonalDataEvent
from shop.privacy.tasks import guest_orders_anonymise
from tests.factories import UserFactory
from tests.shop.receipts.test_receipts import placed

User = get_user_model()
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Basket = get_model("basket", "Basket")
ProductReview = get_model("reviews", "ProductReview")
Email = get_model("communication", "Email")
Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


@pytest.fixture
def history(product, buyer, central_admin):
    """The buyer's paid order, address book, open basket, review, newsletter subscription
    and a stored e-mail; and an order they once placed as a guest with the same address."""
    order = placed(product, user=buyer)
    order_mark_paid(order_id=order.pk, user=central_admin, reference="TRF-1")
    as_guest = placed(product, guest_email="PEMBELI@example.test", quantity=1)
    order_mark_paid(order_id=as_guest.pk, user=central_admin)
    UserAddress.objects.create(
        user=buyer,
        first_name="Dewi",
        line1="Jl. Kenanga 3",
        line4="Kota Tangerang",
        state="Banten",
        postcode="15112",
        country=Country.objects.get(iso_3166_1_a2="ID"),
    )
    Basket.objects.create(owner=buyer)
    ProductReview.objects.create(
        product=product, user=buyer, score=5, title="Enak", body="Rotinya lembut.", status=1
    )
    Subscriber.objects.create(email="pembeli@example.test", language="id")
    Email.objects.create(user=buyer, email=buyer.email, subject="Pesanan", body_text="Halo Dewi")
    return Order.objects.get(pk=order.pk), Order.objects.get(pk=as_guest.pk)


def erase(client, user, password=PASSWORD, confirm=True):
    client.force_login(user)
    data = {"password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("privacy:erase"), data)


# --- the notice and the links --------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Pemberitahuan privasi"), ("/en", "Privacy notice")]
)
def test_the_notice_is_public_in_both_languages_and_linked_from_the_footer(
    client, prefix, heading, settings
):
    settings.KARYA_GUEST_DATA_RETENTION_DAYS = 400
    page = client.get(f"{prefix}/privacy/")
    home_of_catalogue = client.get(f"{prefix}/catalogue/")

    html = page.content.decode()
    assert page.status_code == 200
    assert heading in html and "27" in html and "400" in html
    assert f'href="{prefix}/privacy/"' in home_of_catalogue.content.decode()


def test_the_profile_page_links_the_data_download(client, buyer):
    client.force_login(buyer)

    html = client.get(reverse("customer:profile-view")).content.decode()

    assert reverse("privacy:account") in html


# --- the download --------------------------------------------------------------------------


def test_the_buyer_downloads_their_data_as_json_and_staff_see_the_audit_line(
    client, buyer, history
):
    order, as_guest = history
    client.force_login(buyer)

    response = client.post(reverse("privacy:export"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "pembeli@example.test"
    assert [a["line1"] for a in data["addresses"]] == ["Jl. Kenanga 3"]
    assert {o["number"] for o in data["orders"]} == {order.number, as_guest.number}
    mine = next(o for o in data["orders"] if o["number"] == order.number)
    assert mine["shipping_address"]["line1"] == "Jl. Merdeka No. 10"
    assert mine["payment"]["method"] == "bank_transfer"
    assert Decimal(mine["total"]) == Decimal("318000")
    assert data["newsletter"][0]["status"] == "pending"
    assert data["reviews"][0]["body"] == "Rotinya lembut."
    (event,) = PersonalDataEvent.objects.all()
    assert event.kind == "export" and event.user == buyer and event.detail["orders"] == 2
    assert "pembeli@example.test" not in json.dumps(event.detail)


def test_the_download_is_a_post_of_a_signed_in_buyer(client, buyer):
    assert client.post(reverse("privacy:export")).status_code == 302  # to the login page
    client.force_login(buyer)
    assert client.get(reverse("privacy:export")).status_code == 405
    assert PersonalDataEvent.objects.count() == 0


# --- the erasure ---------------------------------------------------------------------------


def test_an_erasure_removes_the_personal_data_and_keeps_the_books(client, buyer, history):
    order, as_guest = history
    entries_before = list(LedgerEntry.objects.order_by("pk").values())
    batch = order.lines.get().allocations.get().batch

    response = erase(client, buyer)

    assert response.status_code == 302 and response["Location"].endswith("/privacy/")
    buyer.refresh_from_db()
    assert buyer.username == f"erased-{buyer.pk}" and buyer.email == ""
    assert buyer.first_name == "" and not buyer.is_active and not buyer.has_usable_password()
    for kept in (order, as_guest):
        kept.refresh_from_db()
        assert kept.total_incl_tax in (Decimal("318000"), Decimal("168000"))
        assert kept.recorded_payment.amount == kept.total_incl_tax
        assert kept.guest_email == ""
        address = kept.shipping_address
        assert (address.first_name, address.line1, address.postcode) == ("", "", "")
        assert str(address.phone_number or "") == "" and address.search_text == ""
        assert address.state == "Banten"  # the province stays: where the goods went
    assert order.user_id == buyer.pk  # the order stays the (now nameless) account's
    assert not UserAddress.objects.filter(user=buyer).exists()
    assert not Basket.objects.filter(owner=buyer, status="Open").exists()
    review = ProductReview.objects.get()
    assert review.user is None and review.name == "" and review.score == 5
    assert not Subscriber.objects.exists()
    assert not Email.objects.filter(email__iexact="pembeli@example.test").exists()
    # The ledger is untouched and the trace from batch to sale holds.
    assert list(LedgerEntry.objects.order_by("pk").values()) == entries_before
    assert Allocation.objects.filter(batch=batch, line__order=order).exists()
    trace = client.get(reverse("production_link:trace", kwargs={"code": batch.code}))
    assert trace.status_code == 200
    (event,) = PersonalDataEvent.objects.filter(kind="erasure")
    assert event.account_ref == f"user #{buyer.pk}" and event.detail["orders"] == 2
    # The session is over.
    assert client.get(reverse("customer:profile-view")).status_code == 302


def test_pnbp_reconcile_is_clean_after_an_erasure(client, buyer, history):
    erase(client, buyer)

    out = io.StringIO()
    call_command("pnbp_reconcile", stdout=out)  # raises CommandError on a difference

    assert LedgerEntry.objects.count() == 2


def test_a_wrong_password_erases_nothing(client, buyer, history):
    response = erase(client, buyer, password="bukan-ini")

    buyer.refresh_from_db()
    assert response.status_code == 200
    assert (
        "Nothing was erased" in response.content.decode()
        or "Tidak ada" in response.content.decode()
    )
    assert buyer.username == "pembeli" and buyer.is_active
    assert UserAddress.objects.filter(user=buyer).exists()
    assert not PersonalDataEvent.objects.exists()


def test_the_erasure_needs_the_tick_and_a_post(client, buyer):
    assert erase(client, buyer, confirm=False).status_code == 200
    assert client.get(reverse("privacy:erase")).status_code == 200  # the form only
    buyer.refresh_from_db()
    assert buyer.is_active and not PersonalDataEvent.objects.exists()


def test_a_second_erasure_is_harmless(buyer, history):
    first = services.account_erase(user=buyer)
    second = services.account_erase(user=buyer)

    assert first is not None and second is None
    assert PersonalDataEvent.objects.filter(kind="erasure").count() == 1


def test_the_erase_page_refuses_a_signed_out_visitor(client):
    response = client.post(reverse("privacy:erase"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302 and "login" in response["Location"]


def test_oscars_delete_profile_link_leads_to_the_erasure(buyer):
    assert reverse("customer:profile-delete") == reverse("privacy:erase")


@pytest.mark.parametrize("role", ["central_admin", "workshop_staff"])
def test_a_staff_account_is_not_erased_from_the_shop(client, role, request):
    staff = request.getfixturevalue(role)

    response = erase(client, staff)

    staff.refresh_from_db()
    assert response.status_code == 403 and staff.is_active
    with pytest.raises(services.ErasureRefused):
        services.account_erase(user=staff)
    assert not PersonalDataEvent.objects.exists()


def test_an_institutional_buyer_may_erase_their_account(client):
    from shop.apps.core.services import user_assign_role

    institution = user_assign_role(
        user=UserFactory(username="instansi"), role_code="institutional_buyer"
    )

    assert erase(client, institution).status_code == 302


# --- retention of guest orders' contact data --------------------------------------------------


def test_the_retention_job_anonymises_old_guest_orders_once(product, central_admin, settings):
    settings.KARYA_GUEST_DATA_RETENTION_DAYS = 30
    old = placed(product, guest_email="lama@example.test", quantity=1)
    recent = placed(product, guest_email="baru@example.test", quantity=1)
    order_mark_paid(order_id=old.pk, user=central_admin)
    Order.objects.filter(pk=old.pk).update(date_placed=timezone.now() - datetime.timedelta(days=31))
    entries_before = list(LedgerEntry.objects.values())

    assert guest_orders_anonymise.delay().get() == 1
    assert guest_orders_anonymise.delay().get() == 0  # idempotent: nothing left to do

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.guest_email == "" and old.shipping_address.line1 == ""
    assert old.checkout.guest_email == ""
    assert recent.guest_email == "baru@example.test"
    assert recent.shipping_address.line1 == "Jl. Merdeka No. 10"
    assert list(LedgerEntry.objects.values()) == entries_before
    (event,) = PersonalDataEvent.objects.filter(kind="retention")
    assert event.detail["orders"] == 1


def test_the_retention_job_takes_ids_and_leaves_a_recent_order_alone(product, settings):
    settings.KARYA_GUEST_DATA_RETENTION_DAYS = 30
    recent = placed(product, guest_email="baru@example.test", quantity=1)

    assert guest_orders_anonymise(order_ids=[recent.pk]) == 0

    recent.refresh_from_db()
    assert recent.guest_email == "baru@example.test"
    assert not PersonalDataEvent.objects.exists()


def test_the_retention_job_runs_every_night():
    from shop.celery import app

    entry = app.conf.beat_schedule["privacy-guest-orders-anonymise"]
    assert entry["task"] == "privacy.guest_orders_anonymise"


def test_the_retention_job_takes_the_ids_of_old_orders(product, settings):
    settings.KARYA_GUEST_DATA_RETENTION_DAYS = 30
    old, other_old = (
        placed(product, guest_email=f"lama{i}@example.test", quantity=1) for i in (1, 2)
    )
    Order.objects.filter(pk__in=[old.pk, other_old.pk]).update(
        date_placed=timezone.now() - datetime.timedelta(days=40)
    )

    assert guest_orders_anonymise(order_ids=[old.pk]) == 1

    old.refresh_from_db()
    other_old.refresh_from_db()
    assert old.guest_email == "" and other_old.guest_email == "lama2@example.test"


# --- the audit lines -------------------------------------------------------------------------


def test_central_staff_read_the_audit_lines_and_cannot_change_them(
    client, buyer, central_admin, workshop_staff
):
    services.personal_data_export(user=buyer)
    services.account_erase(user=buyer)
    url = reverse("admin:privacy_personaldataevent_changelist")

    client.force_login(central_admin)
    listing = client.get(url).content.decode()
    event = PersonalDataEvent.objects.filter(kind="erasure").get()
    change = client.post(
        reverse("admin:privacy_personaldataevent_change", args=[event.pk]), {"account_ref": "x"}
    )
    client.force_login(workshop_staff)
    refused = client.get(url)

    assert listing.count(f"user #{buyer.pk}") == 2
    assert change.status_code == 403
    assert refused.status_code == 302  # the admin's own login page: not staff
