"""Demo PNBP ledger: a few months of paid online orders, their ledger entries, a revenue
split, deposits with billing code and NTPN, and recent sales past their deadline.

Orders are placed the way the shop places them (shop.apps.order.placement: one order per
Lapas, units allocated to batches), paid with the payments service and booked with the ledger service. To
give the months a history, each step is replayed at its own past moment: the demo sets
the clock (``timezone.now``) to that moment while the services run, so every timestamp,
the ledger's included, is the one it would have had. Each sale takes its units from a
batch made shortly before it, so the trace stays believable.

Called by shop/apps/core/demo.py after the products, users and batches exist. Idempotent:
the demo orders have fixed numbers (DEMO-PNBP-…); when they exist nothing is placed again.
"""

import contextlib
import datetime
import hashlib
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oscar.apps.shipping.methods import FixedPrice, Free
from oscar.core.loading import get_class, get_model

from production_link.demo import _released
from production_link.models import PublicHoliday
from production_link.pnbp.selectors import next_working_day
from production_link.pnbp.services import (
    deposit_create,
    deposit_record_ntpn,
    deposit_set_billing,
    pnbp_alerts_raise,
    pnbp_record_sale,
    revenue_split_set,
)
from shop.apps.core.datafiles import data_file
from shop.apps.core.roles import TREASURER
from shop.apps.order.placement import checkout_place
from shop.payments.providers import get_provider
from shop.payments.services import order_mark_paid

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

# The orders, holidays, split and address are data (data/demo/pnbp.yaml).
_DATA = data_file("demo/pnbp.yaml")
NUMBER_PREFIX = _DATA["number_prefix"]
SHIPPING = Decimal(_DATA["shipping"])
# National holidays on a fixed date every year; the moving ones follow the yearly decree
# (SKB 3 Menteri): central admins add and confirm them in the admin.
FIXED_HOLIDAYS = tuple(((h["month"], h["day"]), h["name"]) for h in _DATA["fixed_holidays"])
DEMO_HOLIDAY_NOTE = _DATA["holiday_note"]
# (days ago, [(Lapas short code, which of its goods, quantity)]): orders over four months.
ORDERS = [
    (order["days_ago"], [tuple(item) for item in order["items"]]) for order in _DATA["orders"]
]
# Sales received more than this many days ago are deposited; newer ones are not yet, so
# the older of those are past their deadline.
DEPOSITED_AFTER_DAYS = _DATA["deposited_after_days"]
ADDRESS = _DATA["shipping_address"]
SPLIT = _DATA["revenue_split"]


def _holidays_sync(year: int) -> None:
    # The reference data holds the holidays of 2026 and 2027 by name; these fill other years
    # and never rename a holiday that is there.
    for (month, day), name in FIXED_HOLIDAYS:
        PublicHoliday.objects.get_or_create(
            date=datetime.date(year, month, day), defaults={"name": name + DEMO_HOLIDAY_NOTE}
        )


def _goods(lapas) -> list:
    """Two goods of a Lapas that are not food (they keep: old sales can come from batches
    made before them), the same two on every load."""
    return list(
        Product.objects.filter(
            stockrecords__partner=lapas,
            product_class__slug="barang",
            product_class__track_stock=True,
            workshop__isnull=False,
        )
        .order_by("upc")
        .distinct()[:2]
    )


