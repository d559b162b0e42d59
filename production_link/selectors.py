"""Reads of production data: what is sellable, where a batch's units are, who took them."""

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from .models import Allocation, Batch, BatchStock, StockLocation, Workshop

Partner = get_model("partner", "Partner")


def today():
    """The date in Jakarta: a batch that expires today may still be sold today."""
    return timezone.localdate()


def sellable_batch_q(prefix: str = "batch__", on=None) -> Q:
    """Released, not recalled, not expired."""
    on = on or today()
    return Q(**{f"{prefix}status": Batch.Status.RELEASED}) & (
        Q(**{f"{prefix}expiry_date__isnull": True}) | Q(**{f"{prefix}expiry_date__gte": on})
    )


def sellable_stock(*, product, locations) -> QuerySet:
    """Batch stock of a product that may be sold from these locations, first-expiring
    first, then oldest first (FEFO)."""
    return sellable_stock_of(product_ids=[product.pk], locations=locations)


def sellable_stock_of(*, product_ids, locations) -> QuerySet:
    """sellable_stock of several products at once, product by product (the order in
    which allocation locks them), each in FEFO order."""
    from django.db.models import F

    return (
        BatchStock.objects.filter(
            batch__product_id__in=product_ids, location__in=locations, quantity__gt=0
        )
        .filter(sellable_batch_q())
        .order_by(
            "batch__product_id",
            F("batch__expiry_date").asc(nulls_last=True),
            "batch__production_date",
            "batch_id",
            "location_id",
        )
    )


def online_locations(*, lapas) -> QuerySet:
    return StockLocation.objects.filter(lapas=lapas, fulfils_online=True, is_active=True)


def online_location_list(*, lapas_id: int) -> list:
    """``online_locations`` as a list kept in this process until staff change a stock
    location (shared_cache.get_local): every online order asks for it."""
    from shop.apps.core.shared_cache import get_local

    return get_local(
        "online-locations",
        lambda: list(online_locations(lapas=lapas_id).order_by("pk")),
        lapas_id,
    )


def sellable_online_units_of(*, product_ids) -> dict[tuple[int, int], int]:
    """Sellable online units by (product id, Lapas id), for several products in one
    query; pairs without any are left out.

    Every online order asks this (shop/apps/order/placement.py, through stockrecords_sync),
    so it is written in SQL rather than built by the ORM on each call (which cost more
    than the query). The conditions are ``sellable_batch_q``'s and online_locations'; a
    test holds the two to the same answer."""
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return {}
    marks = ", ".join(["%s"] * len(product_ids))
    # Table names from the models; every value is a parameter.
    sql = (
        f"SELECT b.product_id, l.lapas_id, SUM(s.quantity)"  # noqa: S608
        f" FROM {BatchStock._meta.db_table} s"
        f" JOIN {Batch._meta.db_table} b ON b.id = s.batch_id"
        f" JOIN {StockLocation._meta.db_table} l ON l.id = s.location_id"
        f" WHERE b.product_id IN ({marks}) AND s.quantity > 0"
        f" AND l.fulfils_online AND l.is_active"
        f" AND b.status = %s AND (b.expiry_date IS NULL OR b.expiry_date >= %s)"
        f" GROUP BY b.product_id, l.lapas_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*product_ids, Batch.Status.RELEASED.value, today()])
        return {(product_id, lapas_id): int(n) for product_id, lapas_id, n in cursor.fetchall()}


def sellable_online_units(*, product, lapas) -> int:
    total = sellable_stock(product=product, locations=online_locations(lapas=lapas)).aggregate(
        n=Sum("quantity")
    )["n"]
    return total or 0


def lapas_for_user(user) -> QuerySet:
    """The Lapas a user may act for: all for central admins, else their own."""
    if not user.is_authenticated:
        return Partner.objects.none()
    if user.is_superuser or user.is_staff:
        return Partner.objects.all()
    return Partner.objects.filter(users=user)


def user_may_manage_lapas(*, user, lapas) -> bool:
    return lapas_for_user(user).filter(pk=lapas.pk).exists()


def batches_for_user(user) -> QuerySet:
    return Batch.objects.filter(workshop__lapas__in=lapas_for_user(user)).select_related(
        "product", "workshop__lapas"
    )


def workshops_for_user(user) -> QuerySet:
    return Workshop.objects.filter(lapas__in=lapas_for_user(user), is_active=True).select_related(
        "lapas"
    )


def batch_stock_by_location(*, batch) -> QuerySet:
    return batch.stock.select_related("location").order_by("location__kind", "location__name")


def batch_allocations(*, batch) -> QuerySet:
    """Every order line and point-of-sale sale that took units from this batch."""
    return (
        Allocation.objects.filter(batch=batch)
        .select_related("line__order", "line__order__user", "location")
        .order_by("created_at", "pk")
    )


def order_line_batches(*, order) -> dict[int, list[Allocation]]:
    """Allocations per line id of one order, for the dashboard order page."""
    result: dict[int, list[Allocation]] = {}
    for allocation in Allocation.objects.filter(line__order=order).select_related("batch"):
        result.setdefault(allocation.line_id, []).append(allocation)
    return result


def batch_public(*, code: str):
    """A batch as the public trace page shows it, or None for an unknown code."""
    return (
        Batch.objects.select_related("product", "workshop__lapas", "workshop__field_of_work")
        .filter(code=code)
        .exclude(status__in=[Batch.Status.PLANNED])
        .first()
    )


def batches_released_count() -> int:
    """Batches that passed quality control and went on sale, whatever happened since."""
    return Batch.objects.filter(released_at__isnull=False).count()


def product_batch_cost_basis(*, product, last: int = 5) -> dict | None:
    """What recent batches cost per unit: materials (Rp) and labour hours, averaged over
    the units of the last produced batches. Feeds the unit cost staff set on the product."""
    batches = list(
        Batch.objects.filter(product=product, produced_quantity__gt=0)
        .exclude(status__in=[Batch.Status.PLANNED])
        .order_by("-production_date", "-pk")[:last]
    )
    with_cost = [b for b in batches if b.materials_cost is not None]
    with_hours = [b for b in batches if b.labor_hours is not None]
    if not with_cost and not with_hours:
        return None
    from decimal import ROUND_HALF_UP, Decimal

    def per_unit(rows, attr, places):
        units = sum(b.produced_quantity for b in rows)
        if not units:
            return None
        total = sum(getattr(b, attr) for b in rows)
        return (Decimal(total) / units).quantize(Decimal(places), rounding=ROUND_HALF_UP)

    return {
        "batches": len(batches),
        "materials_per_unit": per_unit(with_cost, "materials_cost", "1"),
        "labour_hours_per_unit": per_unit(with_hours, "labor_hours", "0.01"),
    }
