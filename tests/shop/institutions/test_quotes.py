from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.institutions import selectors, services
from shop.institutions.models import InstitutionalOrder, Quote, QuoteLine
from shop.institutions.signals import quote_accepted

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="gambar-meja.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- requests ------------------------------------------------------------------------------


def test_only_an_approved_organisation_asks_for_quotes(buyer, lapas, client):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.quote_request_free_form(
            user=buyer,
            lapas_id=lapas.pk,
            items=[services.CustomItem("Meja", 2)],
            delivery_place="Kantor",
        )
    client.force_login(buyer)
    assert client.get(reverse("institutions:quote-request")).status_code == 403


def test_a_basket_becomes_one_request_per_lapas(
    org_buyer, product, other_lapas, django_capture_on_commit_callbacks, workshop_staff
):
    from tests.factories import ProductFactory, WorkshopFactory

    other_product = ProductFactory(workshop=WorkshopFactory(lapas=other_lapas))
    basket = Basket.objects.create(owner=org_buyer)
    from shop.apps.partner.strategy import Selector

    basket.strategy = Selector().strategy(user=org_buyer)
    basket.add_product(product, quantity=12)
    basket.add_product(other_product, quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        quotes = services.quote_request_from_basket(
            user=org_buyer,
            basket=basket,
            delivery_place="Kantor Dinas",
            attachments=[_pdf()],
        )
    assert sorted(q.lapas_id for q in quotes) == sorted([product.workshop.lapas_id, other_lapas.pk])
    assert quotes[0].request_group and quotes[0].request_group == quotes[1].request_group
    by_lapas = {q.lapas_id: q for q in quotes}
    (line,) = by_lapas[product.workshop.lapas_id].lines.all()
    assert (line.product, line.quantity, line.is_custom) == (product, 12, False)
    assert all(q.attachments.count() == 1 for q in quotes)
    # The Lapas's staff hear of their request.
    assert any(workshop_staff.email in m.to for m in mail.outbox)


@pytest.mark.parametrize(
    "upload, code",
    [
        (
            SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
            "attachment_invalid",
        ),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf"),
            "attachment_too_large",
        ),
    ],
)
def test_an_attachment_that_is_not_a_pdf_or_image_or_too_big_is_refused(
    org_buyer, lapas, upload, code
):
    with pytest.raises(ValidationError) as refused:
        services.quote_request_free_form(
            user=org_buyer,
            lapas_id=lapas.pk,
            items=[services.CustomItem("Meja", 2)],
            delivery_place="Kantor",
            attachments=[upload],
        )
    assert refused.value.code == code
    assert not Quote.objects.exists()


def test_attachments_are_downloads_for_the_buyer_and_the_lapas_only(
    client, org_buyer, lapas, workshop_staff, other_workshop_staff, approve
):
    from tests.factories import UserFactory

    quote = services.quote_request_free_form(
        user=org_buyer,
        lapas_id=lapas.pk,
        items=[services.CustomItem("Meja", 2)],
        delivery_place="Kantor",
        attachments=[_pdf()],
    )
    attachment = quote.attachments.get()
    assert attachment.file.name.endswith(".pdf") and "gambar" not in attachment.file.name
    kwargs = {"pk": quote.pk, "file_pk": attachment.pk}
    client.force_login(org_buyer)
    response = client.get(reverse("institutions:attachment-download", kwargs=kwargs))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(workshop_staff)
    url = reverse("institutions_dashboard:attachment-download", kwargs=kwargs)
    assert client.get(url).status_code == 200
    client.force_login(other_workshop_staff)
    assert client.get(url).status_code == 404
    stranger = UserFactory(username="dinas.lain")
    approve(stranger, name="Dinas Lain")
    client.force_login(stranger)
    assert client.get(reverse("institutions:attachment-download", kwargs=kwargs)).status_code == 404


# --- pricing -------------------------------------------------------------------------------


