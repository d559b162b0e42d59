from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.apps.core.page_cache import page_cache_invalidate

from ..models import StockLocation
from ..selectors import sellable_online_units_of

StockRecord = get_model("partner", "StockRecord")


def stock_location_warehouse(*, lapas) -> StockLocation:
    """The Lapas's warehouse, where released batches go; created on first use."""
    location, _created = StockLocation.objects.get_or_create(
        lapas=lapas,
        kind=StockLocation.Kind.WAREHOUSE,
        defaults={
            "name": _("Warehouse of %(lapas)s") % {"lapas": lapas.name},
            "fulfils_online": True,
        },
    )
    return location


def stockrecord_sync(*, product_id: int) -> None:
    """Make Oscar's stock records of a product equal its sellable batch units."""
    stockrecords_sync(product_ids=[product_id])


def stockrecords_sync(*, product_ids) -> None:
    """Make Oscar's stock records of these products equal their sellable online batch
    units: three queries whatever their number (lock the records, sum the units, update).

    Units are taken from batches when an order is placed (see allocation), so Oscar's own
    allocation counter stays at zero and num_in_stock alone is what can be bought online.
    Products whose class does not track stock (services) are left alone.
    """
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return
    # No savepoint inside the placement's transaction: its rollback covers this too.
    with transaction.atomic(savepoint=False):
        # Locked first, summed after: the sum then sees every sale committed before ours.
        # Plain values, not model rows: a product row is wide, and only its class's
        # track_stock (a variant's from its parent) is needed.
        rows = list(
            StockRecord.objects.select_for_update(of=("self",))
            .filter(product_id__in=product_ids)
            .order_by("pk")
            .values_list(
                "pk",
                "product_id",
                "partner_id",
                "num_in_stock",
                "num_allocated",
                "low_stock_threshold",
                "product__product_class__track_stock",
                "product__parent__product_class__track_stock",
            )
        )
        rows = [row for row in rows if (row[6] if row[6] is not None else row[7])]
        if not rows:
            return
        units = sellable_online_units_of(product_ids=[row[1] for row in rows])
        counted = []
        for pk, product_id, partner_id, was, allocated, threshold, _own, _parent in rows:
            now_units = units.get((product_id, partner_id), 0)
            if was == now_units and not allocated:
                continue
            was = was or 0
            crosses = threshold is not None and (was < threshold) != (now_units < threshold)
            if (was > 0) != (now_units > 0) or crosses:
                # Sold out or back in stock, or past the low-stock threshold: saved with
                # its signals, so Oscar's stock and back-in-stock alerts follow; and cached
                # listings must say so at once.
                transaction.on_commit(page_cache_invalidate)
                record = StockRecord.objects.get(pk=pk)
                record.num_in_stock, record.num_allocated = now_units, 0
                record.save(update_fields=["num_in_stock", "num_allocated", "date_updated"])
            else:
                counted.append((pk, now_units))
        # Every other sale: only the count moves, which no alert or page shows.
        if len(counted) == 1:
            StockRecord.objects.filter(pk=counted[0][0]).update(
                num_in_stock=counted[0][1], num_allocated=0, date_updated=timezone.now()
            )
        elif counted:
            StockRecord.objects.filter(pk__in=[pk for pk, _units in counted]).update(
                num_in_stock=Case(
                    *(When(pk=pk, then=Value(n)) for pk, n in counted),
                    output_field=IntegerField(),
                ),
                num_allocated=0,
                date_updated=timezone.now(),
            )


def stockrecord_sync_expired() -> int:
    """Resync the products that still hold units of an expired batch; returns how many."""
    from ..models import Batch
    from ..selectors import today

    product_ids = (
        Batch.objects.filter(
            status=Batch.Status.RELEASED, expiry_date__lt=today(), stock__quantity__gt=0
        )
        .values_list("product_id", flat=True)
        .distinct()
    )
    product_ids = list(product_ids)
    stockrecords_sync(product_ids=product_ids)
    return len(product_ids)
