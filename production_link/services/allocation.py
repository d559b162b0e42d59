"""Every unit sold is taken from a batch, first-expiring first, then oldest first (FEFO).

Allocation runs inside the transaction that places the order (shop/apps/order/placement.py)
and locks the batch stock rows it reads, so two buyers can never take the same last unit.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder

from ..bulk_insert import bulk_insert
from ..models import Allocation, Batch, BatchStock, StockLocation
from ..selectors import today
from .batches import batch_mark_sold_out_if_empty
from .stock import stockrecords_sync


class InsufficientStock(UnableToPlaceOrder):
    """Not enough sellable units; the message names the product for the buyer."""

    def __init__(self, *, product, wanted: int, available: int):
        self.product = product
        self.wanted = wanted
        self.available = available
        super().__init__(
            _(
                "Sorry, only %(available)d of “%(title)s” can still be bought "
                "(you asked for %(wanted)d). Please change the quantity in your basket."
            )
            % {"available": available, "title": product.get_title(), "wanted": wanted}
        )


@dataclass(frozen=True, slots=True)
class StockRow:
    """A locked batch stock row, as much of it as taking and writing need."""

    pk: int
    batch_id: int
    location_id: int
    quantity: int
    product_key: int
    sells_online: bool
    # The batch's workshop: the PNBP entry of a sale paid at once (the point of sale) is
    # written from the allocations in memory, each line's share by its batch's workshop.
    workshop_id: int | None = None


def _sellable_rows_locked(*, product_ids, location_ids) -> list[StockRow]:
    """The sellable batch stock of these products at these locations (sellable_stock_of),
    locked, product by product and first-expiring first within a product (FEFO), so that
    concurrent placements take their locks in one order. In SQL: every order runs it, and
    the ORM spent more on building it than the database on answering; a test holds it to
    sellable_stock_of's rows and order."""
    product_ids, location_ids = sorted(set(product_ids)), sorted(set(location_ids))
    if not product_ids or not location_ids:
        return []
    products = ", ".join(["%s"] * len(product_ids))
    places = ", ".join(["%s"] * len(location_ids))
    # Table names from the models; every value is a parameter.
    sql = (
        f"SELECT s.id, s.batch_id, s.location_id, s.quantity, b.product_id, l.fulfils_online,"  # noqa: S608
        f" b.workshop_id"
        f" FROM {BatchStock._meta.db_table} s"
        f" JOIN {Batch._meta.db_table} b ON b.id = s.batch_id"
        f" JOIN {StockLocation._meta.db_table} l ON l.id = s.location_id"
        f" WHERE b.product_id IN ({products}) AND s.location_id IN ({places})"
        f" AND s.quantity > 0"
        f" AND b.status = %s AND (b.expiry_date IS NULL OR b.expiry_date >= %s)"
        f" ORDER BY b.product_id, b.expiry_date ASC NULLS LAST, b.production_date,"
        f" s.batch_id, s.location_id"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*product_ids, *location_ids, Batch.Status.RELEASED.value, today()])
        return [
            StockRow(pk, batch_id, location_id, quantity, product_id, bool(online), workshop_id)
            for pk, batch_id, location_id, quantity, product_id, online, workshop_id in (
                cursor.fetchall()
            )
        ]


