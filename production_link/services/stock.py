from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.apps.core.page_cache import page_cache_invalidate

from ..models import StockLocation
from ..selectors import sellable_online_units

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


@transaction.atomic
def stockrecord_sync(*, product_id: int) -> None:
    """Make Oscar's stock records of a product equal its sellable batch units.

    Units are taken from batches when an order is placed (see allocation), so Oscar's own
    allocation counter stays at zero and num_in_stock alone is what can be bought online.
    Products whose class does not track stock (services) are left alone.
    """
    records = (
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("product__product_class", "partner")
        .filter(product_id=product_id)
    )
    for record in records:
        if not record.product.get_product_class().track_stock:
            continue
        units = sellable_online_units(product=record.product, lapas=record.partner)
        if record.num_in_stock != units or record.num_allocated:
            was = record.num_in_stock or 0
            record.num_in_stock = units
            record.num_allocated = 0
            if (was > 0) != (units > 0) or _crosses_threshold(record, was, units):
                # Sold out or back in stock, or past the low-stock threshold: saved with
                # its signals, so Oscar's stock and back-in-stock alerts follow; and cached
                # listings must say so at once.
                transaction.on_commit(page_cache_invalidate)
                record.save(update_fields=["num_in_stock", "num_allocated", "date_updated"])
            else:
                # Every other sale: only the count moves, which no alert or page shows.
                StockRecord.objects.filter(pk=record.pk).update(
                    num_in_stock=units, num_allocated=0, date_updated=timezone.now()
                )


def _crosses_threshold(record, was: int, units: int) -> bool:
    threshold = record.low_stock_threshold
    return threshold is not None and (was < threshold) != (units < threshold)


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
    count = 0
    for product_id in product_ids:
        stockrecord_sync(product_id=product_id)
        count += 1
    return count
