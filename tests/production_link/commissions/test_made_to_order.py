"""Made to order: an accepted quote's made-to-order line plans a batch in its workshop;
the batch waits for the deposit before production; its release allocates its units to the
order line first, once; the buyer follows it on their order page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from production_link.commissions.models import Commission
from production_link.commissions.services.made_to_order import deposit_amount_of
from production_link.models import Allocation, Batch, BatchStock
from production_link.qc.specs import passing_findings
from production_link.services import (
    BatchError,
    batch_record_production,
    batch_record_qc,
    batch_release,
)
from shop.apps.order import placement
from shop.institutions.models import Organisation, OrganisationMember, Quote, QuoteLine
from shop.institutions.signals import quote_accepted
from shop.payments.providers import get_provider
from tests.factories import ProductFactory, UserFactory, WorkshopFactory
from tests.production_link.test_batches import inspector_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def furniture(lapas):
    return WorkshopFactory(lapas=lapas, name="Bengkel Mebel", code="MBL")


@pytest.fixture
def desk(furniture):
    return ProductFactory(
        title="Meja Kerja Jati",
        workshop=furniture,
        stockrecord__price=Decimal("1500000"),
        stockrecord__num_in_stock=0,
    )


@pytest.fixture
def office(buyer):
    organisation = Organisation.objects.create(
        name="Dinas Pendidikan Kota Tangerang",
        npwp="012345678901000",
        address="Jl. Satria 1",
        kind=Organisation.Kind.LOCAL_GOVERNMENT,
        status=Organisation.Status.APPROVED,
        payment_terms=Organisation.PaymentTerms.INVOICE,
        credit_limit=Decimal("100000000"),
    )
    OrganisationMember.objects.create(organisation=organisation, user=buyer)
    return organisation


def _accept(*, lapas, office, buyer, desk, furniture, deposit_percent=30, quantity=40):
    """A sent quote accepted as shop.institutions accepts it: the order placed with the
    made-to-order line taking no stock, the quote line linked, the signal sent."""
    quote = Quote.objects.create(
        organisation=office,
        lapas=lapas,
        status=Quote.Status.ACCEPTED,
        requested_by=buyer,
        delivery_place="Jl. Satria 1",
        deposit_percent=deposit_percent,
    )
    line = QuoteLine.objects.create(
        quote=quote,
        product=desk,
        quantity=quantity,
        unit_price=Decimal("1500000"),
        made_to_order=True,
        workshop=furniture,
    )
    draft = placement.OrderDraft(
        number=f"INS-{quote.pk:06d}",
        lapas=lapas,
        user=buyer,
        lines=[
            placement.LineDraft(
                product=desk,
                quantity=quantity,
                unit_price_incl_tax=Decimal("1500000"),
                stockrecord=desk.stockrecords.get(),
                made_to_order=True,
            )
        ],
    )
    (order,) = placement.with_lock_retry(
        lambda: placement.orders_place(drafts=[draft], provider=get_provider("invoice"))
    )
    line.order_line = order.lines.get()
    line.save(update_fields=["order_line"])
    quote_accepted.send(sender=Quote, quote=quote, orders=[order])
    return order, Commission.objects.get(quote_line=line)


def _produce(batch, user, quantity=40):
    return batch_record_production(batch_id=batch.pk, produced_quantity=quantity, user=user)


def _pass_qc(batch, lapas):
    checks, measures = passing_findings(batch.product)
    batch_record_qc(
        batch_id=batch.pk,
        passed=True,
        checklist=checks,
        measurements=measures,
        user=inspector_of(lapas),
    )


def _pay_deposit(order, amount, user):
    from shop.invoicing.models import Invoice, InvoicePayment
    from shop.invoicing.services import invoice_issue

    invoice = Invoice.objects.filter(order=order).first() or invoice_issue(order_id=order.pk)
    InvoicePayment.objects.create(
        invoice=invoice,
        paid_on=invoice.issued_on,
        amount=amount,
        reference="TRF-UANG-MUKA",
        token=f"t-{invoice.pk}-{amount}",
        recorded_by=user,
    )


def test_accepting_plans_a_batch_linked_to_the_quote_line_and_the_order_line(
    lapas, office, buyer, desk, furniture
):
    order, commission = _accept(
        lapas=lapas, office=office, buyer=buyer, desk=desk, furniture=furniture
    )

    batch = commission.batch
    assert (batch.status, batch.workshop, batch.product) == (Batch.Status.PLANNED, furniture, desk)
    assert batch.planned_quantity == 40
    assert commission.order_line == order.lines.get()
    assert commission.order_line.num_allocated == 0
    assert commission.deposit_amount == Decimal("18000000")  # 30 % of 60.000.000
    # The signal again (a retried acceptance) plans nothing twice.
    quote_accepted.send(sender=Quote, quote=commission.quote_line.quote, orders=[order])
    assert Commission.objects.count() == 1


def test_production_waits_for_the_deposit(lapas, office, buyer, desk, furniture, workshop_staff):
    order, commission = _accept(
        lapas=lapas, office=office, buyer=buyer, desk=desk, furniture=furniture
    )

    with pytest.raises(BatchError, match="deposit"):
        _produce(commission.batch, workshop_staff)
    _pay_deposit(order, Decimal("10000000"), workshop_staff)  # not enough yet
    with pytest.raises(BatchError, match="deposit"):
        _produce(commission.batch, workshop_staff)
    assert Batch.objects.get(pk=commission.batch.pk).status == Batch.Status.PLANNED

    _pay_deposit(order, Decimal("8000000"), workshop_staff)
    assert _produce(commission.batch, workshop_staff).status == Batch.Status.PRODUCED


def test_release_allocates_the_units_to_the_order_line_once(
    lapas, office, buyer, desk, furniture, workshop_staff
):
    order, commission = _accept(
        lapas=lapas,
        office=office,
        buyer=buyer,
        desk=desk,
        furniture=furniture,
        deposit_percent=0,
    )
    batch = commission.batch
    _produce(batch, workshop_staff, quantity=42)  # two spare desks
    _pass_qc(batch, lapas)

    released = batch_release(batch_id=batch.pk, user=workshop_staff)

    line = order.lines.get()
    (allocation,) = Allocation.objects.filter(line=line)
    assert (allocation.batch_id, allocation.quantity) == (batch.pk, 40)
    assert line.num_allocated == 40
    assert BatchStock.objects.get(batch=batch).quantity == 2  # only the spares are for sale
    assert desk.stockrecords.get().num_in_stock == 2
    assert released.status == Batch.Status.RELEASED
    commission.refresh_from_db()
    assert commission.allocated_quantity == 40

    with pytest.raises(BatchError):  # releasing twice
        batch_release(batch_id=batch.pk, user=workshop_staff)
    assert Allocation.objects.filter(line=line).count() == 1
    assert order.lines.get().num_allocated == 40


def test_a_batch_made_exactly_for_the_order_is_sold_out_at_release(
    lapas, office, buyer, desk, furniture, workshop_staff
):
    _order, commission = _accept(
        lapas=lapas,
        office=office,
        buyer=buyer,
        desk=desk,
        furniture=furniture,
        deposit_percent=0,
    )
    _produce(commission.batch, workshop_staff)
    _pass_qc(commission.batch, lapas)

    assert batch_release(batch_id=commission.batch.pk, user=workshop_staff).status == (
        Batch.Status.SOLD_OUT
    )
    assert desk.stockrecords.get().num_in_stock == 0


def test_staff_of_another_lapas_cannot_move_the_batch(
    lapas, office, buyer, desk, furniture, other_workshop_staff
):
    _order, commission = _accept(
        lapas=lapas,
        office=office,
        buyer=buyer,
        desk=desk,
        furniture=furniture,
        deposit_percent=0,
    )

    with pytest.raises(PermissionDenied):
        _produce(commission.batch, other_workshop_staff)


def test_the_deposit_is_rounded_half_up_to_whole_rupiah():
    assert deposit_amount_of(order_total=Decimal("1000005"), percent=10) == Decimal("100001")
    assert deposit_amount_of(order_total=Decimal("1000004"), percent=10) == Decimal("100000")
    assert deposit_amount_of(order_total=Decimal("1000000"), percent=0) == 0


def test_the_buyer_follows_the_progress_on_their_order_page(
    client, lapas, office, buyer, desk, furniture, workshop_staff
):
    order, commission = _accept(
        lapas=lapas, office=office, buyer=buyer, desk=desk, furniture=furniture
    )
    client.force_login(buyer)
    url = reverse("customer:order", kwargs={"order_number": order.number})

    page = client.get(url).content.decode()
    assert 'id="order-commissions"' in page
    assert commission.batch.code in page
    assert "deposit" in page or "uang muka" in page.lower()

    client.force_login(UserFactory(username="orang.lain"))
    assert client.get(url).status_code == 404


def test_the_lapas_lists_its_commissions_and_not_anothers(
    client, lapas, office, buyer, desk, furniture, workshop_staff, other_workshop_staff
):
    _order, commission = _accept(
        lapas=lapas, office=office, buyer=buyer, desk=desk, furniture=furniture
    )
    url = reverse("commissions_dashboard:commission-list")
    client.force_login(workshop_staff)
    assert commission.batch.code in client.get(url).content.decode()
    client.force_login(other_workshop_staff)
    assert commission.batch.code not in client.get(url).content.decode()


def test_a_line_without_a_workshop_of_the_lapas_is_left_to_plan_by_hand(
    lapas, other_lapas, office, buyer, desk, furniture
):
    elsewhere = WorkshopFactory(lapas=other_lapas, name="Bengkel Mebel Lain", code="MBL")

    order, _none = _accept_without_commission(
        lapas=lapas, office=office, buyer=buyer, desk=desk, workshop=elsewhere
    )

    assert not Commission.objects.exists()
    assert "plan its batch by hand" in order.notes.get().message


def _accept_without_commission(*, lapas, office, buyer, desk, workshop):
    quote = Quote.objects.create(
        organisation=office,
        lapas=lapas,
        status=Quote.Status.ACCEPTED,
        requested_by=buyer,
        delivery_place="Jl. Satria 1",
    )
    line = QuoteLine.objects.create(
        quote=quote,
        product=desk,
        quantity=2,
        unit_price=Decimal("1500000"),
        made_to_order=True,
        workshop=workshop,
    )
    draft = placement.OrderDraft(
        number=f"INS-{quote.pk:06d}",
        lapas=lapas,
        user=buyer,
        lines=[
            placement.LineDraft(
                product=desk,
                quantity=2,
                unit_price_incl_tax=Decimal("1500000"),
                stockrecord=desk.stockrecords.get(),
                made_to_order=True,
            )
        ],
    )
    (order,) = placement.with_lock_retry(
        lambda: placement.orders_place(drafts=[draft], provider=get_provider("invoice"))
    )
    line.order_line = order.lines.get()
    line.save(update_fields=["order_line"])
    quote_accepted.send(sender=Quote, quote=quote, orders=[order])
    return order, None
