import datetime
import io
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.compliance import missing_facts
from production_link.models import Allocation, Batch, BatchStock, LedgerEntry, LedgerEntryLine
from production_link.reports.periods import MONTHLY, period_containing
from production_link.reports.selectors import monthly_figures
from production_link.selectors import sellable_online_units
from shop.apps.core.seeding import (
    HOT_UPC,
    LEDGER_ORDER_PREFIX,
    ORDER_PREFIX,
    SeedOptions,
    catalogue_plan,
    catalogue_seed,
    seed_counts,
)
from tests.shop.checkout.test_checkout import add_to_basket, checkout

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

# Seeded food expires months after the base date; dating the run today keeps it on sale.
TODAY = timezone.localdate()
SMALL = SeedOptions(products=40, lapas=2, seed=7, orders=3, hot_stock=500, base_date=TODAY)


@pytest.fixture
def seeded():
    return catalogue_seed(options=SMALL)


def test_small_seed_gives_exact_counts(seeded):
    plan = seeded.plan
    lapas_of = {p.upc: p.lapas for p in plan.products}

    assert seeded.counts == {
        "lapas": 2,
        "workshops": sum(len(names) for names in plan.workshops),
        "products": 41,  # 40 and the hot product
        "stock records": 41,
        "product images": 41,
        "batches": sum(len(p.batches) for p in plan.products),
        "units in stock": sum(b.quantity for p in plan.products for b in p.batches)
        - sum(q for o in plan.orders for _upc, q in o.items),
        "orders": 3,
        "ledger orders": 0,
        # One per Lapas whose goods a paid order holds.
        "ledger entries": sum(len({lapas_of[upc] for upc, _q in o.items}) for o in plan.orders),
    }
    assert {p.satker_code for p in Partner.objects.filter(satker_code__startswith="98")} == {
        "980001",
        "980002",
    }


def test_the_same_seed_plans_the_same_catalogue_and_another_seed_another():
    again = catalogue_plan(SMALL)

    assert again == catalogue_plan(SMALL)
    other = catalogue_plan(replace(SMALL, seed=8))
    assert [p.title for p in other.products] != [p.title for p in again.products]
    assert [p.upc for p in other.products] == [p.upc for p in again.products]


def test_the_database_holds_the_plan(seeded):
    rows = {
        r.product.upc: r for r in StockRecord.objects.select_related("product", "partner").all()
    }
    for p in seeded.plan.products:
        record = rows[p.upc]
        assert record.product.title == p.title
        assert record.price == p.price
        assert record.partner.satker_code == seeded.plan.lapas[p.lapas].satker_code
    orders = Order.objects.filter(number__startswith=ORDER_PREFIX).order_by("number")
    assert [o.number for o in orders] == sorted(o.number for o in seeded.plan.orders)


def test_seeded_products_are_public_and_pass_the_label_gate(seeded):
    products = Product.objects.filter(upc__startswith="SEED-").select_related("product_class")

    assert all(p.is_public for p in products)
    assert {p.product_class.slug for p in products} == {"pangan", "barang", "jasa"}
    assert [p.upc for p in products if missing_facts(p)] == []
    assert all(p.images.count() == 1 for p in products)
    # Products share a small pool of image files.
    files = {p.images.get().original.name for p in products}
    assert len(files) < len(products)


def test_batch_stock_is_the_stock_records_stock(seeded):
    for record in StockRecord.objects.filter(product__upc__startswith="SEED-").select_related(
        "product__product_class", "partner"
    ):
        if not record.product.product_class.track_stock:
            assert not record.product.batches.exists()
            continue
        units = BatchStock.objects.filter(batch__product=record.product).aggregate(
            n=Sum("quantity")
        )["n"]
        assert (
            record.num_in_stock
            == units
            == sellable_online_units(product=record.product, lapas=record.partner)
        )
        assert record.num_allocated == 0
    # The seeded orders took their units from batches, each line fully allocated.
    for order in Order.objects.filter(number__startswith=ORDER_PREFIX):
        for line in order.lines.all():
            assert sum(a.quantity for a in line.allocations.all()) == line.quantity
        lapas = {line.partner_id for line in order.lines.all()}
        assert set(order.pnbp_entries.values_list("lapas", flat=True)) == lapas


