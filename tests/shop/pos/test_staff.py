"""Supervisors' dashboard pages: locations, transfers, sessions, conflicts, payments to
verify, QRIS and PIN; scoped to their own Lapas."""

import datetime
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from production_link.models import BatchStock
from production_link.services import batch_recall, stock_location_warehouse
from shop.pos.models import PosConflict, PosLapasSettings, PosLocation, PosSale, StockTransfer
from shop.pos.services import sale_record
from tests.factories import released_batch

from .conftest import batch_at, role_user, sale

pytestmark = pytest.mark.django_db


def test_a_supervisor_creates_an_exhibition_with_cashiers(client, supervisor, cashier, lapas):
    client.force_login(supervisor)
    form = client.get("/dashboard/pos/locations/new/")
    assert form.status_code == 200 and "kasir.tangerang" in form.content.decode()

    response = client.post(
        "/dashboard/pos/locations/new/",
        {
            "lapas": lapas.pk,
            "kind": "exhibition",
            "name": "Pameran Produk Pemasyarakatan",
            "venue": "Lapangan Banteng",
            "city": "Jakarta Pusat",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-05",
            "is_active": "on",
            "cashiers": [cashier.pk],
        },
    )

    assert response.status_code == 302
    location = PosLocation.objects.get(stock_location__name="Pameran Produk Pemasyarakatan")
    assert location.kind == "exhibition" and location.city == "Jakarta Pusat"
    assert location.starts_on == datetime.date(2026, 12, 1)
    assert list(location.cashiers.all()) == [cashier]
    assert location.stock_location.fulfils_online is False
    assert "Pameran Produk" in client.get("/dashboard/pos/locations/").content.decode()


def test_an_exhibition_needs_dates_and_buyers_cannot_sell(client, supervisor, lapas, buyer):
    client.force_login(supervisor)

    response = client.post(
        "/dashboard/pos/locations/new/",
        {"lapas": lapas.pk, "kind": "exhibition", "name": "Tanpa tanggal", "cashiers": []},
    )

    assert response.status_code == 200 and not PosLocation.objects.exists()
    lapas.users.add(buyer)  # even a member of the Lapas is not a cashier without the role
    response = client.post(
        "/dashboard/pos/locations/new/",
        {"lapas": lapas.pk, "kind": "gallery", "name": "Galeri", "cashiers": [buyer.pk]},
    )
    assert response.status_code == 200 and not PosLocation.objects.exists()


