"""Partial deliveries: never more than ordered less delivered, each with its own BAST."""

from decimal import Decimal

import pytest
from django.utils import timezone

from shop.invoicing.models import Delivery
from shop.invoicing.selectors import line_deliveries
from shop.invoicing.services import InvoiceError, delivery_record
from tests.factories import ProductFactory, WorkshopFactory
from tests.shop.invoicing.conftest import place_on_terms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def big_order(django_capture_on_commit_callbacks, org_buyer, organisation, desk, lapas):
    bread = ProductFactory(
        title="Roti Tawar",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Roti"),
        stockrecord__price=Decimal("15000"),
        stockrecord__num_in_stock=600,
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = place_on_terms(
            user=org_buyer, organisation=organisation, items=[(desk, 40), (bread, 500)]
        )
    return order


def deliver(invoice, user, quantities, token):
    return delivery_record(
        invoice_id=invoice.pk,
        user=user,
        delivered_on=timezone.localdate(),
        quantities=quantities,
        token=token,
        recipient_name="Budi",
    )


def test_partial_deliveries_up_to_what_was_ordered(big_order, workshop_staff):
    invoice = big_order.invoice
    desk_line, bread_line = big_order.lines.order_by("pk")
    first, created = deliver(invoice, workshop_staff, {desk_line.pk: 15, bread_line.pk: 500}, "d1")
    assert created and first.sequence == 1
    assert first.number == f"BAST-{invoice.number}-1"
    second, _ = deliver(invoice, workshop_staff, {desk_line.pk: 25}, "d2")
    assert second.sequence == 2
    remaining = {row.line.pk: row.remaining for row in line_deliveries(invoice)}
    assert remaining == {desk_line.pk: 0, bread_line.pk: 0}


def test_more_than_is_left_is_refused_saying_how_much_is_left(big_order, workshop_staff):
    invoice = big_order.invoice
    desk_line = big_order.lines.order_by("pk").first()
    deliver(invoice, workshop_staff, {desk_line.pk: 30}, "d1")
    with pytest.raises(InvoiceError) as refused:
        deliver(invoice, workshop_staff, {desk_line.pk: 11}, "d2")
    assert "10 still to deliver" in refused.value.messages[0]
    assert Delivery.objects.filter(invoice=invoice).count() == 1


def test_empty_foreign_and_negative_lines_are_refused(big_order, workshop_staff, invoiced_order):
    invoice = big_order.invoice
    with pytest.raises(InvoiceError, match="at least one line"):
        deliver(invoice, workshop_staff, {}, "d1")
    foreign = invoiced_order.lines.first()
    with pytest.raises(InvoiceError, match="another order"):
        deliver(invoice, workshop_staff, {foreign.pk: 1}, "d2")
    line = big_order.lines.first()
    with pytest.raises(InvoiceError, match="negative"):
        deliver(invoice, workshop_staff, {line.pk: -1}, "d3")
    assert not Delivery.objects.exists()


def test_a_form_posted_twice_records_one_delivery(big_order, workshop_staff):
    line = big_order.lines.first()
    first, created = deliver(big_order.invoice, workshop_staff, {line.pk: 5}, "same")
    again, created_again = deliver(big_order.invoice, workshop_staff, {line.pk: 5}, "same")
    assert created and not created_again and again == first
    assert Delivery.objects.count() == 1


def test_staff_of_another_lapas_may_not_record_a_delivery(big_order, other_workshop_staff):
    line = big_order.lines.first()
    with pytest.raises(InvoiceError, match="staff of the invoice's Lapas"):
        deliver(big_order.invoice, other_workshop_staff, {line.pk: 1}, "d1")
