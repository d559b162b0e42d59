"""The daily sales roll-up behind the insight pages (models ProductSalesDay, OrderSalesDay,
BuyerDay, RollupState): write side and the split of a period into rolled-up and raw days.

A page's period is its whole past days plus today. Whole past days are read from the
roll-up, summed once per day; today, and any past day an order or a status change has
touched since the last refresh (an offline point-of-sale sale synced late, a payment
received days after the order, a refund), are read from the orders themselves. So a
page's figures are the same as if every day were read from the orders, whatever the
roll-up's lag; the beat task ``insight.sales_days_refresh`` only keeps that lag short.

What a rolled-up day keeps of an order is what the pages read when the day is rolled up:
its status (paid or not), lines, Lapas, channel, delivery province and whether its buyer
was an institutional buyer then. A change that writes no status change (an address
edited afterwards, a buyer put into the institutional group later) shows from the next
time that day is rolled up (``manage.py insight_rollup --from <day>``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import MD5, Cast, Coalesce, Concat, TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

from shop.apps.core.roles import INSTITUTIONAL_BUYER

from ..models import StockLocation
from .models import BuyerDay, OrderSalesDay, ProductSalesDay, RollupState

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderStatusChange = get_model("order", "OrderStatusChange")

# Kept equal to selectors.SOLD (which imports this module).
SOLD = ("Paid", "Being prepared", "Shipped", "Ready for pickup", "Completed", "Partly refunded")
# The ids a refresh checks below its watermarks for gaps: a transaction that took its id
# before the refresh read the orders and committed after (only ever a few at once).
GAP_IDS = 200
# Days touched since the last refresh that a page still reads from the orders, at most;
# beyond that the page reads the whole period from the orders (correct, slower) until
# the next refresh.
MAX_STALE_DAYS = 60

KIND_OF_LOCATION = "pos_sale__session__location__stock_location__kind"


def _tz():
    return timezone.get_current_timezone()


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_tz())


def local_day(field: str):
    return TruncDate(field, tzinfo=_tz())


def sales_channel(channel: str, location_kind: str | None, institutional_buyer: bool) -> str:
    """The insight page's sales channel of an order (selectors.CHANNEL_LABELS)."""
    if channel == "pos":
        return "exhibition" if location_kind == StockLocation.Kind.EXHIBITION else "gallery"
    if channel == "institutional" or (channel == "online" and institutional_buyer):
        return "institutional"
    return "online"


