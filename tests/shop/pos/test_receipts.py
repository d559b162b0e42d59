"""Receipts on 58 and 80 mm paper and as PDF: the Lapas, items with batch codes, payment,
receipt number, cashier and the public trace URL; printable only by who may see them."""

import pytest

from shop.pos.services import sale_record

from .conftest import role_user, sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(session, cashier, bag, bag_batch):
    return sale_record(
        user=cashier, data=sale(session, (bag, bag_batch.code, 2, 140000), tendered="300000")
    )


@pytest.mark.parametrize("width", [58, 80])
def test_the_receipt_shows_batches_trace_urls_and_payment(
    client, cashier, recorded, bag_batch, settings, width
):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id"
    client.force_login(cashier)

    html = client.get(f"{recorded['receipt_url']}?width={width}").content.decode()

    assert f"@page {{ size: {width}mm auto" in html
    assert recorded["order_number"] in html
    assert "Lapas Kelas I Tangerang" in html and "Jl. Veteran No. 2" in html
    assert "Galeri Karya Tangerang" in html and "Tas Batik Tulis" in html
    assert bag_batch.code in html
    assert f"https://karya.example.id/trace/{bag_batch.code}/" in html
    assert "Rp300.000" in html.replace("\xa0", "") and "Rp20.000" in html.replace("\xa0", "")
    assert "Sari" in html  # the cashier's name


def test_the_receipt_pdf_is_a_pdf(client, cashier, recorded):
    client.force_login(cashier)

    for width in (58, 80):
        response = client.get(f"/pos/receipts/{recorded['order_number']}.pdf?width={width}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-64:]


def test_the_receipt_text_fits_the_paper(recorded, bag_batch):
    from shop.pos import receipts
    from shop.pos.selectors import sale_by_order_number

    context = receipts.receipt_context(sale_by_order_number(number=recorded["order_number"]))
    for width, columns in ((58, 32), (80, 48)):
        lines = receipts.receipt_text(context, width=width)
        assert all(len(line) <= columns for line in lines), [x for x in lines if len(x) > columns]
        assert any(bag_batch.code in line for line in lines)


def test_a_supervisor_may_reprint_others_may_not(client, recorded, supervisor, lapas, buyer):
    client.force_login(supervisor)
    assert client.get(recorded["receipt_url"]).status_code == 200

    # A buyer is refused by the permission policy (403); another cashier passes it and
    # finds no such receipt among theirs (404).
    for user, status in ((buyer, 403), (role_user("kasir.lain", "cashier", lapas), 404)):
        client.force_login(user)
        assert client.get(recorded["receipt_url"]).status_code == status
        assert client.get(f"/pos/receipts/{recorded['order_number']}.pdf").status_code == status

    client.logout()
    assert client.get(recorded["receipt_url"]).status_code == 302
