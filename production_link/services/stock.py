from django.db import connection, transaction
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


def _stockrecords_locked(product_ids) -> list[tuple]:
    """(id, product id, Lapas id, num_in_stock, num_allocated, low_stock_threshold, the
    class's track_stock, the parent's class's track_stock) of the products' stock records,
    locked, in id order. In SQL: every online order runs this, and the ORM spent more on
    building it than the database on answering (plain values: a product row is wide)."""
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    marks = ", ".join(["%s"] * len(product_ids))
    # Table names from the models; every value is a parameter.
    # Classes read by primary key in subqueries, not joins: a freshly loaded catalogue has
    # no statistics yet, and a join of products to their parents was planned as a scan of
    # every product for each product (seconds per order while seed_catalog ran).
    sql = (
        f"SELECT r.id, r.product_id, r.partner_id, r.num_in_stock, r.num_allocated,"  # noqa: S608
        f" r.low_stock_threshold,"
        f" (SELECT c.track_stock FROM {Product._meta.db_table} p"
        f" JOIN {ProductClass._meta.db_table} c ON c.id = p.product_class_id"
        f" WHERE p.id = r.product_id),"
        f" (SELECT pc.track_stock FROM {Product._meta.db_table} p"
        f" JOIN {Product._meta.db_table} pp ON pp.id = p.parent_id"
        f" JOIN {ProductClass._meta.db_table} pc ON pc.id = pp.product_class_id"
        f" WHERE p.id = r.product_id)"
        f" FROM {StockRecord._meta.db_table} r"
        f" WHERE r.product_id IN ({marks}) ORDER BY r.id"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF r"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(product_ids))
        return cursor.fetchall()


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
        rows = _stockrecords_locked(product_ids)
        # Only what tracks stock: the product's class, a variant's from its parent.
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
