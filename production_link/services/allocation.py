"""Every unit sold is taken from a batch, first-expiring first, then oldest first (FEFO).

Allocation runs inside the transaction that places the order and locks the batch stock
rows it reads, so two buyers can never take the same last unit.
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder

from ..models import Allocation, BatchStock
from ..selectors import online_locations, sellable_stock
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
    *, order, locations=None, batches: dict[int, int] | None = None
) -> list[Allocation]:
    """Take the units of every line of an order from batches.

    Online orders take from the locations of the line's Lapas that fulfil online orders;
    a point-of-sale sale passes its own location. ``batches`` maps a line id to the one
    batch its units must come from (a point-of-sale sale of a scanned label: the buyer
    holds units of that batch). Raises InsufficientStock (and so rolls back the order
    being placed) when any line cannot be filled.
    """
    batches = batches or {}
    created = []
    touched_batches, touched_products = set(), set()
    # One lock order for everybody (by product) so concurrent orders cannot deadlock.
    lines = sorted(
        (
            line
            for line in order.lines.select_related("product__product_class", "partner")
            if _tracks_stock(line)
        ),
        key=lambda line: (line.product_id, line.pk),
    )
    for line in lines:
        where = locations if locations is not None else online_locations(lapas=line.partner)
        stock = sellable_stock(product=line.product, locations=where)
        if line.pk in batches:
            stock = stock.filter(batch_id=batches[line.pk])
        rows = list(stock.select_for_update(of=("self",)).select_related("batch"))
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
            touched_batches.add(row.batch_id)
            remaining -= take
        touched_products.add(line.product_id)
    Allocation.objects.bulk_create(created)
    for batch_id in sorted(touched_batches):
        batch_mark_sold_out_if_empty(batch_id=batch_id)
    for product_id in sorted(touched_products):
        stockrecord_sync(product_id=product_id)
    return created


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
