"""Parcels of an order: courier and waybill checked per courier, recorded once, by staff of
the order's Lapas only; the buyer follows them from the order page and the Shipped
e-mail; a CSV sets many at once, all or nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from shop.apps.order import statuses
from shop.apps.shipping import services
from shop.apps.shipping.couriers import waybill_validate
from shop.payments.services import PaymentStateError, order_mark_paid
from tests.factories import ProductFactory, WorkshopFactory, place_order

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Order = get_model("order", "Order")
OrderParcel = get_model("shipping", "OrderParcel")
ShippingAddress = get_model("order", "ShippingAddress")
EventHandler = get_class("order.processing", "EventHandler")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def courier_order(product, *, user=None, paid=True, prepared=True, admin=None):
    """An order of one Lapas to the buyer's address, paid and being prepared."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    basket.add_product(product, 1)
    address = ShippingAddress.objects.create(
        first_name="Dewi",
        line1="Jl. Merdeka No. 10",
        line4="Kota Semarang",
        state="Jawa Tengah",
        postcode="50241",
        country=Country.objects.get(iso_3166_1_a2="ID"),
    )
    order = place_order(
        basket=basket,
        user=user,
        guest_email="" if user else "tamu@example.test",
        shipping_method=Free(),
        shipping_address=address,
    )
    if paid:
        order_mark_paid(order_id=order.pk, user=admin)
        order.refresh_from_db()
    if paid and prepared:
        EventHandler(admin).handle_order_status_change(order, statuses.BEING_PREPARED)
        order.refresh_from_db()
    return order


@pytest.fixture
def order(product, buyer, central_admin):
    return courier_order(product, user=buyer, admin=central_admin)


@pytest.fixture
def other_product(other_lapas):
    return ProductFactory(
        title="Kursi Jati",
        workshop=WorkshopFactory(lapas=other_lapas, name="Bengkel Kayu"),
        stockrecord__price=Decimal("900000"),
        stockrecord__num_in_stock=5,
    )


# --- couriers' formats ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("courier", "typed", "stored"),
    [
        ("jne", "0123 4567 8901 2345", "0123456789012345"),
        ("jnt", "jp1234567890", "JP1234567890"),
        ("J&T Express", "JD0123456789", "JD0123456789"),
        ("sicepat", "000123456789", "000123456789"),
        ("pos", "P2312010012345", "P2312010012345"),
        ("pos", "rr123456789id", "RR123456789ID"),
        ("anteraja", "10001234567890", "10001234567890"),
        ("lion", "11LP1701234567", "11LP1701234567"),
        ("own", "", ""),
        ("own", "SJ-2026/0042", "SJ-2026/0042"),
    ],
)
def test_waybills_that_fit_their_courier_are_stored_as_printed(courier, typed, stored):
    assert waybill_validate(courier_code=courier, waybill=typed) == stored


@pytest.mark.parametrize(
    ("courier", "typed", "code"),
    [
        ("jne", "01234", "waybill_format"),  # digits missing
        ("jnt", "JP12345678", "waybill_format"),
        ("sicepat", "00012345678O", "waybill_format"),  # a letter O for a zero
        ("pos", "12345", "waybill_format"),
        ("jne", "", "waybill_required"),
        ("dhl", "1234567890", "unknown_courier"),
    ],
)
def test_waybills_that_do_not_fit_are_refused_saying_what_they_look_like(
    english, courier, typed, code
):
    with pytest.raises(ValidationError) as refused:
        waybill_validate(courier_code=courier, waybill=typed)

    assert refused.value.code == code
    if code == "waybill_format":
        assert "they look like" in refused.value.messages[0]


# --- recording -----------------------------------------------------------------------------


