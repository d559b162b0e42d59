"""factory_boy factories for Karya's models (Oscar's, through get_model, and ours)."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Country = get_model("address", "Country")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = "Sari"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "secret-pass-123")
        if create:
            obj.save(update_fields=["password"])


class LapasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lapas Kelas IIA Contoh {n}")
    satker_code = factory.Sequence(lambda n: f"{410000 + n:06d}")
    short_code = factory.Sequence(lambda n: "L" + chr(65 + n % 26) + chr(65 + (n // 26) % 26))
    bank_name = "Bank Rakyat Indonesia"
    bank_account_number = factory.Sequence(lambda n: f"{1234567890 + n}")
    bank_account_holder = factory.LazyAttribute(lambda p: f"Bendahara Penerimaan {p.name}")

    @factory.post_generation
    def address(obj, create, extracted, **kwargs):
        if create:
            PartnerAddress.objects.create(
                partner=obj,
                line1="Jl. Veteran No. 2",
                line4="Kota Tangerang",
                state="Banten",
                postcode="15111",
                country=Country.objects.get(iso_3166_1_a2="ID"),
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
    is_public = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        return parent.add_child(**kwargs)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "production_link.Workshop"

    lapas = factory.SubFactory(LapasFactory)
    name = factory.Sequence(lambda n: f"Bengkel Roti {n}")
    code = "ROTI"
    field_of_work = factory.SubFactory(CategoryFactory)
    description = "Bengkel roti dengan oven gas dan standar kebersihan pangan."


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("name",)

    name = "Barang"
    requires_shipping = True
    track_stock = True


def released_batch(*, product, quantity, production_date=None, expiry_date=None, workshop=None):
    """A batch already through QC and released into its Lapas warehouse."""
    import datetime

    from django.utils import timezone

    from production_link.models import Batch, BatchStock
    from production_link.services import stock_location_warehouse, stockrecord_sync

    workshop = workshop or product.workshop
    production_date = production_date or datetime.date.today() - datetime.timedelta(days=1)
    batch = Batch.objects.create(
        code=f"T{Batch.objects.count() + 1:04d}-{product.pk}",
        product=product,
        workshop=workshop,
        status=Batch.Status.RELEASED,
        planned_quantity=quantity,
        produced_quantity=quantity,
        production_date=production_date,
        expiry_date=expiry_date,
        qc_passed=True,
        released_at=timezone.now(),
    )
    BatchStock.objects.create(
        batch=batch, location=stock_location_warehouse(lapas=workshop.lapas), quantity=quantity
    )
    stockrecord_sync(product_id=product.pk)
    return batch


class ProductFactory(factory.django.DjangoModelFactory):
    """A public product with one stock record at its workshop's Lapas.

    ProductFactory(stockrecord__price=Decimal("150000"), stockrecord__num_in_stock=5)
    sets the stock record; stockrecord=False leaves the product without one.
    """

    class Meta:
        model = Product
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Roti Sobek Cokelat {n}")
    upc = factory.Sequence(lambda n: f"TST-{n:05d}")
    description = "Roti lembut dari bengkel roti Lapas."
    product_class = factory.SubFactory(ProductClassFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    is_public = True

    @factory.post_generation
    def stockrecord(obj, create, extracted, **kwargs):
        """A stock record at the workshop's Lapas; its units come from one released batch
        in the Lapas warehouse, as in the running shop (stock follows batches)."""
        if not create or extracted is False:
            return
        StockRecord.objects.create(
            product=obj,
            partner=obj.workshop.lapas,
            partner_sku=obj.upc,
            price=kwargs.get("price", Decimal("25000")),
            num_in_stock=0,
        )
        units = kwargs.get("num_in_stock", 10)
        if units and obj.get_product_class().track_stock:
            released_batch(product=obj, quantity=units)

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            for category in extracted:
                ProductCategory.objects.create(product=obj, category=category)


def _now():
    from django.utils import timezone

    return timezone.now()


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """A PNBP ledger entry as the ledger service writes it: a paid order of one Lapas with
    its lines, then the entry and one ledger line per order line. Every ledger row is
    complete in its one INSERT (on PostgreSQL the ledger tables refuse UPDATE).

    LedgerEntryFactory(lapas=lapas, due_at=moment, lines=[(batch, 2, Decimal("15000"))])
        a sale: each line is (batch or product, quantity, unit price)
    LedgerEntryFactory(reverses=sale_entry, due_at=moment, lines=[(batch, 1)])
        the reversal of a refund of one unit of that batch, at the sale's unit price
    premi_percent=Decimal("10") puts that share of each line in the wage pool (rounded
    half up, the rest is PNBP); channel ("online", "pos") and account_code as given.
    """

    class Meta:
        model = "production_link.LedgerEntry"

    lapas = factory.SubFactory(LapasFactory)
    kind = "sale"
    channel = "online"
    due_at = factory.LazyFunction(lambda: _now())

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        lapas,
        due_at,
        kind,
        channel,
        lines=(),
        reverses=None,
        premi_percent=Decimal("0"),
        account_code=None,
        **kwargs,
    ):
        import uuid
        from decimal import ROUND_HALF_UP

        from production_link.models import Batch, LedgerEntryLine
        from shop.apps.order import statuses
        from shop.payments.models import Refund

        Line = get_model("order", "Line")
        Order = get_model("order", "Order")

        def premi_of(amount):
            return (amount * premi_percent / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

        if reverses is not None:
            order, lapas, channel = reverses.order, reverses.lapas, reverses.channel
            account_code = account_code or reverses.account_code
            detail = []
            for batch, quantity in lines:
                sold = reverses.lines.get(batch=batch)
                unit = sold.gross / sold.quantity
                detail.append((sold.line, batch, -quantity, -unit * quantity))
            refund = Refund.objects.create(
                order=order,
                provider="bank_transfer",
                amount=-sum(d[3] for d in detail),
                status=Refund.Status.SUCCEEDED,
                idempotency_key=uuid.uuid4().hex,
                completed_at=due_at,
            )
            kind = "reversal"
        else:
            refund = None
            total = sum(Decimal(price) * quantity for _item, quantity, price in lines)
            order = Order.objects.create(
                number=f"T{uuid.uuid4().int % 10**9:09d}",
                currency="IDR",
                total_incl_tax=total,
                total_excl_tax=total,
                shipping_method="Ambil di Lapas",
                status=statuses.PAID,
                channel=channel,
                guest_email="pembeli@example.test",
                date_placed=due_at,
            )
            detail = []
            for item, quantity, price in lines:
                batch = item if isinstance(item, Batch) else None
                product = batch.product if batch else item
                amount = Decimal(price) * quantity
                line = Line.objects.create(
                    order=order,
                    partner=lapas,
                    partner_name=lapas.name,
                    partner_sku=product.upc or str(product.pk),
                    product=product,
                    title=product.title,
                    quantity=quantity,
                    line_price_incl_tax=amount,
                    line_price_excl_tax=amount,
                    line_price_before_discounts_incl_tax=amount,
                    line_price_before_discounts_excl_tax=amount,
                    unit_price_incl_tax=Decimal(price),
                    unit_price_excl_tax=Decimal(price),
                    num_allocated=quantity,
                )
                detail.append((line, batch, quantity, amount))
        gross = sum((d[3] for d in detail), Decimal("0"))
        premi = sum((premi_of(d[3]) for d in detail), Decimal("0"))
        entry = model_class.objects.create(
            lapas=lapas,
            kind=kind,
            order=order,
            refund=refund,
            channel=channel,
            account_code=account_code or lapas.pnbp_account_code,
            gross=gross,
            pnbp_amount=gross - premi,
            premi_amount=premi,
            working_capital_amount=Decimal("0"),
            programme_amount=Decimal("0"),
            due_at=due_at,
            **kwargs,
        )
        for line, batch, quantity, amount in detail:
            LedgerEntryLine.objects.create(
                entry=entry,
                line=line,
                batch=batch,
                workshop=batch.workshop if batch else line.product.workshop,
                quantity=quantity,
                gross=amount,
                premi_amount=premi_of(amount),
            )
        return entry


def place_checkout(
    *,
    basket,
    user=None,
    shipping_method=None,
    shipping_address=None,
    number=None,
    provider="bank_transfer",
    channel="online",
    guest_email="",
):
    """A basket placed as the shop places it (shop.apps.order.placement): one order per
    Lapas under one checkout, units allocated to batches, the provider asked once. Stands
    in for Oscar's create_order, whose OrderCreator the shop no longer uses."""
    from oscar.apps.order.utils import OrderNumberGenerator
    from oscar.apps.shipping.methods import Free

    from shop.apps.order.placement import checkout_place
    from shop.payments.providers import get_provider

    if not basket.id:
        basket.save()
    checkout = checkout_place(
        basket=basket,
        number=number or OrderNumberGenerator().order_number(basket),
        provider=get_provider(provider),
        user=user,
        guest_email=guest_email,
        shipping_method=shipping_method if shipping_method is not None else Free(),
        shipping_address=shipping_address,
        channel=channel,
    )
    basket.set_as_submitted()
    return checkout


def place_order(**kwargs):
    """The one order of a single-Lapas basket (see place_checkout)."""
    (order,) = place_checkout(**kwargs).placed_orders
    return order
