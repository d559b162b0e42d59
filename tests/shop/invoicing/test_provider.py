"""The "invoice" provider: placing an order on terms takes no money, leaves it awaiting
payment and issues its invoice once, after the placement commits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.apps.order import statuses
from shop.invoicing.models import Invoice
from shop.invoicing.providers import INVOICE_SOURCE_TYPE
from shop.invoicing.services import invoice_issue
from shop.payments.providers import get_provider
from shop.payments.selectors import order_is_paid
from tests.shop.invoicing.conftest import place_on_terms

pytestmark = pytest.mark.django_db


def test_the_provider_is_registered_for_institutional_sales_only():
    provider = get_provider("invoice")
    assert provider is not None
    assert provider.channels == ("institutional",)
    assert not provider.is_allowed(basket=None, channel="online")


def test_placing_on_terms_takes_nothing_and_issues_the_invoice(invoiced_order, lapas, desk):
    order = invoiced_order
    assert order.status == statuses.AWAITING_PAYMENT
    assert not order_is_paid(order=order)
    source = order.sources.get()
    assert source.source_type.name == INVOICE_SOURCE_TYPE
    assert source.amount_debited == 0
    invoice = order.invoice
    today = timezone.localdate()
    assert invoice.number == f"INV/TNG/{today.year}/00001"
    assert invoice.seller_satker_code == lapas.satker_code
    assert invoice.buyer_name == "Dinas Pendidikan Kota Tangerang"
    assert invoice.buyer_npwp == "01.234.567.8-901.000"
    assert invoice.po_number == "PO-2026/117"
    assert invoice.bank_account_number == lapas.bank_account_number
    assert invoice.issued_on == today
    assert invoice.due_on == today + timedelta(days=30)
    assert invoice.total == Decimal("2469134.00") == order.total_incl_tax
    assert invoice.goods_total + invoice.shipping_total == invoice.total


def test_a_retried_issue_returns_the_same_invoice(invoiced_order):
    first = invoiced_order.invoice
    assert invoice_issue(order_id=invoiced_order.pk) == first
    assert Invoice.objects.filter(order=invoiced_order).count() == 1


def test_a_placement_rolled_back_issues_and_numbers_nothing(
    django_capture_on_commit_callbacks, org_buyer, organisation, desk
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
                raise RuntimeError("the caller fails after placing")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Invoice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 1)])
    assert order.invoice.sequence == 1
