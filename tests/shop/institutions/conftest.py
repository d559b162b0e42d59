from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def approve(central_admin):
    """An organisation applied for by ``user`` and approved with the given terms."""
    from shop.institutions import services

    def make(
        user,
        *,
        name="Dinas Pendidikan Kota Tangerang",
        kind="local_government",
        terms="upfront",
        days=30,
        limit=Decimal("0"),
        language="id",
    ):
        organisation = services.organisation_apply(
            user=user,
            name=name,
            npwp="01.234.567.8-901.000",
            address="Jl. Satria Sudirman No. 1, Tangerang",
            kind=kind,
            language=language,
        )
        return services.organisation_approve(
            organisation_id=organisation.pk,
            user=central_admin,
            payment_terms=terms,
            payment_days=days,
            credit_limit=limit,
        )

    return make


@pytest.fixture
def org_buyer(buyer, approve):
    approve(buyer)
    return buyer


@pytest.fixture
def made_to_order_product(lapas):
    """A desk the furniture workshop makes on order: a price, no stock."""
    from tests.factories import ProductFactory, WorkshopFactory

    return ProductFactory(
        title="Meja Kerja Jati",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Mebel", code="MBL"),
        stockrecord__price=Decimal("1200000"),
        stockrecord__num_in_stock=0,
    )


@pytest.fixture
def tiered(product):
    """Bread of the bakery at Rp150.000, Rp120.000 from 10 units (the institutional
    tier), 20 in stock."""
    from tests.factories import ProductFactory

    bread = ProductFactory(
        title="Roti Tawar Gandum",
        workshop=product.workshop,
        stockrecord__price=Decimal("150000"),
        stockrecord__num_in_stock=20,
    )
    bread.price_tiers.create(min_quantity=10, price=Decimal("120000"))
    return bread


@pytest.fixture
def request_quote(lapas):
    """A free-form request plus, optionally, catalogue lines, as a buyer would make them."""
    from shop.institutions import services
    from shop.institutions.models import QuoteLine

    def make(user, *, items=(("Meja lipat 120x60 cm, kayu jati", 40),), catalogue=()):
        quote = services.quote_request_free_form(
            user=user,
            lapas_id=lapas.pk,
            items=[services.CustomItem(description=d, quantity=q) for d, q in items],
            wanted_by=timezone.localdate() + timedelta(days=30),
            delivery_place="Kantor Dinas, Jl. Satria Sudirman No. 1",
        )
        for position, (product, quantity) in enumerate(catalogue, start=len(items)):
            QuoteLine.objects.create(
                quote=quote, position=position, product=product, quantity=quantity
            )
        return quote

    return make


@pytest.fixture
def send_quote(workshop_staff):
    """Price every line (custom ones at ``custom_price`` in the quote's first workshop)
    and send the quote."""
    from production_link.models import Workshop
    from shop.institutions import services

    def send(quote, *, custom_price="950000", delivery="250000", days=14, user=None, **prices):
        workshop = Workshop.objects.filter(lapas=quote.lapas).order_by("pk").first()
        entries = []
        for line in quote.lines.all():
            if line.is_custom:
                entries.append(
                    services.LinePricing(
                        line_id=line.pk,
                        unit_price=custom_price,
                        workshop_id=workshop.pk,
                        made_to_order=True,
                    )
                )
            else:
                entries.append(services.LinePricing(line_id=line.pk, **prices.get("lines", {})))
        return services.quote_price(
            user=user or workshop_staff,
            quote_id=quote.pk,
            lines=entries,
            delivery_cost=delivery,
            valid_until=timezone.localdate() + timedelta(days=days),
            deposit_percent=30,
            send=True,
        )

    return send
