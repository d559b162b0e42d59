"""Demand insight's demo year (data/demo/insight.yaml): orders over twelve months from
buyers in several provinces, placed and paid as the shop does it (at their own past
moment, like the PNBP demo), each taken from a batch made before it with its materials
cost; one product whose batch sells out in a burst; views per product and day; searches
per week, some finding nothing. Called by shop/apps/core/demo.py after the PNBP demo.
Idempotent: nothing is added when the demo orders exist.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from production_link.demo import _released
from shop.apps.core.datafiles import data_file
from shop.apps.core.pnbp_demo import _at, _clock
from shop.apps.order.placement import checkout_place
from shop.payments.providers import get_provider
from shop.payments.services import order_mark_paid

from . import counters
from .models import ProductViewDay, SearchWeek

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Selector = get_class("partner.strategy", "Selector")
FixedPrice = get_class("shipping.methods", "FixedPrice")

_DATA = data_file("demo/insight.yaml")


def _goods(lapas, count: int) -> list:
    return list(
        Product.objects.filter(
            stockrecords__partner=lapas,
            # Goods that keep (not food): a sale may come from a batch made weeks before.
            product_class__slug="barang",
            product_class__track_stock=True,
            workshop__isnull=False,
        )
        .order_by("upc")
        .distinct()[:count]
    )


def _buyers() -> list:
    User = get_user_model()
    buyers = []
    for row in _DATA["buyers"]:
        user, _created = User.objects.get_or_create(
            username=row["username"],
            defaults={"email": f"{row['username']}@example.test", "first_name": "Pembeli"},
        )
        buyers.append((user, row["province"]))
    return buyers


def _address(province: str):
    return ShippingAddress.objects.create(
        first_name="Pembeli",
        last_name="Demo",
        line1="Jl. Contoh No. 1",
        line4="Kota",
        state=province,
        postcode="10110",
        country=Country.objects.get(iso_3166_1_a2="ID"),
    )


def _plan(rng, goods, buyers, today) -> list[tuple]:
    """(day, product, quantity, buyer, province) of every demo sale, oldest first."""
    sales = []
    lapas_codes = [code for code in _DATA["lapas"] if code in goods]
    for n in range(_DATA["orders"]):
        day = today - datetime.timedelta(days=360 - n * 360 // _DATA["orders"])
        code = lapas_codes[n % len(lapas_codes)]
        product = rng.choice(goods[code])
        buyer, province = rng.choice(buyers)
        if rng.random() < 0.5:  # a guest: known by an e-mail address only, buys once
            buyer = None
        sales.append((day, product, rng.randint(1, 2), buyer, province))
    hot = _DATA["hot"]
    product = goods[hot["lapas"]][0]
    for k in range(hot["orders"]):
        day = today - datetime.timedelta(days=hot["days_ago"] - 2 * k)
        buyer, province = buyers[k % len(buyers)]
        sales.append((day, product, 3, buyer, province))
    return sorted(sales, key=lambda s: (s[0], s[1].pk))


def insight_demo_load() -> dict[str, int]:
    prefix = _DATA["number_prefix"]
    existing = Order.objects.filter(number__startswith=prefix).count()
    if existing:
        return {"insight demo orders": existing}
    rng = random.Random(_DATA["seed"])
    today = timezone.localdate()
    admin = get_user_model().objects.get(username="admin")
    lapas = {p.short_code: p for p in Partner.objects.filter(short_code__in=_DATA["lapas"])}
    goods = {code: _goods(partner, _DATA["goods_per_lapas"]) for code, partner in lapas.items()}
    goods = {code: items for code, items in goods.items() if items}
    if not goods:
        return {"insight demo orders": 0}
    sales = _plan(rng, goods, _buyers(), today)

    # One batch per product and quarter, made a week before its first sale and holding
    # what the quarter sells (the hot product's burst exactly: it sells out), so the
    # oldest batch is sold first and each sale's trace is believable.
    quarters: dict[tuple, list] = defaultdict(list)
    for sale in sales:
        day, product = sale[0], sale[1]
        quarters[(product.pk, (today - day).days // 91)].append(sale)
    hot_product = goods[_DATA["hot"]["lapas"]][0]
    share = Decimal(_DATA["materials_share"])
    for (_pk, _quarter), group in sorted(quarters.items(), key=lambda item: item[1][0][0]):
        product = group[0][1]
        units = sum(s[2] for s in group)
        spare = 0 if product.pk == hot_product.pk else max(1, units // 3)
        made = group[0][0] - datetime.timedelta(days=7)
        price = product.stockrecords.first().price or Decimal(0)
        with _clock(_at(made, 8)):
            _released(
                product=product,
                quantity=units + spare,
                made=made,
                user=admin,
                materials_per_unit=(price * share).quantize(Decimal(1)),
            )
    for serial, (day, product, quantity, buyer, province) in enumerate(sales, start=1):
        placed = _at(day, 9 + serial % 8)
        with _clock(placed):
            basket = Basket.objects.create(owner=buyer)
            basket.strategy = Selector().strategy(user=buyer)
            guest = "" if buyer is not None else f"tamu.{serial}@example.test"
            basket.add_product(product, quantity)
            checkout = checkout_place(
                basket=basket,
                number=f"{prefix}{serial:03d}",
                provider=get_provider("bank_transfer"),
                user=buyer,
                guest_email=guest,
                shipping_method=FixedPrice(Decimal(20000), Decimal(20000)),
                shipping_address=_address(province),
                date_placed=placed,
            )
            basket.submit()
        with _clock(placed + datetime.timedelta(hours=3)):
            for order in checkout.placed_orders:
                order_mark_paid(order_id=order.pk, user=admin, reference=f"TRF-{order.number}")
    _views_and_searches(rng, today, hot_product)
    return {"insight demo orders": len(sales)}


def _views_and_searches(rng, today, hot_product) -> None:
    if not ProductViewDay.objects.exists():
        rows = []
        for pk in Product.objects.filter(workshop__isnull=False).values_list("pk", flat=True):
            for offset in range(0, 365, 3):
                views = rng.randint(0, 12) + (25 if pk == hot_product.pk and offset < 80 else 0)
                if views:
                    day = today - datetime.timedelta(days=offset)
                    rows.append(ProductViewDay(product_id=pk, day=day, views=views))
        ProductViewDay.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if not SearchWeek.objects.exists():
        monday = counters.week_of(today)
        rows = []
        for week in range(52):
            for spec in _DATA["searches"]:
                searches = max(1, spec["per_week"] + rng.randint(-2, 2))
                found = spec["results"]
                rows.append(
                    SearchWeek(
                        week=monday - datetime.timedelta(weeks=week),
                        query=counters.query_normalise(spec["query"]),
                        searches=searches,
                        no_results=searches if found == 0 else 0,
                        few_results=searches if 0 < found <= counters.FEW_RESULTS else 0,
                    )
                )
        SearchWeek.objects.bulk_create(rows, ignore_conflicts=True)


def insight_rollup_demo_load() -> dict[str, int]:
    """The daily sales roll-up over every demo order, as the beat task would have filled
    it (shop/apps/core/demo.py calls this last, after every demo that places orders).
    Idempotent: a reload rewrites the same days."""
    from . import rollup

    return {"insight roll-up days": rollup.sales_days_refresh()["days"]}