@contextlib.contextmanager
def _clock(moment: datetime.datetime):
    """Run the services as if it were ``moment`` (demo history only)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _shipping_address(buyer):
    return ShippingAddress.objects.create(
        first_name=buyer.first_name or "Pembeli",
        last_name=buyer.last_name or "Demo",
        line1=ADDRESS["line1"],
        line4=ADDRESS["line4"],
        state=ADDRESS["state"],
        postcode=ADDRESS["postcode"],
        phone_number=ADDRESS["phone_number"],
        country=Country.objects.get(iso_3166_1_a2=ADDRESS["country"]),
    )


def _place(*, number: str, items, buyer, when) -> list:
    """A basket placed as the shop places it: one order per Lapas (a basket of two Lapas
    gives two orders, numbered ``number``-TNG and so on), awaiting a bank transfer."""
    basket = Basket.objects.create(owner=buyer)
    basket.strategy = Selector().strategy(user=buyer)
    for product, quantity in items:
        basket.add_product(product, quantity)
    method = FixedPrice(SHIPPING, SHIPPING) if basket.is_shipping_required() else Free()
    checkout = checkout_place(
        basket=basket,
        number=number,
        provider=get_provider("bank_transfer"),
        user=buyer,
        shipping_method=method,
        shipping_address=_shipping_address(buyer),
        date_placed=when,
    )
    basket.submit()
    return checkout.placed_orders


def _ntpn(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:16].upper()


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _deposit_month(*, lapas, entries, treasurer, serial: int) -> None:
    """The treasurer groups a month's sales the working day after the last of them, gets a
    billing code, pays at the bank and records the NTPN the same day."""
    entries = sorted(entries, key=lambda e: e.due_at)
    paid = next_working_day(timezone.localtime(entries[-1].due_at).date())
    billing = f"8{lapas.satker_code or '990000'}{paid:%y%m%d}{serial:02d}"
    with _clock(_at(paid, 9)):
        deposit = deposit_create(lapas=lapas, entry_ids=[e.pk for e in entries], user=treasurer)
        deposit_set_billing(
            deposit_id=deposit.pk,
            billing_code=billing,
            expires_at=_at(paid + datetime.timedelta(days=1), 23),
            user=treasurer,
        )
    with _clock(_at(paid, 11)):
        deposit_record_ntpn(
            deposit_id=deposit.pk,
            ntpn=_ntpn(f"{lapas.pk}-{billing}"),
            paid_on=paid,
            user=treasurer,
        )


@transaction.atomic
def pnbp_demo_load() -> dict[str, int]:
    """Load the demo ledger once; returns how many demo orders there are."""
    today = timezone.localdate()
    for year in {today.year, (today - datetime.timedelta(days=130)).year}:
        _holidays_sync(year)
    if Order.objects.filter(number__startswith=NUMBER_PREFIX).exists():
        return {"pnbp demo orders": Order.objects.filter(number__startswith=NUMBER_PREFIX).count()}
    User = get_user_model()
    admin = User.objects.get(username="admin")
    buyer = User.objects.get(username="pembeli")
    codes = {code for _days, items in ORDERS for code, _index, _qty in items} | {SPLIT["lapas"]}
    lapas = {p.short_code: p for p in Partner.objects.filter(short_code__in=codes)}
    goods = {code: _goods(partner) for code, partner in lapas.items()}
    treasurers = {
        code: partner.users.filter(groups__name=TREASURER.group_name).first() or admin
        for code, partner in lapas.items()
    }
    # Tangerang sets aside a wage pool and working capital from the start of the period.
    first_day = today - datetime.timedelta(days=ORDERS[0][0])
    revenue_split_set(
        lapas=lapas[SPLIT["lapas"]],
        effective_from=first_day.replace(day=1),
        pnbp=SPLIT["pnbp"],
        premi=SPLIT["premi"],
        working_capital=SPLIT["working_capital"],
        programme=SPLIT["programme"],
        user=admin,
    )
    # Batches made a few days before each sale, holding exactly what the demo sells (the
    # oldest batch is sold first, so each sale takes its own).
    for days_ago, wanted in ORDERS:
        made = today - datetime.timedelta(days=days_ago + _DATA["batch_made_days_before"])
        for code, index, quantity in wanted:
            product = goods[code][index]
            price = product.stockrecords.first().price or Decimal("0")
            with _clock(_at(made, 8)):
                _released(
                    product=product,
                    quantity=quantity,
                    made=made,
                    user=admin,
                    materials_per_unit=(price * Decimal(_DATA["materials_share"])).quantize(
                        Decimal("1")
                    ),
                )
    entries = []
    for serial, (days_ago, wanted) in enumerate(ORDERS, start=1):
        day = today - datetime.timedelta(days=days_ago)
        placed = _at(day, 8 + serial % 4)
        with _clock(placed):
            orders = _place(
                number=f"{NUMBER_PREFIX}{serial:03d}",
                items=[(goods[code][index], quantity) for code, index, quantity in wanted],
                buyer=buyer,
                when=placed,
            )
        # The transfers arrive two hours later and each Lapas's treasurer records its own.
        with _clock(placed + datetime.timedelta(hours=2)):
            for order in orders:
                order_mark_paid(order_id=order.pk, user=admin, reference=f"TRF-{order.number}")
                entries += pnbp_record_sale(order=order)
    # Deposits: per Lapas and month, for everything received more than 20 days ago.
    cutoff = timezone.now() - datetime.timedelta(days=DEPOSITED_AFTER_DAYS)
    groups: dict[tuple, list] = {}
    for entry in entries:
        if entry.due_at < cutoff:
            month = timezone.localtime(entry.due_at).strftime("%Y-%m")
            groups.setdefault((entry.lapas.short_code, month), []).append(entry)
    for serial, ((code, _month), members) in enumerate(sorted(groups.items()), start=1):
        _deposit_month(
            lapas=lapas[code], entries=members, treasurer=treasurers[code], serial=serial
        )
    # The newer sales stay undeposited: the older of them are overdue. The treasurer sees
    # the alerts on the dashboard; the daily task emails them.
    pnbp_alerts_raise(notify=False)
    return {"pnbp demo orders": len(ORDERS)}