def buyer_key():
    """An order's buyer as a key: its account id and an MD5 of a guest's e-mail address
    (the pair, as a buyer was told apart before the roll-up)."""
    return Concat(
        Coalesce(Cast("user_id", CharField()), Value("")),
        Value("|"),
        Case(
            When(guest_email="", then=Value("")),
            default=MD5("guest_email"),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )


def institutional_buyer():
    return Exists(
        get_model("auth", "Group").objects.filter(
            name=INSTITUTIONAL_BUYER.group_name, user=OuterRef("user_id")
        )
    )


# --- Write side --------------------------------------------------------------------------------


def _ranges(days) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days as (first, last) ranges."""
    ranges: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + datetime.timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


def _roll(first: datetime.date, last: datetime.date) -> int:
    """Rewrite the roll-up of the days first..last from the orders. Returns rows written."""
    for model in (ProductSalesDay, OrderSalesDay, BuyerDay):
        model.objects.filter(day__gte=first, day__lte=last).delete()
    when = Q(
        date_placed__gte=day_start(first),
        date_placed__lt=day_start(last + datetime.timedelta(days=1)),
        status__in=SOLD,
    )
    orders = Order.objects.filter(when)
    lines = Line.objects.filter(order__in=orders.values("pk"), product__isnull=False)
    product_rows = [
        ProductSalesDay(
            day=row["day"],
            lapas_id=row["order__lapas_id"],
            product_id=row["product_id"],
            orders=row["orders"],
            units=row["units"] or 0,
            revenue=row["revenue"] or 0,
        )
        for row in lines.annotate(day=local_day("order__date_placed"))
        .values("day", "order__lapas_id", "product_id")
        .annotate(
            orders=Count("order_id", distinct=True),
            units=Sum("quantity"),
            revenue=Sum("line_price_incl_tax"),
        )
        .order_by()
    ]
    with_product = Line.objects.filter(order=OuterRef("pk"), product__isnull=False)
    grouped: dict[tuple, list] = {}
    for row in (
        orders.annotate(
            day=local_day("date_placed"),
            by_institution=institutional_buyer(),
            has_product=Exists(with_product),
            has_address=ExpressionWrapper(
                Q(shipping_address__isnull=False), output_field=BooleanField()
            ),
        )
        .values(
            "day",
            "lapas_id",
            "channel",
            KIND_OF_LOCATION,
            "by_institution",
            "has_address",
            "shipping_address__state",
            "has_product",
        )
        .annotate(
            orders=Count("pk"),
            goods=Sum(F("total_incl_tax") - F("shipping_incl_tax")),
        )
        .order_by()
    ):
        # Channels are worked out here from their parts: rows of one channel add up.
        key = (
            row["day"],
            row["lapas_id"],
            sales_channel(row["channel"], row[KIND_OF_LOCATION], row["by_institution"]),
            row["has_address"],
            row["shipping_address__state"] or "",
        )
        figures = grouped.setdefault(key, [0, 0, 0])
        figures[0] += row["orders"]
        figures[1] += row["orders"] if row["has_product"] else 0
        figures[2] += row["goods"]
    order_rows = [
        OrderSalesDay(
            day=day,
            lapas_id=lapas_id,
            channel=channel,
            has_address=has_address,
            province=province,
            orders=n,
            product_orders=with_products,
            goods=goods,
        )
        for (day, lapas_id, channel, has_address, province), (n, with_products, goods) in (
            grouped.items()
        )
    ]
    buyer_rows = [
        BuyerDay(day=row["day"], lapas_id=row["lapas_id"], buyer=row["buyer"], orders=row["n"])
        for row in orders.exclude(user__isnull=True, guest_email="")
        .annotate(day=local_day("date_placed"), buyer=buyer_key())
        .values("day", "lapas_id", "buyer")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    ProductSalesDay.objects.bulk_create(product_rows, batch_size=2000)
    OrderSalesDay.objects.bulk_create(order_rows, batch_size=2000)
    BuyerDay.objects.bulk_create(buyer_rows, batch_size=2000)
    return len(product_rows) + len(order_rows) + len(buyer_rows)


def _days_touched(state) -> set[datetime.date]:
    """The days of orders written, and of orders whose status changed, after the state's
    watermarks or with an id it found missing below them (a union of primary-key reads:
    with an OR PostgreSQL scans every order)."""

    def days(orders):
        return (
            orders.annotate(day=local_day("date_placed")).values_list("day", flat=True).order_by()
        )

    changes = OrderStatusChange.objects.filter(
        Q(pk__gt=state.last_status_change_id) | Q(pk__in=state.pending_status_change_ids)
    ).values("order_id")
    parts = [
        days(Order.objects.filter(pk__gt=state.last_order_id)),
        days(Order.objects.filter(pk__in=changes)),
    ]
    if state.pending_order_ids:
        parts.append(days(Order.objects.filter(pk__in=state.pending_order_ids)))
    return set(parts[0].union(*parts[1:]))


def _missing_ids(model, last_id: int) -> list[int]:
    """Ids of the last GAP_IDS below ``last_id`` that are not there (yet, or ever: a rolled
    back transaction leaves a gap for good, looked at again each time, cheaply)."""
    first = max(last_id - GAP_IDS + 1, 1)
    present = set(model.objects.filter(pk__gte=first, pk__lte=last_id).values_list("pk", flat=True))
    return [pk for pk in range(first, last_id + 1) if pk not in present]


@transaction.atomic
def sales_days_refresh(
    *, today: datetime.date | None = None, since: datetime.date | None = None
) -> dict:
    """Roll up every whole day (before ``today``) not rolled up yet, again every day an
    order or a status change has touched since the last refresh, and every day from
    ``since`` (after a change that writes no status change, see the module's docstring).
    Idempotent: a day is deleted and rewritten from the orders, so a second run writes the
    same rows. Refreshes run one at a time (the state row is locked)."""
    today = today or timezone.localdate()
    RollupState.objects.get_or_create(pk=1)
    state = RollupState.objects.select_for_update().get(pk=1)
    # The watermarks first: whatever is written after them is looked at next time.
    last_order = Order.objects.aggregate(n=Max("pk"))["n"] or 0
    last_change = OrderStatusChange.objects.aggregate(n=Max("pk"))["n"] or 0
    pending_orders = _missing_ids(Order, last_order)
    pending_changes = _missing_ids(OrderStatusChange, last_change)
    yesterday = today - datetime.timedelta(days=1)
    if state.filled_until is None:
        first = Order.objects.aggregate(at=Min("date_placed"))["at"]
        days = set(_days(timezone.localdate(first) if first is not None else today, today))
    else:
        days = set(_days(state.filled_until + datetime.timedelta(days=1), today))
        days |= {day for day in _days_touched(state) if day < today}
    if since is not None:
        days |= set(_days(since, today))
    rows = sum(_roll(first, last) for first, last in _ranges(days))
    filled_until = max(yesterday, state.filled_until or yesterday)
    RollupState.objects.filter(pk=1).update(
        filled_until=filled_until,
        last_order_id=last_order,
        last_status_change_id=last_change,
        pending_order_ids=pending_orders,
        pending_status_change_ids=pending_changes,
        refreshed_at=timezone.now(),
    )
    return {"days": len(days), "rows": rows, "filled_until": filled_until}


def _days(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    """first..the day before today."""
    return [first + datetime.timedelta(days=n) for n in range((today - first).days)]


# --- Read side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """A period cut into the days read from the roll-up and those read from the orders."""

    rolled: Q  # on a roll-up model's ``day``
    raw_ranges: tuple[tuple[datetime.datetime, datetime.datetime | None], ...]

    def raw(self, prefix: str = "") -> Q:
        """The orders (``prefix`` "order__" for lines) placed on the raw days."""
        field = f"{prefix}date_placed"
        match = Q(pk__in=[])
        for start, end in self.raw_ranges:
            part = Q(**{f"{field}__gte": start})
            if end is not None:
                part &= Q(**{f"{field}__lt": end})
            match |= part
        return match


# No roll-up day (a condition that compiles: the raw SQL of a part is put into a union).
NOTHING = Q(day__isnull=True)


def split(start: datetime.date, today: datetime.date) -> Split:
    """Days start..today: the rolled-up days that nothing has touched since their roll-up
    from the roll-up, the rest from the orders (2 small queries: the state, and the days
    touched after its watermarks, read by primary key)."""
    state = RollupState.objects.filter(pk=1).first()
    if state is None or state.filled_until is None or state.filled_until < start:
        return Split(rolled=NOTHING, raw_ranges=((day_start(start), None),))
    filled_until = min(state.filled_until, today - datetime.timedelta(days=1))
    touched = {day for day in _days_touched(state) if start <= day <= filled_until}
    if len(touched) > MAX_STALE_DAYS:
        return Split(rolled=NOTHING, raw_ranges=((day_start(start), None),))
    rolled = Q(day__gte=start, day__lte=filled_until)
    if touched:
        rolled &= ~Q(day__in=sorted(touched))
    ranges = [
        (day_start(first), day_start(last + datetime.timedelta(days=1)))
        for first, last in _ranges(touched)
    ]
    ranges.append((day_start(filled_until + datetime.timedelta(days=1)), None))
    return Split(rolled=rolled, raw_ranges=tuple(ranges))