class LockedStock:
    """Sellable batch stock of some products at some places, locked once and taken from
    in memory: many sales of one request (a point of sale's synced queue) cost one lock
    query and one update, whatever their number.

    Every placement (shop/apps/order/placement.py: online checkout, the point of sale,
    seeding) locks through here: the rows are locked product by product, in FEFO order
    within a product, so concurrent placements take their locks in one order and cannot
    deadlock. ``take`` serves one sale, all its lines or none, in the order the sales are
    taken, exactly as if each had been allocated on its own; ``write`` then records the
    allocations of the order lines made for them.
    """

    def __init__(self, *, product_ids, locations):
        self._rows: dict[int, list[StockRow]] = {}
        self._left: dict[int, int] = {}
        self._taken: dict[int, int] = {}
        for row in _sellable_rows_locked(
            product_ids=product_ids, location_ids=[getattr(x, "pk", x) for x in locations]
        ):
            self._rows.setdefault(row.product_key, []).append(row)
            self._left[row.pk] = row.quantity

    def take(self, wants, *, location_ids=None) -> list[list[tuple[StockRow, int]]]:
        """``wants``: (product, quantity, batch id or None) per line. Returns per line the
        (row, units) it takes, from ``location_ids`` only when given (an online order of
        one Lapas from that Lapas's online locations); raises InsufficientStock for the
        first line that cannot be filled, taking nothing. Pure planning: nothing is
        written until ``write``."""
        held: dict[int, int] = {}
        plan = []
        for product, quantity, batch_id in wants:
            if not product.get_product_class().track_stock:
                plan.append([])  # a service: nothing to take
                continue
            rows = [
                row
                for row in self._rows.get(product.pk, [])
                if (batch_id is None or row.batch_id == batch_id)
                and (location_ids is None or row.location_id in location_ids)
            ]
            available = sum(self._left[row.pk] - held.get(row.pk, 0) for row in rows)
            if available < quantity:
                raise InsufficientStock(product=product, wanted=quantity, available=available)
            pieces, remaining = [], quantity
            for row in rows:
                if remaining == 0:
                    break
                units = min(self._left[row.pk] - held.get(row.pk, 0), remaining)
                if units > 0:
                    pieces.append((row, units))
                    held[row.pk] = held.get(row.pk, 0) + units
                    remaining -= units
            plan.append(pieces)
        for pk, units in held.items():
            self._left[pk] -= units
            self._taken[pk] = self._taken.get(pk, 0) + units
        return plan

    def write(self, allocations: list[Allocation]) -> None:
        """Record the units taken: each touched row once, the allocations in one insert,
        then the batches that sold out and the online stock figures of the products."""
        rows = {row.pk: row for product_rows in self._rows.values() for row in product_rows}
        emptied, online = set(), set()
        if self._taken:
            # The rows are locked already: one statement for all of them.
            BatchStock.objects.filter(pk__in=list(self._taken)).update(
                quantity=F("quantity")
                - Case(
                    *(When(pk=pk, then=Value(units)) for pk, units in self._taken.items()),
                    output_field=IntegerField(),
                )
            )
        for pk in sorted(self._taken):
            if self._left[pk] == 0:
                emptied.add(rows[pk].batch_id)
            if rows[pk].sells_online:
                online.add(rows[pk].product_key)
        bulk_insert(allocations)
        for batch_id in sorted(emptied):
            batch_mark_sold_out_if_empty(batch_id=batch_id)
        stockrecords_sync(product_ids=online)
        self._taken = {}


def _give_back(allocations_with_quantities) -> None:
    touched_batches, touched_products = set(), set()
    for allocation, quantity in allocations_with_quantities:
        if quantity <= 0:
            continue
        stock, _created = BatchStock.objects.select_for_update().get_or_create(
            batch_id=allocation.batch_id, location_id=allocation.location_id
        )
        BatchStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
        Allocation.objects.filter(pk=allocation.pk).update(
            returned_quantity=F("returned_quantity") + quantity
        )
        touched_batches.add(allocation.batch_id)
        touched_products.add(allocation.batch.product_id)
    for batch_id in sorted(touched_batches):
        batch_mark_sold_out_if_empty(batch_id=batch_id)
    stockrecords_sync(product_ids=touched_products)


@transaction.atomic
def allocation_release_order(*, order) -> int:
    """Give back every unit an order still holds (it was cancelled). Idempotent.

    Units go back to the batch and location they came from; a recalled or expired batch
    takes them back too, but they stay unsellable.
    """
    allocations = list(
        Allocation.objects.select_for_update(of=("self",))
        .filter(line__order=order, returned_quantity__lt=F("quantity"))
        .select_related("batch")
    )
    _give_back((a, a.held_quantity) for a in allocations)
    return sum(a.held_quantity for a in allocations)


@transaction.atomic
def allocation_restock_line(*, line, quantity: int) -> int:
    """Put returned goods of one line back in stock, newest allocation first."""
    allocations = list(
        Allocation.objects.select_for_update(of=("self",))
        .filter(line=line, returned_quantity__lt=F("quantity"))
        .select_related("batch")
        .order_by("-pk")
    )
    held = sum(a.held_quantity for a in allocations)
    if quantity > held:
        raise ValueError(_("Only %(held)d unit(s) of this line can be restocked.") % {"held": held})
    plan, remaining = [], quantity
    for allocation in allocations:
        take = min(allocation.held_quantity, remaining)
        plan.append((allocation, take))
        remaining -= take
        if remaining == 0:
            break
    _give_back(plan)
    return quantity
