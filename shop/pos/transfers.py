"""Stock transfers between a Lapas warehouse and its sales locations, per batch.

Each step moves BatchStock rows under row locks in one transaction, so units are never
in two places nor lost between them: sent units leave the warehouse (they are on the
way), received units arrive at the location (a shortfall is written off with its reason),
returned units go back to the warehouse. Online stock follows (stockrecord_sync), as the
warehouse is what the online shop sells from.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from production_link.models import Batch, BatchStock
from production_link.selectors import sellable_batch_q
from production_link.services import stockrecord_sync
from production_link.services.batches import batch_mark_sold_out_if_empty

from .models import StockTransfer, StockTransferLine
from .services import PosError, _require_supervisor


@dataclass(frozen=True)
class TransferLineRequest:
    batch_id: int
    quantity: int


def _locked_stock(*, batch_id: int, location) -> BatchStock:
    stock, _created = BatchStock.objects.get_or_create(batch_id=batch_id, location=location)
    return BatchStock.objects.select_for_update().get(pk=stock.pk)


def _settle(batch_ids, product_ids):
    for batch_id in sorted(batch_ids):
        batch_mark_sold_out_if_empty(batch_id=batch_id)
    for product_id in sorted(product_ids):
        stockrecord_sync(product_id=product_id)


@transaction.atomic
def transfer_send(
    *, user, source, destination, lines: list[TransferLineRequest], note: str = ""
) -> StockTransfer:
    """Send units of batches from one location of a Lapas to another."""
    lapas = source.lapas
    _require_supervisor(user, lapas)
    if destination.lapas_id != lapas.pk:
        raise PosError(
            _("destination: both places must belong to the same Lapas."), field="destination"
        )
    if source.pk == destination.pk:
        raise PosError(_("destination: choose a different place to send to."), field="destination")
    if not destination.is_active:
        raise PosError(_("destination: this location is not active."), field="destination")
    wanted: dict[int, int] = {}
    for line in lines:
        if line.quantity < 0:
            raise PosError(_("quantity: cannot be negative."), field="quantity")
        if line.quantity:
            wanted[line.batch_id] = wanted.get(line.batch_id, 0) + line.quantity
    if not wanted:
        raise PosError(_("lines: send at least one unit."), field="lines")
    batches = Batch.objects.select_related("product", "workshop").in_bulk(wanted)
    transfer = StockTransfer.objects.create(
        lapas=lapas, source=source, destination=destination, note=note.strip(), sent_by=user
    )
    products = set()
    for batch_id in sorted(wanted):
        batch = batches.get(batch_id)
        if batch is None or batch.workshop.lapas_id != lapas.pk:
            raise PosError(_("lines: a batch is not one of this Lapas."), field="lines")
        if not Batch.objects.filter(pk=batch.pk).filter(sellable_batch_q(prefix="")).exists():
            raise PosError(
                _("%(code)s is not for sale (recalled, expired or not released).")
                % {"code": batch.code},
                field="lines",
            )
        stock = _locked_stock(batch_id=batch.pk, location=source)
        if stock.quantity < wanted[batch_id]:
            raise PosError(
                _("%(code)s: only %(available)d unit(s) at %(place)s.")
                % {"code": batch.code, "available": stock.quantity, "place": source.name},
                field="lines",
            )
        BatchStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - wanted[batch_id])
        StockTransferLine.objects.create(
            transfer=transfer, batch=batch, quantity_sent=wanted[batch_id]
        )
        products.add(batch.product_id)
    # Units on the way are in no location; a batch is not "sold out" while they travel,
    # so only the online stock is updated here.
    _settle((), products)
    return transfer


@transaction.atomic
def transfer_receive(
    *, user, transfer: StockTransfer, received: dict[int, int], reasons: dict[int, str]
) -> StockTransfer:
    """Record what arrived, per transfer line id; a shortfall needs its reason."""
    transfer = StockTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require_supervisor(user, transfer.lapas)
    if transfer.status != StockTransfer.Status.SENT:
        raise PosError(_("This transfer was already received."), code="received", status=409)
    batch_ids, products = set(), set()
    for line in transfer.lines.select_related("batch").order_by("batch_id"):
        count = received.get(line.pk, line.quantity_sent)
        if count is None or count < 0 or count > line.quantity_sent:
            raise PosError(
                _("%(code)s: received must be between 0 and %(sent)d.")
                % {"code": line.batch.code, "sent": line.quantity_sent},
                field="received",
            )
        reason = (reasons.get(line.pk) or "").strip()
        if count < line.quantity_sent and not reason:
            raise PosError(
                _("%(code)s: %(missing)d unit(s) missing; give the reason.")
                % {"code": line.batch.code, "missing": line.quantity_sent - count},
                field="reason",
            )
        if count:
            stock = _locked_stock(batch_id=line.batch_id, location=transfer.destination)
            BatchStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + count)
        line.quantity_received = count
        line.shortfall_reason = reason if count < line.quantity_sent else ""
        line.save(update_fields=["quantity_received", "shortfall_reason"])
        batch_ids.add(line.batch_id)
        products.add(line.batch.product_id)
    transfer.status = StockTransfer.Status.RECEIVED
    transfer.received_by = user
    transfer.received_at = timezone.now()
    transfer.save(update_fields=["status", "received_by", "received_at"])
    _settle(batch_ids, products)
    return transfer


@transaction.atomic
def transfer_return(
    *, user, transfer: StockTransfer, quantities: dict[int, int] | None = None
) -> StockTransfer:
    """Send back what is left at the destination of a received transfer (e.g. after an
    exhibition): per transfer line id a quantity, or everything of its batches that is
    still there. Units of recalled or expired batches come back too."""
    transfer = StockTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require_supervisor(user, transfer.lapas)
    if transfer.status != StockTransfer.Status.RECEIVED:
        raise PosError(
            _("Only a received transfer can be returned."), code="not_received", status=409
        )
    batch_ids, products = set(), set()
    for line in transfer.lines.select_related("batch").order_by("batch_id"):
        there = _locked_stock(batch_id=line.batch_id, location=transfer.destination)
        limit = min(there.quantity, line.quantity_received or 0)
        count = limit if quantities is None else quantities.get(line.pk, 0)
        if count < 0 or count > limit:
            raise PosError(
                _("%(code)s: at most %(limit)d unit(s) can go back.")
                % {"code": line.batch.code, "limit": limit},
                field="quantity",
            )
        if count:
            BatchStock.objects.filter(pk=there.pk).update(quantity=F("quantity") - count)
            back = _locked_stock(batch_id=line.batch_id, location=transfer.source)
            BatchStock.objects.filter(pk=back.pk).update(quantity=F("quantity") + count)
        line.quantity_returned = count
        line.save(update_fields=["quantity_returned"])
        batch_ids.add(line.batch_id)
        products.add(line.batch.product_id)
    transfer.status = StockTransfer.Status.RETURNED
    transfer.returned_by = user
    transfer.returned_at = timezone.now()
    transfer.save(update_fields=["status", "returned_by", "returned_at"])
    _settle(batch_ids, products)
    return transfer