def test_staff_price_at_the_tier_price_or_a_special_price_with_a_reason(
    org_buyer, tiered, made_to_order_product, request_quote, workshop_staff, english
):
    quote = request_quote(org_buyer, catalogue=[(tiered, 12)])
    custom, bread = quote.lines.order_by("position")
    workshop = made_to_order_product.workshop
    entries = [
        services.LinePricing(line_id=custom.pk, unit_price="950000", workshop_id=workshop.pk),
        services.LinePricing(line_id=bread.pk, unit_price="100000"),
    ]
    common = {
        "user": workshop_staff,
        "quote_id": quote.pk,
        "delivery_cost": "250000",
        "valid_until": timezone.localdate() + timedelta(days=14),
    }
    with pytest.raises(ValidationError, match="reason"):
        services.quote_price(lines=entries, **common)
    entries[1] = services.LinePricing(line_id=bread.pk)  # the tier price
    services.quote_price(lines=entries, **common)
    bread.refresh_from_db()
    custom.refresh_from_db()
    assert (bread.unit_price, bread.list_price, bread.made_to_order) == (
        Decimal("120000"),
        Decimal("120000"),
        False,
    )
    assert custom.made_to_order and custom.workshop == workshop and custom.product is None
    entries[1] = services.LinePricing(line_id=bread.pk, unit_price="110000", reason="Langganan")
    services.quote_price(lines=entries, send=True, **common)
    quote.refresh_from_db()
    bread.refresh_from_db()
    assert quote.status == Quote.Status.SENT and quote.sent_at
    assert (bread.unit_price, bread.special_price_reason) == (Decimal("110000"), "Langganan")
    assert services.quote_totals(quote)["total"] == 40 * 950000 + 12 * 110000 + 250000
    with pytest.raises(ValidationError):  # sent: no second pricing
        services.quote_price(lines=entries, **common)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"custom_price": ""}, "unit price"),
        ({"custom_price": "950000.50"}, "whole"),
        ({"valid_until": None}, "valid until"),
        ({"deposit_percent": 120}, "Deposit"),
        ({"delivery_cost": "-5"}, "Delivery"),
    ],
)
def test_a_quote_with_a_wrong_price_is_not_sent(
    org_buyer, made_to_order_product, request_quote, workshop_staff, english, change, message
):
    quote = request_quote(org_buyer)
    line = quote.lines.get()
    kwargs = {
        "user": workshop_staff,
        "quote_id": quote.pk,
        "delivery_cost": change.get("delivery_cost", "0"),
        "valid_until": change.get("valid_until", timezone.localdate() + timedelta(days=7)),
        "deposit_percent": change.get("deposit_percent", 0),
        "lines": [
            services.LinePricing(
                line_id=line.pk,
                unit_price=change.get("custom_price", "950000"),
                workshop_id=made_to_order_product.workshop_id,
            )
        ],
        "send": True,
    }
    with pytest.raises(ValidationError, match=message):
        services.quote_price(**kwargs)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REQUESTED


def test_another_lapas_cannot_see_or_price_the_quote(
    client, org_buyer, made_to_order_product, request_quote, other_workshop_staff, send_quote
):
    quote = request_quote(org_buyer)
    with pytest.raises(Http404):
        send_quote(quote, user=other_workshop_staff)
    with pytest.raises(Http404):
        services.quote_decline(user=other_workshop_staff, quote_id=quote.pk, reason="x")
    client.force_login(other_workshop_staff)
    url = reverse("institutions_dashboard:quote-detail", kwargs={"pk": quote.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"delivery_cost": 0, "deposit_percent": 0, "send": "1"}).status_code == 404
    )
    listing = client.get(reverse("institutions_dashboard:quote-list"))
    assert quote.number not in listing.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REQUESTED


def test_the_pricing_form_sends_the_quote(
    client,
    org_buyer,
    made_to_order_product,
    request_quote,
    workshop_staff,
    django_capture_on_commit_callbacks,
):
    quote = request_quote(org_buyer)
    line = quote.lines.get()
    client.force_login(workshop_staff)
    url = reverse("institutions_dashboard:quote-detail", kwargs={"pk": quote.pk})
    assert "Meja lipat" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                f"line-{line.pk}-present": "1",
                f"line-{line.pk}-unit_price": "950000",
                f"line-{line.pk}-workshop": made_to_order_product.workshop_id,
                "delivery_cost": "250000",
                "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
                "deposit_percent": "30",
                "send": "1",
            },
        )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT and quote.deposit_percent == 30
    assert [m for m in mail.outbox if org_buyer.email in m.to]


