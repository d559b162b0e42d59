"""Orders placed on invoice terms as an accepted quote places them: through the one sale
pipeline with the "invoice" provider, then the order's institutional row (organisation,
PO number, terms) in the same transaction; the invoice is issued once that commits."""

import itertools
from decimal import Decimal

import pytest
from django.db import transaction

from shop.apps.core.services import user_assign_role
from shop.apps.order.placement import LineDraft, OrderDraft, orders_place
from shop.institutions.models import InstitutionalOrder, Organisation, OrganisationMember
from shop.payments.providers import get_provider
from tests.factories import ProductFactory, UserFactory, WorkshopFactory

_numbers = itertools.count(1)


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Dinas Pendidikan Kota Tangerang",
        npwp="012345678901000",
        address="Jl. Satria Sudirman No. 1, Kota Tangerang, Banten",
        kind=Organisation.Kind.LOCAL_GOVERNMENT,
        email="keuangan@disdik.example.test",
        status=Organisation.Status.APPROVED,
        payment_terms=Organisation.PaymentTerms.INVOICE,
        payment_days=30,
        credit_limit=Decimal("100000000"),
    )


@pytest.fixture
def org_buyer(organisation):
    user = UserFactory(username="pengadaan.disdik", email="pengadaan@disdik.example.test")
    OrganisationMember.objects.create(organisation=organisation, user=user)
    return user


@pytest.fixture
def desk(lapas):
    return ProductFactory(
        title="Meja Kerja Jati",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Mebel"),
        stockrecord__price=Decimal("1234567"),
        stockrecord__num_in_stock=50,
    )


@pytest.fixture
def treasurer(lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.tng"), role_code="treasurer", lapas=lapas
    )


@pytest.fixture
def other_treasurer(other_lapas):
    return user_assign_role(
        user=UserFactory(username="bendahara.cpn"), role_code="treasurer", lapas=other_lapas
    )


def place_on_terms(
    *,
    user,
    organisation,
    items,
    po_number="PO-2026/117",
    shipping=Decimal("0"),
    provider="invoice",
):
    """Place one order of ``items`` ((product, quantity) of one Lapas) on invoice terms;
    returns the order (its invoice is issued when the caller's transaction commits)."""
    product = items[0][0]
    lapas = product.stockrecords.first().partner
    draft = OrderDraft(
        number=f"INS-{next(_numbers):05d}",
        lapas=lapas,
        channel="institutional",
        user=user,
        shipping_incl_tax=shipping,
        lines=[
            LineDraft(
                product=p,
                quantity=q,
                unit_price_incl_tax=p.stockrecords.first().price,
                stockrecord=p.stockrecords.first(),
            )
            for p, q in items
        ],
    )
    with transaction.atomic():
        (order,) = orders_place(drafts=[draft], provider=get_provider(provider), user=user)
        InstitutionalOrder.objects.create(
            order=order,
            organisation=organisation,
            po_number=po_number,
            payment_terms=organisation.payment_terms,
            payment_days=organisation.payment_days,
        )
    return order


@pytest.fixture
def invoiced_order(django_capture_on_commit_callbacks, org_buyer, organisation, desk):
    """An order of 2 desks (2 × Rp1.234.567) with its invoice issued."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_on_terms(user=org_buyer, organisation=organisation, items=[(desk, 2)])
    order.refresh_from_db()
    return order
