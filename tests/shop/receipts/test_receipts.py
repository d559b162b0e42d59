"""Receipts (kuitansi) of paid orders: the buyer's download, the guest's, the payment
e-mail's attachment, and every refusal."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.apps.shipping.methods import FixedPrice
from oscar.core.loading import get_model
from oscar.test.factories import create_basket

from shop.payments.services import order_mark_paid
from shop.receipts.pdf import receipt_pdf
from shop.receipts.selectors import receipt_for_order
from tests.factories import UserFactory, place_order

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db


def pdf_strings(pdf: bytes) -> str:
    """The text shown on the (uncompressed) pages: reportlab writes each run as "(…) Tj"."""
    runs = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", pdf)
    return " ".join(r.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for r in runs)


def placed(product, *, user=None, guest_email="", quantity=2):
    basket = create_basket(empty=True)
    basket.add_product(product, quantity)
    address = ShippingAddress(
        first_name="Dewi",
        last_name="Lestari",
        line1="Jl. Merdeka No. 10",
        line4="Kota Tangerang",
        state="Banten",
        postcode="15111",
        phone_number="+6281234567890",
        country=Country.objects.get(iso_3166_1_a2="ID"),
    )
    return place_order(
        basket=basket,
        user=user,
        guest_email=guest_email,
        shipping_address=address,
        shipping_method=FixedPrice(Decimal("18000"), Decimal("18000")),
    )


@pytest.fixture
def paid(product, buyer, central_admin):
    order = placed(product, user=buyer)
    order_mark_paid(order_id=order.pk, user=central_admin, reference="TRF-42")
    return Order.objects.get(pk=order.pk)


def test_the_receipt_names_the_lapas_lines_batches_amounts_and_payment(paid, lapas, settings):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id"
    batch = paid.lines.get().allocations.get().batch

    receipt = receipt_for_order(
        order=Order.objects.select_related("recorded_payment").get(pk=paid.pk)
    )
    text = pdf_strings(receipt_pdf(receipt))

    assert receipt.lapas == lapas
    assert lapas.name in text and lapas.satker_code in text
    assert "Roti Sobek Cokelat" in text
    assert batch.code in text and f"https://karya.example.id/trace/{batch.code}/" in text
    assert "Rp300.000" in text  # the line
    assert "Rp18.000" in text  # shipping
    assert "Rp318.000" in text  # the total paid
    assert "Transfer bank" in text and "TRF-42" in text
    assert f"KWT-{paid.number}" in text
    assert "Dewi Lestari" in text


def test_the_buyer_downloads_the_receipt_of_their_paid_order(client, paid, buyer):
    client.force_login(buyer)

    page = client.get(reverse("customer:order", kwargs={"order_number": paid.number}))
    url = reverse("receipts:order", kwargs={"order_number": paid.number})
    response = client.get(url)

    assert url in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="kuitansi-{paid.number}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_an_unpaid_order_has_no_receipt_and_its_page_offers_none(client, product, buyer):
    order = placed(product, user=buyer)
    client.force_login(buyer)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    response = client.get(reverse("receipts:order", kwargs={"order_number": order.number}))

    assert "receipt.pdf" not in page.content.decode()
    assert response.status_code == 404


def test_another_buyer_gets_no_receipt_and_the_signed_out_are_sent_to_log_in(client, paid):
    url = reverse("receipts:order", kwargs={"order_number": paid.number})

    signed_out = client.get(url)
    client.force_login(UserFactory(username="orang.lain"))
    other = client.get(url)

    assert signed_out.status_code == 302 and "login" in signed_out["Location"]
    assert other.status_code == 404


def test_a_guest_gets_the_receipt_through_the_signed_link_and_their_email(
    client, product, central_admin
):
    order = placed(product, guest_email="tamu@example.test")
    order_mark_paid(order_id=order.pk, user=central_admin)
    url = reverse(
        "receipts:guest-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    forged = reverse(
        "receipts:guest-order", kwargs={"order_number": order.number, "hash": "1:forged"}
    )

    before_email = client.get(url)
    session = client.session
    session["anon_order_email"] = "tamu@example.test"
    session.save()
    page = client.get(
        reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    )

    assert before_email.status_code == 404
    assert client.get(forged).status_code == 404
    assert url in page.content.decode()
    assert client.get(url).content.startswith(b"%PDF")


def test_the_payment_email_carries_the_receipt_in_the_orders_language(
    product, buyer, central_admin, django_capture_on_commit_callbacks
):
    order = placed(product, user=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk, user=central_admin)

    (message,) = mail.outbox
    (attachment,) = message.attachments
    name, content, mimetype = attachment
    assert name == f"kuitansi-{order.number}.pdf" and mimetype == "application/pdf"
    assert "Kuitansi" in pdf_strings(content)  # Indonesian, the order's language
    assert "kuitansi" in message.body.lower()


def test_the_order_placed_email_carries_no_receipt(
    product, buyer, django_capture_on_commit_callbacks
):
    from shop.apps.order.notifications import order_notify

    order = placed(product, user=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        order_notify(order_id=order.pk, event="order_placed")

    (message,) = mail.outbox
    assert message.attachments == []