def test_the_lapas_declines_with_a_reason(
    org_buyer, made_to_order_product, request_quote, workshop_staff
):
    quote = request_quote(org_buyer)
    with pytest.raises(ValidationError):
        services.quote_decline(user=workshop_staff, quote_id=quote.pk, reason=" ")
    services.quote_decline(user=workshop_staff, quote_id=quote.pk, reason="Kayu jati habis.")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DECLINED


def test_a_reason_with_a_nul_character_is_a_message_not_a_500(
    org_buyer, made_to_order_product, request_quote, workshop_staff, client
):
    # PostgreSQL refuses NUL in text: before, the decline page failed with a 500.
    quote = request_quote(org_buyer)
    client.force_login(workshop_staff)
    response = client.post(
        reverse("institutions_dashboard:quote-decline", kwargs={"pk": quote.pk}),
        {"reason": "Kayu\x00 habis"},
        follow=True,
    )
    assert response.status_code == 200
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REQUESTED and quote.decision_reason == ""


# --- acceptance ----------------------------------------------------------------------------


@pytest.fixture
def sent_quote(org_buyer, tiered, made_to_order_product, request_quote, send_quote):
    """40 desks made to order and 12 loaves from stock at the tier price, sent."""
    return send_quote(request_quote(org_buyer, catalogue=[(tiered, 12)]))


def test_accepting_places_the_order_at_the_quoted_prices(
    org_buyer, sent_quote, tiered, lapas, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, quote, orders, **kwargs):
        # Inside the transaction, after the links are written.
        received.append(
            (
                quote.pk,
                [o.pk for o in orders],
                list(QuoteLine.objects.filter(quote=quote).values_list("order_line_id", flat=True)),
            )
        )

    quote_accepted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            (order,) = services.quote_accept(
                user=org_buyer,
                quote_id=sent_quote.pk,
                po_number="PO/DISDIK/2026/117",
                po_document=_pdf("po.pdf"),
            )
    finally:
        quote_accepted.disconnect(receiver)
    order = Order.objects.get(pk=order.pk)
    assert order.channel == Order.Channel.INSTITUTIONAL
    assert order.lapas == lapas and order.user == org_buyer
    assert order.total_incl_tax == 40 * 950000 + 12 * 120000 + 250000
    assert order.shipping_incl_tax == Decimal("250000")
    desk_line, bread_line = order.lines.order_by("pk")
    assert (desk_line.quantity, desk_line.unit_price_incl_tax, desk_line.num_allocated) == (
        40,
        Decimal("950000"),
        0,
    )
    assert (bread_line.product, bread_line.unit_price_incl_tax, bread_line.num_allocated) == (
        tiered,
        Decimal("120000"),
        12,
    )
    custom, bread = sent_quote.lines.order_by("position")
    # The custom item is sold as a non-public product of the workshop that makes it.
    assert not desk_line.product.is_public and desk_line.product.workshop == custom.workshop
    assert desk_line.product.stockrecords.get().partner == lapas
    assert (custom.order_line, bread.order_line) == (desk_line, bread_line)
    assert received == [(sent_quote.pk, [order.pk], [desk_line.pk, bread_line.pk])]
    row = InstitutionalOrder.objects.get(order=order)
    assert (row.po_number, row.payment_terms, row.quote) == (
        "PO/DISDIK/2026/117",
        "upfront",
        sent_quote,
    )
    assert row.po_document.name.endswith(".pdf")
    assert selectors.organisation_of_order(order) == row.organisation
    sent_quote.refresh_from_db()
    assert sent_quote.status == Quote.Status.ACCEPTED
    # Up-front: a bank transfer awaits, against the order number.
    assert order.sources.get().source_type.name == "Bank transfer"
    assert any("PO/DISDIK/2026/117" in m.body for m in mail.outbox)
    # The buyer's e-mail tells where to transfer the money (up-front terms).
    assert any(lapas.bank_account_number in m.body and order.number in m.body for m in mail.outbox)


def test_accepting_twice_places_once(org_buyer, sent_quote):
    first = services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="PO-1")
    again = services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="PO-2")
    assert [o.pk for o in first] == [o.pk for o in again]
    assert Order.objects.count() == 1
    assert InstitutionalOrder.objects.get().po_number == "PO-1"