def test_staff_record_a_parcel_once_however_often_it_is_posted(order, workshop_staff):
    first, created = services.parcel_record(
        order_id=order.pk, courier="jne", waybill="0123456789012345", user=workshop_staff
    )
    again, created_again = services.parcel_record(
        order_id=order.pk, courier="jne", waybill="0123 4567 8901 2345", user=workshop_staff
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert order.parcels.count() == 1
    assert first.tracking_url == "https://www.jne.co.id/tracking-package?awb=0123456789012345"
    assert order.notes.filter(message__contains="0123456789012345").count() == 1


def test_own_delivery_without_a_number_is_recorded_once(order, workshop_staff):
    for _click in range(2):
        parcel, _created = services.parcel_record(
            order_id=order.pk, courier="own", waybill="", user=workshop_staff
        )

    assert order.parcels.get() == parcel
    assert parcel.tracking_url == ""


def test_an_order_may_leave_in_several_parcels(order, workshop_staff):
    for waybill in ("000123456789", "000123456790"):
        services.parcel_record(
            order_id=order.pk, courier="sicepat", waybill=waybill, user=workshop_staff
        )

    assert [p.waybill for p in order.parcels.all()] == ["000123456789", "000123456790"]


def test_a_waybill_of_another_order_is_refused(
    english, product, order, workshop_staff, central_admin
):
    services.parcel_record(
        order_id=order.pk, courier="jne", waybill="0123456789012345", user=workshop_staff
    )
    second = courier_order(product, admin=central_admin)

    with pytest.raises(services.ParcelError, match=f"already recorded on order {order.number}"):
        services.parcel_record(
            order_id=second.pk, courier="jne", waybill="0123456789012345", user=workshop_staff
        )
    assert not second.parcels.exists()


def test_an_unpaid_order_gets_no_parcel(english, product, central_admin, workshop_staff):
    unpaid = courier_order(product, paid=False, admin=central_admin)

    with pytest.raises(services.ParcelError, match="once it is paid"):
        services.parcel_record(
            order_id=unpaid.pk, courier="jne", waybill="0123456789012345", user=workshop_staff
        )


def test_staff_of_another_lapas_cannot_record_a_parcel(english, order, other_workshop_staff):
    with pytest.raises(services.ParcelError, match="was not found"):
        services.parcel_record(
            order_id=order.pk, courier="jne", waybill="0123456789012345", user=other_workshop_staff
        )
    assert not order.parcels.exists()


def test_the_last_parcel_of_a_shipped_order_stays(english, order, workshop_staff):
    parcel, _ = services.parcel_record(
        order_id=order.pk, courier="jne", waybill="0123456789012345", user=workshop_staff
    )
    EventHandler(workshop_staff).handle_order_status_change(order, statuses.SHIPPED)

    with pytest.raises(services.ParcelError, match="already following"):
        services.parcel_remove(parcel_id=parcel.pk, user=workshop_staff)
    # With the right one recorded first, the wrong one goes.
    services.parcel_record(
        order_id=order.pk, courier="jne", waybill="0123456789012346", user=workshop_staff
    )
    services.parcel_remove(parcel_id=parcel.pk, user=workshop_staff)
    assert [p.waybill for p in order.parcels.all()] == ["0123456789012346"]


def test_a_courier_order_is_not_shipped_without_a_parcel(english, order, workshop_staff):
    with pytest.raises(PaymentStateError, match="waybill"):
        EventHandler(workshop_staff).handle_order_status_change(order, statuses.SHIPPED)

    order.refresh_from_db()
    assert order.status == statuses.BEING_PREPARED


# --- the dashboard -------------------------------------------------------------------------


def test_staff_record_a_parcel_on_the_dashboard(client, order, workshop_staff):
    client.force_login(workshop_staff)
    url = reverse("parcels_dashboard:order-parcels", kwargs={"number": order.number})

    response = client.post(url, {"courier": "jnt", "waybill": "JP1234567890"})

    assert response.status_code == 302
    assert order.parcels.get().waybill == "JP1234567890"
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert "JP1234567890" in page.content.decode()


def test_a_wrong_waybill_on_the_dashboard_says_why_and_records_nothing(
    client, order, workshop_staff
):
    client.force_login(workshop_staff)
    url = reverse("parcels_dashboard:order-parcels", kwargs={"number": order.number})

    response = client.post(url, {"courier": "sicepat", "waybill": "12345"})

    assert response.status_code == 200
    assert "000123456789" in response.content.decode()  # what SiCepat's numbers look like
    assert not order.parcels.exists()


def test_staff_of_another_lapas_get_a_404_on_the_parcels_page(client, order, other_workshop_staff):
    client.force_login(other_workshop_staff)
    url = reverse("parcels_dashboard:order-parcels", kwargs={"number": order.number})

    assert client.get(url).status_code == 404
    assert client.post(url, {"courier": "jnt", "waybill": "JP1234567890"}).status_code == 404
    assert not order.parcels.exists()


def test_a_buyer_cannot_open_the_parcels_page(client, order, buyer):
    client.force_login(buyer)
    url = reverse("parcels_dashboard:order-parcels", kwargs={"number": order.number})

    assert client.get(url).status_code == 403


# --- the buyer's side ----------------------------------------------------------------------


def test_the_buyer_follows_the_parcel_from_the_order_page_and_the_shipped_email(
    client, order, buyer, workshop_staff, django_capture_on_commit_callbacks
):
    services.parcel_record(
        order_id=order.pk, courier="sicepat", waybill="000123456789", user=workshop_staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        EventHandler(workshop_staff).handle_order_status_change(order, statuses.SHIPPED)

    link = "https://www.sicepat.com/checkAwb?awb=000123456789"
    client.force_login(buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert page.status_code == 200
    assert "SiCepat" in page.content.decode() and link in page.content.decode()
    (message,) = mail.outbox
    assert link in message.body
    assert link in message.alternatives[0][0]


# --- many orders at once -------------------------------------------------------------------


def upload(client, text, *, mark_shipped=True):
    data = {"file": SimpleUploadedFile("resi.csv", text.encode(), content_type="text/csv")}
    if mark_shipped:
        data["mark_shipped"] = "on"
    return client.post(reverse("parcels_dashboard:upload"), data)


def test_a_csv_records_every_row_and_ships_the_orders(
    client, product, order, workshop_staff, central_admin, django_capture_on_commit_callbacks
):
    second = courier_order(product, admin=central_admin)
    client.force_login(workshop_staff)
    text = (
        "order,courier,waybill\n"
        f"{order.number},jne,0123456789012345\n"
        f"{order.number},jne,0123456789012346\n"
        f"{second.number},J&T,jp 1234 5678 90\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, text)

    assert response.status_code == 302
    assert order.parcels.count() == 2
    assert second.parcels.get().waybill == "JP1234567890"
    for shipped in (order, second):
        shipped.refresh_from_db()
        assert shipped.status == statuses.SHIPPED
    assert len(mail.outbox) == 2  # one Shipped e-mail per order
    # The same file again changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, text)
    assert OrderParcel.objects.count() == 3 and len(mail.outbox) == 2


def test_a_csv_with_one_wrong_row_records_nothing_and_names_the_row(
    client, product, order, workshop_staff, central_admin
):
    second = courier_order(product, admin=central_admin)
    client.force_login(workshop_staff)
    text = (
        "pesanan;kurir;resi\n"
        f"{order.number};jne;0123456789012345\n"
        f"{second.number};sicepat;12345\n"
        "999999;jne;0123456789012399\n"
    )

    response = upload(client, text)

    assert response.status_code == 200
    content = response.content.decode()
    assert "000123456789" in content  # row 3: what SiCepat's numbers look like
    assert "999999" in content  # row 4: no such order
    assert not OrderParcel.objects.exists()
    order.refresh_from_db()
    assert order.status == statuses.BEING_PREPARED


def test_a_csv_naming_another_lapass_order_records_nothing(
    english, order, other_product, workshop_staff, central_admin
):
    theirs = courier_order(other_product, admin=central_admin)
    text = (
        "order,courier,waybill\n"
        f"{order.number},jne,0123456789012345\n"
        f"{theirs.number},jne,0123456789012346\n"
    ).encode()

    with pytest.raises(services.ParcelImportError) as refused:
        services.parcels_import(data=text, user=workshop_staff, mark_shipped=False)

    assert refused.value.errors == [(3, f"Order {theirs.number} was not found.")]
    assert not OrderParcel.objects.exists()


def test_a_csv_without_its_header_is_refused(english, workshop_staff):
    with pytest.raises(services.ParcelImportError) as refused:
        services.parcels_import(
            data=b"100001,jne,0123456789012345\n", user=workshop_staff, mark_shipped=False
        )

    assert "order, courier, waybill" in refused.value.errors[0][1]