def test_the_hot_product(seeded):
    hot = Product.objects.get(upc=HOT_UPC)
    record = hot.stockrecords.get()

    assert hot.product_class.slug == "barang" and hot.product_class.requires_shipping
    assert record.price == 50000
    assert record.partner.satker_code == "980001"  # the first Lapas
    assert record.num_in_stock == 500
    assert BatchStock.objects.get(batch__product=hot).location.fulfils_online


def test_seeded_pages_work_and_a_seeded_product_can_be_bought(seeded, client):
    hot = Product.objects.get(upc=HOT_UPC)
    category = hot.categories.get()

    listing = client.get("/catalogue/")
    assert listing.status_code == 200
    assert "SEED" in "".join(p.upc for p in listing.context["products"])
    assert client.get(category.get_absolute_url()).status_code == 200
    page = client.get(hot.get_absolute_url())
    assert page.status_code == 200 and "Tas Kanvas" in page.content.decode()
    search = client.get(reverse("search:search"), {"q": "kanvas"})
    assert search.status_code == 200
    assert hot in list(search.context["page_obj"].object_list)

    add_to_basket(client, hot, quantity=2)
    checkout(client, guest_email="tamu@example.test")

    order = Order.objects.exclude(number__startswith="SEED-").get()
    assert order.lines.get().product == hot
    assert hot.stockrecords.get().num_in_stock == 498


def test_pnbp_reconcile_agrees_after_seeding(seeded):
    call_command("pnbp_reconcile", stdout=io.StringIO())


def test_ledger_entries_of_one_lapas_in_one_month_add_up_in_the_monthly_report():
    month = datetime.date(2026, 10, 1)
    options = replace(SMALL, ledger_entries=60, ledger_month=month)

    result = catalogue_seed(options=options)

    lapas = Partner.objects.get(satker_code="980001")
    seeded = LedgerEntry.objects.filter(order__number__startswith=LEDGER_ORDER_PREFIX)
    assert seeded.count() == 60 == result.counts["ledger orders"]
    assert set(seeded.values_list("lapas", flat=True)) == {lapas.pk}
    assert {timezone.localtime(e.due_at).date().replace(day=1) for e in seeded} == {month}
    assert set(seeded.values_list("channel", flat=True)) == {"online", "pos"}
    lines = LedgerEntryLine.objects.filter(entry__in=seeded)
    assert lines.aggregate(n=Sum("gross"))["n"] == seeded.aggregate(n=Sum("gross"))["n"]
    # Units sold came from batches that sold out on them.
    allocated = Allocation.objects.filter(line__order__number__startswith=LEDGER_ORDER_PREFIX)
    assert set(allocated.values_list("batch__status", flat=True)) == {Batch.Status.SOLD_OUT}

    figures = monthly_figures(lapas=lapas, period=period_containing(MONTHLY, month))

    assert figures["summary"]["entries"] == 60
    assert figures["summary"]["sales"] == seeded.aggregate(n=Sum("gross"))["n"]
    assert figures["summary"]["deposited"] > 0  # the first half of the month is deposited
    call_command("pnbp_reconcile", stdout=io.StringIO())


def test_a_second_run_is_refused_and_changes_nothing():
    args = ["--products", "10", "--lapas", "1", "--orders", "1", "--hot-stock", "10"]
    call_command("seed_catalog", *args, stdout=io.StringIO())
    before = seed_counts()

    with pytest.raises(CommandError, match="already exists"):
        call_command("seed_catalog", *args, "--seed", "2", stdout=io.StringIO())

    assert seed_counts() == before
