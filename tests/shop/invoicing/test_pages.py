"""The pages: the buyer downloads their invoice and BAST; Lapas staff see, pay and deliver
from the dashboard; another Lapas's staff and other buyers get a 404; the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.invoicing.models import Delivery, InvoicePayment
from shop.invoicing.services import delivery_record
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def pdf_text(response) -> str:
    # Page streams are uncompressed (shop.invoicing.pdf): the text is in the bytes.
    return response.content.decode("latin-1")


def test_the_buyer_downloads_the_invoice_with_the_amount_in_words(
    client, invoiced_order, org_buyer
):
    client.force_login(org_buyer)
    response = client.get(
        reverse("invoicing:invoice", kwargs={"order_number": invoiced_order.number})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response)
    invoice = invoiced_order.invoice
    for expected in (
        invoice.number,
        invoice.seller_satker_code,
        "01.234.567.8-901.000",
        "PO-2026/117",
        invoice.bank_account_number,
        "Dua juta empat ratus enam puluh sembilan ribu seratus tiga puluh empat rupiah",
    ):
        assert expected in text, expected


def test_a_colleague_of_the_organisation_downloads_it_too_a_stranger_does_not(
    client, invoiced_order, organisation
):
    from shop.institutions.models import OrganisationMember

    url = reverse("invoicing:invoice", kwargs={"order_number": invoiced_order.number})
    colleague = UserFactory(username="rekan.disdik")
    OrganisationMember.objects.create(organisation=organisation, user=colleague)
    client.force_login(colleague)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="orang.lain"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_order_pages_link_the_invoice(client, invoiced_order, org_buyer, treasurer):
    client.force_login(org_buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": invoiced_order.number}))
    assert reverse("invoicing:invoice", kwargs={"order_number": invoiced_order.number}) in (
        page.content.decode()
    )
    client.force_login(treasurer)
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": invoiced_order.number}))
    assert (
        reverse(
            "invoicing_dashboard:invoice-detail", kwargs={"order_number": invoiced_order.number}
        )
        in page.content.decode()
    )


def test_the_treasurer_records_payments_from_the_invoice_page(client, invoiced_order, treasurer):
    client.force_login(treasurer)
    url = reverse(
        "invoicing_dashboard:invoice-detail", kwargs={"order_number": invoiced_order.number}
    )
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["payment_form"]["token"].value()
    post = reverse(
        "invoicing_dashboard:invoice-payment", kwargs={"order_number": invoiced_order.number}
    )
    data = {
        "token": token,
        "paid_on": timezone.localdate().isoformat(),
        "amount": "2469134",
        "reference": "BRI-77",
    }
    assert client.post(post, data).status_code == 302
    assert client.post(post, data).status_code == 302  # the double click
    assert InvoicePayment.objects.count() == 1
    invoiced_order.refresh_from_db()
    assert invoiced_order.status == "Paid"

    over = dict(data, token="another", amount="5")
    response = client.post(post, over, follow=True)
    assert "already paid in full" in response.content.decode()
    assert InvoicePayment.objects.count() == 1


def test_workshop_staff_record_a_delivery_but_not_a_payment(client, invoiced_order, workshop_staff):
    client.force_login(workshop_staff)
    number = invoiced_order.number
    page = client.get(
        reverse("invoicing_dashboard:invoice-detail", kwargs={"order_number": number})
    )
    assert page.status_code == 200
    assert page.context["payment_form"] is None
    line = invoiced_order.lines.get()
    response = client.post(
        reverse("invoicing_dashboard:delivery-create", kwargs={"order_number": number}),
        {
            "token": "d1",
            "delivered_on": timezone.localdate().isoformat(),
            f"line_{line.pk}": "1",
            "recipient_name": "Budi Santoso",
        },
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    pdf = client.get(
        reverse("invoicing_dashboard:delivery-pdf", kwargs={"order_number": number, "sequence": 1})
    )
    text = pdf_text(pdf)
    assert delivery.number in text and "Budi Santoso" in text
    refused = client.post(
        reverse("invoicing_dashboard:invoice-payment", kwargs={"order_number": number}),
        {
            "token": "x",
            "paid_on": timezone.localdate().isoformat(),
            "amount": "1",
            "reference": "r",
        },
    )
    assert refused.status_code == 403
    assert not InvoicePayment.objects.exists()


def test_another_lapas_staff_get_a_404_everywhere(client, invoiced_order, other_treasurer):
    client.force_login(other_treasurer)
    number = invoiced_order.number
    for name in ("invoice-detail", "invoice-pdf"):
        url = reverse(f"invoicing_dashboard:{name}", kwargs={"order_number": number})
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("invoicing_dashboard:invoice-payment", kwargs={"order_number": number}),
        {
            "token": "x",
            "paid_on": timezone.localdate().isoformat(),
            "amount": "1",
            "reference": "r",
        },
    )
    assert response.status_code == 404
    assert not InvoicePayment.objects.exists()
    assert client.get(reverse("invoicing_dashboard:receivables")).context["report"].rows == []


def test_the_buyer_downloads_a_bast(client, invoiced_order, org_buyer, workshop_staff):
    line = invoiced_order.lines.get()
    delivery_record(
        invoice_id=invoiced_order.invoice.pk,
        user=workshop_staff,
        delivered_on=timezone.localdate(),
        quantities={line.pk: 2},
        token="d",
    )
    client.force_login(org_buyer)
    url = reverse(
        "invoicing:delivery", kwargs={"order_number": invoiced_order.number, "sequence": 1}
    )
    assert client.get(url).status_code == 200
    missing = reverse(
        "invoicing:delivery", kwargs={"order_number": invoiced_order.number, "sequence": 2}
    )
    assert client.get(missing).status_code == 404


def test_receivables_page_and_csv(client, invoiced_order, treasurer):
    client.force_login(treasurer)
    page = client.get(reverse("invoicing_dashboard:receivables"))
    assert page.status_code == 200
    assert invoiced_order.invoice.number in page.content.decode()
    response = client.get(reverse("invoicing_dashboard:receivables-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][2] == "Invoice number"
    assert rows[1][2] == invoiced_order.invoice.number
    assert rows[1][-1] == "2469134"
    assert rows[1][-3] == "Not yet due"
    assert rows[-1][-1] == "2469134"
    assert Decimal(rows[-1][-1]) == invoiced_order.invoice.total


def test_the_invoice_and_bast_render_in_indonesian(
    client, invoiced_order, org_buyer, workshop_staff
):
    from django.utils import translation
    from django.utils.translation import gettext

    line = invoiced_order.lines.get()
    delivery_record(
        invoice_id=invoiced_order.invoice.pk,
        user=workshop_staff,
        delivered_on=timezone.localdate(),
        quantities={line.pk: 1},
        token="d",
    )
    client.force_login(org_buyer)
    with translation.override("id"):
        number = invoiced_order.number
        invoice = client.get(reverse("invoicing:invoice", kwargs={"order_number": number}))
        bast = client.get(
            reverse("invoicing:delivery", kwargs={"order_number": number, "sequence": 1})
        )
        expected = gettext("Delivery date")
    assert invoice.status_code == bast.status_code == 200
    assert "/en/" not in invoice.request["PATH_INFO"]
    assert expected in pdf_text(bast)
