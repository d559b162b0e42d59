"""Goods made to order: a quote's made-to-order line gets a batch planned in its workshop
when the quote is accepted; the batch may not be produced before the deposit has arrived;
its release allocates its units to the order line first.

The deposit is money paid against the order before production: on invoice terms, a
transfer the treasurer records against the order's invoice (shop.invoicing, one of its
payments); paying up front, the order's full payment. PNBP is booked once, for the whole
sale, when the order is paid in full (the invoice settled): a deposit is part of that
payment, never booked on its own, so the ledger holds no advance that a cancelled
commission would have to reverse. The treasurer's deposit deadline counts from the full
payment, as for every sale.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from production_link.models import Allocation, Batch, BatchStock
from production_link.selectors import today

from ..models import Commission

Line = get_model("order", "Line")
ZERO = Decimal("0")


def deposit_amount_of(*, order_total: Decimal, percent) -> Decimal:
    """The deposit in whole rupiah, rounded half up."""
    if not percent:
        return ZERO
    return (order_total * Decimal(percent) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def deposit_received(order) -> Decimal:
    """What has arrived for an order: all of it once it is paid, else the transfers
    recorded against its invoice."""
    from shop.payments.models import OrderPayment

    if OrderPayment.objects.filter(order=order).exists():
        return order.total_incl_tax
    from shop.invoicing.models import InvoicePayment

    total = ZERO
    for amount in InvoicePayment.objects.filter(invoice__order=order).values_list(
        "amount", flat=True
    ):
        total += amount
    return total


def _batch_plan(*, product, workshop, quantity: int, note: str) -> Batch:
    """A planned batch made by the system for a commission (no member of the Lapas asked
    for it: the buyer's acceptance did). Produced today at the earliest; the workshop
    staff record its real dates and quantity when they produce it."""
    from production_link.services.batches import _batch_code

    production_date = today()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Batch.objects.create(
                    code=_batch_code(workshop=workshop, production_date=production_date),
                    product=product,
                    workshop=workshop,
                    planned_quantity=quantity,
                    production_date=production_date,
                    notes=note,
                )
        except IntegrityError:
            continue
    raise IntegrityError("Could not give the commission's batch a unique code.")


@transaction.atomic
def commissions_plan(*, quote, orders) -> list[Commission]:
    """Plan a batch for every made-to-order line of an accepted quote. Idempotent: a line
    planned already keeps its batch."""
    order = orders[0] if orders else None
    percent = getattr(quote, "deposit_percent", 0) or 0
    deposit = deposit_amount_of(order_total=order.total_incl_tax, percent=percent) if order else 0
    planned = []
    lines = quote.lines.filter(made_to_order=True, commission__isnull=True).select_related(
        "product__workshop__lapas", "workshop__lapas", "order_line"
    )
    for line in lines.order_by("position", "pk"):
        workshop = line.workshop or getattr(line.product, "workshop", None)
        if workshop is None or workshop.lapas_id != quote.lapas_id:
            # Nothing to plan it in: the acceptance stands (the buyer's PO is real) and the
            # Lapas is told on the order to plan the batch by hand.
            if order is not None:
                order.notes.create(
                    note_type="System",
                    message=_(
                        "“%(title)s” is made to order but has no workshop of this Lapas: "
                        "plan its batch by hand."
                    )
                    % {"title": line.title},
                )
            continue
        note = _("Made to order for quote %(quote)s (%(title)s).") % {
            "quote": quote.number,
            "title": line.title,
        }
        batch = _batch_plan(
            product=line.product, workshop=workshop, quantity=line.quantity, note=note
        )
        planned.append(
            Commission.objects.create(
                quote_line=line,
                batch=batch,
                order_line=line.order_line,
                quantity=line.quantity,
                deposit_amount=deposit,
            )
        )
    return planned


def commission_link_order_line(*, commission_id: int, line) -> None:
    """Link a commission planned before its order line existed to that line."""
    Commission.objects.filter(pk=commission_id, order_line__isnull=True).update(order_line=line)


def commission_before_production(*, batch) -> None:
    """Called by batch_record_production with the batch locked: a commission's batch is
    not produced before its deposit has arrived."""
    from production_link.services.batches import BatchError

    commission = Commission.objects.filter(batch=batch).select_related("order_line__order").first()
    if commission is None or not commission.deposit_amount or commission.order_line is None:
        return
    order = commission.order_line.order
    received = deposit_received(order)
    if received < commission.deposit_amount:
        raise BatchError(
            _(
                "Batch %(code)s is made to order for %(order)s: production starts once the "
                "deposit of %(due)s has arrived (%(received)s recorded). The treasurer "
                "records it against the order's invoice."
            )
            % {
                "code": batch.code,
                "order": order.number,
                "due": _rupiah(commission.deposit_amount),
                "received": _rupiah(received),
            }
        )


def commission_allocate_on_release(*, batch, warehouse) -> int:
    """Called by batch_release with the batch and its warehouse stock row locked, in the
    release's transaction: the commission's order line takes its units from the batch
    before anyone else can see them. Returns the units allocated (0 for a batch that is
    no commission, a commission allocated already, or an order cancelled meanwhile)."""
    from shop.apps.order import statuses

    commission = (
        Commission.objects.select_for_update()
        .filter(batch=batch, allocated_at__isnull=True, order_line__isnull=False)
        .select_related("order_line__order")
        .first()
    )
    if commission is None or commission.order_line.order.status == statuses.CANCELLED:
        return 0
    stock = BatchStock.objects.select_for_update().get(batch=batch, location=warehouse)
    units = min(commission.quantity, stock.quantity)
    if units:
        BatchStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") - units)
        Allocation.objects.create(
            line=commission.order_line, batch=batch, location=warehouse, quantity=units
        )
        Line.objects.filter(pk=commission.order_line_id).update(
            num_allocated=F("num_allocated") + units
        )
    commission.allocated_quantity = units
    commission.allocated_at = timezone.now()
    commission.save(update_fields=["allocated_quantity", "allocated_at"])
    if units == stock.quantity:
        from production_link.services.batches import batch_mark_sold_out_if_empty

        batch_mark_sold_out_if_empty(batch_id=batch.pk)
    return units


def _rupiah(amount) -> str:
    from oscar.templatetags.currency_filters import currency

    return currency(amount)
