"""Every unit sold is taken from a batch, first-expiring first, then oldest first (FEFO).

Allocation runs inside the transaction that places the order and locks the batch stock
rows it reads, so two buyers can never take the same last unit.
"""

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder

from ..models import Allocation, BatchStock
from ..selectors import online_locations, sellable_stock, sellable_stock_of
from .batches import batch_mark_sold_out_if_empty
from .stock import stockrecord_sync


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


def _tracks_stock(line) -> bool:
    return bool(line.product_id) and line.product.get_product_class().track_stock


@transaction.atomic
def allocation_allocate_order(
    *, order, locations=None, batches: dict[int, int] | None = None, lines=None
) -> list[Allocation]:
    """Take the units of every line of an order from batches.

    Online orders take from the locations of the line's Lapas that fulfil online orders;
    a point-of-sale sale passes its own location. ``batches`` maps a line id to the one
    batch its units must come from (a point-of-sale sale of a scanned label: the buyer
    holds units of that batch). ``lines`` are the order's lines when the caller has just
    created them (with their product, product class and partner loaded), saving a read.
    Raises InsufficientStock (and so rolls back the order being placed) when any line
    cannot be filled.
    """
    batches = batches or {}
    created = []
    emptied_batches, online_products = set(), set()
    if lines is None:
        lines = order.lines.select_related("product__product_class", "partner")
    # One lock order for everybody (by product) so concurrent orders cannot deadlock.
    lines = sorted(
        (line for line in lines if _tracks_stock(line)),
        key=lambda line: (line.product_id, line.pk),
    )
    for line in lines:
        where = locations if locations is not None else online_locations(lapas=line.partner)
        stock = sellable_stock(product=line.product, locations=where)
        if line.pk in batches:
            stock = stock.filter(batch_id=batches[line.pk])
        rows = list(stock.select_for_update(of=("self",)).select_related("location"))
        available = sum(row.quantity for row in rows)
        if available < line.quantity:
            raise InsufficientStock(product=line.product, wanted=line.quantity, available=available)
        remaining = line.quantity
        for row in rows:
            if remaining == 0:
                break
            take = min(row.quantity, remaining)
            BatchStock.objects.filter(pk=row.pk).update(quantity=F("quantity") - take)
            created.append(
                Allocation(
                    line=line, batch_id=row.batch_id, location_id=row.location_id, quantity=take
                )
            )
            # Units only left these rows: a batch can have sold out only where a row was
            # emptied, and online stock can have changed only where the place sells
            # online (a gallery's sale leaves the online shop's figure as it was).
            if take == row.quantity:
                emptied_batches.add(row.batch_id)
            if row.location.fulfils_online:
                online_products.add(line.product_id)
            remaining -= take
    Allocation.objects.bulk_create(created)
    for batch_id in sorted(emptied_batches):
        batch_mark_sold_out_if_empty(batch_id=batch_id)
    for product_id in sorted(online_products):
        stockrecord_sync(product_id=product_id)
    return created


class LockedStock:
    """Sellable batch stock of some products at some places, locked once and taken from
    in memory: many sales of one request (a point of sale's synced queue) cost one lock
    query and one update, whatever their number.

    The rows are locked in the order allocation_allocate_order locks them (by product),
    in FEFO order within a product. ``take`` serves one sale, all its lines or none, in
    the order the sales are taken, exactly as if each had been allocated on its own;
    ``write`` then records the allocations of the order lines made for them.
    """

    def __init__(self, *, product_ids, locations):
        # Only what taking needs is read along (a busy gallery holds many batches).
        rows = (
            sellable_stock_of(product_ids=product_ids, locations=locations)
            .select_for_update(of=("self",))
            .annotate(
                product_key=F("batch__product_id"), sells_online=F("location__fulfils_online")
            )
        )
        self._rows: dict[int, list[BatchStock]] = {}
        self._left: dict[int, int] = {}
        self._taken: dict[int, int] = {}
        for row in rows:
            self._rows.setdefault(row.product_key, []).append(row)
            self._left[row.pk] = row.quantity

    def take(self, wants) -> list[list[tuple[BatchStock, int]]]:
        """``wants``: (product, quantity, batch id or None) per line. Returns per line the
        (row, units) it takes; raises InsufficientStock for the first line that cannot be
        filled, taking nothing."""
        held: dict[int, int] = {}
        plan = []
        for product, quantity, batch_id in wants:
            if not product.get_product_class().track_stock:
                plan.append([])  # a service: nothing to take
                continue
            rows = [
                row
                for row in self._rows.get(product.pk, [])
                if batch_id is None or row.batch_id == batch_id
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
        then sold-out batches and online stock, as allocation_allocate_order does."""
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
        Allocation.objects.bulk_create(allocations)
        for batch_id in sorted(emptied):
            batch_mark_sold_out_if_empty(batch_id=batch_id)
        for product_id in sorted(online):
            stockrecord_sync(product_id=product_id)
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
    for product_id in sorted(touched_products):
        stockrecord_sync(product_id=product_id)


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