@pytest.mark.parametrize("who", ["workshop_staff", "buyer", "cashier"])
def test_others_cannot_open_the_pos_dashboard(request, client, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/dashboard/pos/locations/").status_code == 403
    assert client.get("/dashboard/pos/conflicts/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get("/dashboard/pos/sessions/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_supervisor_sees_only_their_lapas(client, gallery, other_lapas):
    outsider = role_user("kalapas.cipinang", "kalapas", other_lapas)
    client.force_login(outsider)

    assert "Galeri Karya Tangerang" not in client.get("/dashboard/pos/locations/").content.decode()
    assert client.get(f"/dashboard/pos/locations/{gallery.pk}/").status_code == 404


def test_the_menu_shows_the_point_of_sale_to_supervisors(client, supervisor, workshop_staff):
    client.force_login(supervisor)
    assert "/dashboard/pos/locations/" in client.get("/dashboard/").content.decode()
    client.force_login(workshop_staff)
    assert "/dashboard/pos/locations/" not in client.get("/dashboard/").content.decode()


def test_send_receive_and_return_through_the_pages(client, supervisor, lapas, gallery, bag):
    batch = released_batch(product=bag, quantity=8)
    warehouse = stock_location_warehouse(lapas=lapas)
    client.force_login(supervisor)
    assert batch.code in client.get("/dashboard/pos/transfers/new/").content.decode()

    response = client.post(
        "/dashboard/pos/transfers/new/",
        {"lapas": lapas.pk, "destination": gallery.pk, f"qty_{batch.pk}": "6", "note": ""},
    )
    transfer = StockTransfer.objects.get()
    assert response.status_code == 302
    line = transfer.lines.get()
    refused = client.post(
        f"/dashboard/pos/transfers/{transfer.pk}/",
        {f"received_{line.pk}": "5", f"reason_{line.pk}": ""},
    )
    assert refused.status_code == 200
    client.post(
        f"/dashboard/pos/transfers/{transfer.pk}/",
        {f"received_{line.pk}": "5", f"reason_{line.pk}": "Satu hilang"},
    )
    client.post(f"/dashboard/pos/transfers/{transfer.pk}/return/", {f"return_{line.pk}": "4"})

    transfer.refresh_from_db()
    assert transfer.status == StockTransfer.Status.RETURNED
    stock = dict(BatchStock.objects.filter(batch=batch).values_list("location_id", "quantity"))
    assert stock == {warehouse.pk: 6, gallery.stock_location_id: 1}


def test_resolve_a_conflict_from_another_batch(
    client, supervisor, session, cashier, gallery, bag, bag_batch
):
    other = batch_at(gallery, product=bag, quantity=4)
    batch_recall(batch_id=bag_batch.pk, reason="Luntur", user=supervisor)
    result = sale_record(user=cashier, data=sale(session, (bag, bag_batch.code, 2, 140000)))
    conflict = PosConflict.objects.get()
    client.force_login(supervisor)
    assert result["status"] == "conflict"
    assert other.code in client.get(f"/dashboard/pos/conflicts/{conflict.pk}/").content.decode()

    client.post(
        f"/dashboard/pos/conflicts/{conflict.pk}/",
        {"action": "record", "batch_0": other.code, "record-note": "Diganti batch lain"},
    )

    conflict.refresh_from_db()
    assert conflict.resolution == "recorded" and conflict.resolved_by == supervisor
    sale_row = PosSale.objects.get()
    assert sale_row.order.lines.get().allocations.get().batch == other
    assert BatchStock.objects.get(batch=other).quantity == 2
    # The device asking again still gets the answer it was given.
    assert sale_record(user=cashier, data=sale_row.payload) == result


def test_resolve_a_conflict_by_refunding(client, supervisor, session, cashier, bag, bag_batch):
    sale_record(user=cashier, data=sale(session, (bag, bag_batch.code, 9, 140000)))
    conflict = PosConflict.objects.get()
    client.force_login(supervisor)

    client.post(f"/dashboard/pos/conflicts/{conflict.pk}/", {"action": "refund", "refund-note": ""})
    conflict.refresh_from_db()
    assert not conflict.is_resolved
    client.post(
        f"/dashboard/pos/conflicts/{conflict.pk}/",
        {"action": "refund", "refund-note": "Uang dikembalikan tunai"},
    )

    conflict.refresh_from_db()
    assert conflict.resolution == "refunded" and conflict.refunded_amount == 1260000
    from shop.pos.selectors import session_figures

    assert session_figures(session)["expected"]["cash"] == session.opening_float


def test_verify_an_offline_qris_payment(client, supervisor, session, cashier, bag, bag_batch):
    sale_record(
        user=cashier, data=sale(session, (bag, None, 1, 140000), method="qris", offline=True)
    )
    client.force_login(supervisor)
    page = client.get("/dashboard/pos/payments/").content.decode()
    sale_row = PosSale.objects.get()
    assert sale_row.order.number in page

    client.post(f"/dashboard/pos/payments/{sale_row.pk}/verify/", {"reference": ""})
    sale_row.refresh_from_db()
    assert sale_row.unverified  # the bank's reference is needed
    client.post(f"/dashboard/pos/payments/{sale_row.pk}/verify/", {"reference": "QRIS-778"})

    sale_row.refresh_from_db()
    assert not sale_row.unverified and sale_row.verified_by == supervisor
    assert sale_row.order.sources.get().reference == "QRIS-778"


def test_set_the_pin_and_the_qris_image(client, treasurer, lapas):
    client.force_login(treasurer)
    client.post(
        "/dashboard/pos/settings/",
        {"action": "pin", "pin-pin": "9753", "pin-pin_again": "9753"},
    )
    assert check_password("9753", treasurer.pos_pin.pin_hash)
    assert treasurer.pos_pin.pin_hash != "9753"

    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, format="PNG")
    client.post(
        "/dashboard/pos/settings/",
        {
            "action": "qris",
            "qris-lapas": lapas.pk,
            "qris-qris_image": SimpleUploadedFile("qris.png", buffer.getvalue(), "image/png"),
        },
    )
    assert PosLapasSettings.objects.get(lapas=lapas).qris_image.name.startswith("pos/qris/")


def test_sessions_list_links_the_z_report(client, supervisor, session):
    client.force_login(supervisor)

    html = client.get("/dashboard/pos/sessions/").content.decode()

    assert f"/pos/sessions/{session.pk}/z-report/" in html
    assert client.get(f"/dashboard/pos/sessions/{session.pk}/").status_code == 200
    assert client.get(f"/pos/sessions/{session.pk}/z-report/").status_code == 200