def test_a_double_click_on_accept_lands_on_the_same_order(client, org_buyer, sent_quote):
    client.force_login(org_buyer)
    url = reverse("institutions:quote-accept", kwargs={"pk": sent_quote.pk})
    assert client.post(url, {"po_number": "PO-7"}).status_code == 302
    assert client.post(url, {"po_number": "PO-7"}).status_code == 302
    assert Order.objects.count() == 1
    page = client.get(reverse("institutions:quote-detail", kwargs={"pk": sent_quote.pk}))
    assert Order.objects.get().number in page.content.decode()


def test_an_expired_quote_cannot_be_accepted(org_buyer, sent_quote, english):
    later = sent_quote.valid_until + timedelta(days=1)
    with pytest.raises(ValidationError, match="expired") as refused:
        services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="PO-1", today=later)
    assert refused.value.code == "expired"
    with pytest.raises(ValidationError):
        services.quote_reject(user=org_buyer, quote_id=sent_quote.pk, today=later)
    sent_quote.refresh_from_db()
    assert sent_quote.status == Quote.Status.SENT and not Order.objects.exists()


def test_someone_elses_quote_cannot_be_accepted(sent_quote, approve, client):
    from tests.factories import UserFactory

    stranger = UserFactory(username="dinas.lain")
    approve(stranger, name="Dinas Lain")
    with pytest.raises(Http404):
        services.quote_accept(user=stranger, quote_id=sent_quote.pk, po_number="PO-1")
    client.force_login(stranger)
    url = reverse("institutions:quote-accept", kwargs={"pk": sent_quote.pk})
    assert client.post(url, {"po_number": "PO-1"}).status_code == 404
    assert (
        client.get(reverse("institutions:quote-detail", kwargs={"pk": sent_quote.pk})).status_code
        == 404
    )
    assert not Order.objects.exists()


def test_a_rejected_quote_cannot_be_accepted_afterwards(org_buyer, sent_quote):
    services.quote_reject(user=org_buyer, quote_id=sent_quote.pk, reason="Terlalu mahal")
    with pytest.raises(ValidationError) as refused:
        services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="PO-1")
    assert refused.value.code == "closed"
    assert not Order.objects.exists()


def test_a_request_not_yet_quoted_cannot_be_accepted_but_can_be_withdrawn(
    org_buyer,
    made_to_order_product,
    request_quote,
    workshop_staff,
    django_capture_on_commit_callbacks,
):
    quote = request_quote(org_buyer)
    with pytest.raises(ValidationError):
        services.quote_accept(user=org_buyer, quote_id=quote.pk, po_number="PO-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.quote_withdraw(user=org_buyer, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.WITHDRAWN
    assert [m for m in mail.outbox if workshop_staff.email in m.to]
    with pytest.raises(ValidationError):  # withdrawn: nothing more
        services.quote_withdraw(user=org_buyer, quote_id=quote.pk)


def test_accepting_needs_a_po_number(org_buyer, sent_quote):
    with pytest.raises(ValidationError) as refused:
        services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="  ")
    assert refused.value.code == "po_missing"
    assert not Order.objects.exists()


def test_over_the_credit_limit_nothing_is_placed(
    buyer, approve, tiered, made_to_order_product, request_quote, send_quote, english
):
    approve(buyer, terms="invoice", limit=Decimal("10000000"))
    quote = send_quote(request_quote(buyer, catalogue=[(tiered, 12)]))
    with pytest.raises(ValidationError, match="credit limit") as refused:
        services.quote_accept(user=buyer, quote_id=quote.pk, po_number="PO-1")
    assert refused.value.code == "over_credit_limit"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    assert not Order.objects.exists()


def test_stock_gone_since_the_quote_places_nothing(
    org_buyer, product, made_to_order_product, request_quote, send_quote
):
    quote = send_quote(request_quote(org_buyer, catalogue=[(product, 6)]))  # 5 in stock
    with pytest.raises(ValidationError) as refused:
        services.quote_accept(user=org_buyer, quote_id=quote.pk, po_number="PO-1")
    assert refused.value.code == "insufficient_stock"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT and not Order.objects.exists()


