"""Reads of the marketing app: what each channel and campaign sold.

One grouped query per report, whatever the number of orders: the figures are sums in
SQL over orders joined to their attribution (and their payment, for revenue).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from .models import Channel

Order = get_model("order", "Order")
OrderPayment = get_model("payments", "OrderPayment")

POS = "pos"
CHANNEL_LABELS = {**dict(Channel.choices), POS: Order.Channel.POS.label}


def marketing_channel_expression():
    """The marketing channel of an order as SQL: the point of sale for POS orders, else
    the channel of its attribution, and "direct" for online orders without one (placed
    before attribution existed, or outside the checkout)."""
    return Case(
        When(channel=Order.Channel.POS, then=Value(POS)),
        default=Coalesce(F("attribution__channel"), Value(Channel.DIRECT)),
        output_field=CharField(),
    )


def _orders(*, lapas_ids=None, since: datetime.date | None = None, until=None) -> QuerySet:
    qs = Order.objects.all()
    if lapas_ids is not None:
        qs = qs.filter(lapas_id__in=list(lapas_ids))
    if since is not None:
        qs = qs.filter(date_placed__date__gte=since)
    if until is not None:
        qs = qs.filter(date_placed__date__lte=until)
    return qs.annotate(is_paid=Exists(OrderPayment.objects.filter(order=OuterRef("pk"))))


_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _totals():
    return {
        "orders": Count("pk"),
        "paid_orders": Count("pk", filter=Q(is_paid=True)),
        "revenue": Coalesce(
            Sum("total_incl_tax", filter=Q(is_paid=True)), Value(Decimal(0)), output_field=_MONEY
        ),
    }


@dataclass(frozen=True)
class ChannelSales:
    channel: str
    label: str
    orders: int
    paid_orders: int
    revenue: Decimal  # paid orders only, rupiah


def sales_by_channel(*, lapas_ids=None, since=None, until=None) -> list[ChannelSales]:
    """Orders and paid revenue per marketing channel (POS sales as "pos"), largest first.
    ``lapas_ids`` narrows to those Lapas (the caller scopes by the user's Lapas)."""
    rows = (
        _orders(lapas_ids=lapas_ids, since=since, until=until)
        .annotate(marketing_channel=marketing_channel_expression())
        .values("marketing_channel")
        .annotate(**_totals())
        .order_by("-revenue", "marketing_channel")
    )
    return [
        ChannelSales(
            channel=row["marketing_channel"],
            label=str(CHANNEL_LABELS.get(row["marketing_channel"], row["marketing_channel"])),
            orders=row["orders"],
            paid_orders=row["paid_orders"],
            revenue=row["revenue"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CampaignSales:
    campaign: str
    source: str
    medium: str
    channel: str
    label: str
    orders: int
    paid_orders: int
    revenue: Decimal


def campaign_report(*, lapas_ids=None, since=None, until=None) -> list[CampaignSales]:
    """Online orders that came by a campaign link or an outside site, per campaign,
    source and medium, largest revenue first."""
    rows = (
        _orders(lapas_ids=lapas_ids, since=since, until=until)
        .filter(attribution__isnull=False)
        .exclude(attribution__channel=Channel.DIRECT)
        .values(
            "attribution__campaign",
            "attribution__source",
            "attribution__medium",
            "attribution__channel",
        )
        .annotate(**_totals())
        .order_by("-revenue", "attribution__campaign", "attribution__source")
    )
    return [
        CampaignSales(
            campaign=row["attribution__campaign"],
            source=row["attribution__source"],
            medium=row["attribution__medium"],
            channel=row["attribution__channel"],
            label=str(CHANNEL_LABELS.get(row["attribution__channel"], "")),
            orders=row["orders"],
            paid_orders=row["paid_orders"],
            revenue=row["revenue"],
        )
        for row in rows
    ]