def test_quote_emails_are_in_the_buyers_language(
    buyer, approve, made_to_order_product, lapas, send_quote, django_capture_on_commit_callbacks
):
    approve(buyer)
    quote = services.quote_request_free_form(
        user=buyer,
        lapas_id=lapas.pk,
        items=[services.CustomItem("Desk", 2)],
        delivery_place="Office",
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_quote(quote)
    (sent,) = [m for m in mail.outbox if buyer.email in m.to]
    assert sent.subject.startswith("Karya: quote Q-")
    assert "/accounts/institution/quotes/" in sent.body


def test_the_buyer_and_the_lapas_see_the_quote_in_their_lists(
    client, org_buyer, sent_quote, workshop_staff
):
    client.force_login(org_buyer)
    assert sent_quote.number in client.get(reverse("institutions:quote-list")).content.decode()
    client.force_login(workshop_staff)
    page = client.get(reverse("institutions_dashboard:quote-list") + "?state=sent")
    assert sent_quote.number in page.content.decode()
    detail = client.get(
        reverse("institutions_dashboard:quote-detail", kwargs={"pk": sent_quote.pk})
    )
    assert detail.status_code == 200


def test_an_organisation_on_invoice_terms_orders_on_the_invoice_provider(
    buyer, approve, tiered, made_to_order_product, request_quote, send_quote
):
    from shop.payments.providers import get_provider

    if get_provider("invoice") is None:  # pragma: no cover - shop.invoicing provides it
        pytest.fail("The invoice provider (shop.invoicing) is not registered.")
    approve(buyer, terms="invoice", days=30, limit=Decimal("100000000"))
    quote = send_quote(request_quote(buyer, catalogue=[(tiered, 12)]))
    (order,) = services.quote_accept(user=buyer, quote_id=quote.pk, po_number="PO-30")
    row = InstitutionalOrder.objects.get(order=order)
    assert (row.payment_terms, row.payment_days) == ("invoice", 30)
    assert order.sources.get().source_type.name == get_provider("invoice").source_type_name
    assert not hasattr(order, "recorded_payment") or order.recorded_payment is None
    # The open amount now counts against the limit.
    assert selectors.organisation_open_exposure(row.organisation) == order.total_incl_tax


def test_an_up_front_order_paid_by_transfer_books_pnbp(org_buyer, sent_quote, lapas):
    from production_link.models import LedgerEntry
    from shop.payments.services import order_mark_paid
    from tests.conftest import _role_user

    (order,) = services.quote_accept(user=org_buyer, quote_id=sent_quote.pk, po_number="PO-9")
    treasurer = _role_user("bendahara.tng", "treasurer", lapas)
    assert order_mark_paid(order_id=order.pk, user=treasurer, reference="TRF-1")
    entry = LedgerEntry.objects.get(order=order)
    assert entry.channel == "institutional"
    assert entry.gross == order.total_incl_tax - order.shipping_incl_tax  # goods only


def test_the_request_page_sends_a_free_form_request_with_a_drawing(
    client, org_buyer, lapas, django_capture_on_commit_callbacks
):
    client.force_login(org_buyer)
    url = reverse("institutions:quote-request")
    page = client.get(url)
    assert page.status_code == 200 and lapas.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "lapas": lapas.pk,
                "delivery_place": "SMKN 2, Jl. Veteran",
                "wanted_by": (timezone.localdate() + timedelta(days=20)).isoformat(),
                "item-0-description": "Meja belajar 120x60",
                "item-0-quantity": "40",
                "item-1-description": "",
                "item-2-description": "Kursi kayu",
                "item-2-quantity": "40",
                "attachments": [_pdf(), _pdf("spesifikasi.pdf")],
            },
        )
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:quote-detail", kwargs={"pk": quote.pk})
    assert [(line.description, line.quantity) for line in quote.lines.all()] == [
        ("Meja belajar 120x60", 40),
        ("Kursi kayu", 40),
    ]
    assert quote.attachments.count() == 2
    refused = client.post(url, {"lapas": lapas.pk, "delivery_place": "X"})
    assert refused.status_code == 200 and Quote.objects.count() == 1
