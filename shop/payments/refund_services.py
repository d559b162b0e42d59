"""Refunds: money given back on a paid order, whole or some lines.

Two steps, because the money leaves through a provider (Stripe) over the network: the
refund is first recorded as pending under an idempotency key that the dashboard form
carries (a double click or a retried request finds the same refund), then executed by its
provider with that same key (Stripe applies it once) and completed in one transaction:
goods optionally back to their batch, the PNBP reversal, the order's status and events.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from production_link.pnbp.services import pnbp_record_refund
from production_link.services import allocation_restock_line
from shop.apps.order import statuses
from shop.apps.order.notifications import order_notify
from shop.apps.order.status_actor import status_changes_by

from .models import Refund, RefundLine
from .providers import RefundRefused, provider_for_order
from .selectors import (
    line_refundable,
    order_refundable_shipping,
    user_may_record_payment,
)
from .stripe_services import queue_transfer_reversal

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

REFUNDED_EVENT = "Refunded"
PAID_EVENT = "Paid"


class RefundError(Exception):
    """A refund that cannot be made; the message is shown to the staff member."""


@dataclass(frozen=True)
class RefundLineRequest:
    line_id: int
    quantity: int
    restock: bool = False


def _who(user):
    return (user.get_full_name() or user.get_username()) if user else _("the system")


def refund_create(
    *,
    order_id: int,
    user,
    token: str,
    lines: list[RefundLineRequest],
    shipping_amount: Decimal = Decimal("0"),
    reason: str = "",
    reference: str = "",
) -> Refund:
    """Refund some lines (and shipping) of a paid order through its payment method.

    ``token`` comes from the refund form: the same token is the same refund, so a second
    click or a retried request returns the first refund instead of paying out twice.
    Raises RefundError with a message for the staff member; nothing is saved then.
    """
    key = f"karya-refund-{order_id}-{token}"
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is None:
        try:
            existing = _refund_record(
                order_id=order_id,
                user=user,
                key=key,
                lines=lines,
                shipping_amount=shipping_amount,
                reason=reason,
                reference=reference,
            )
        except IntegrityError:
            # Two identical requests raced; the other one recorded it.
            existing = Refund.objects.filter(idempotency_key=key).first()
            if existing is None:
                raise

    return refund_execute(refund_id=existing.pk, user=user)


@transaction.atomic
def _refund_record(*, order_id, user, key, lines, shipping_amount, reason, reference) -> Refund:
    order = Order.objects.select_for_update().get(pk=order_id)
    if not user_may_record_payment(user=user, order=order):
        raise RefundError(
            _("Only the treasurer or head of the Lapas, or a central admin, may refund.")
        )
    if order.status not in statuses.PAID_STATUSES:
        raise RefundError(
            _("Only a paid order can be refunded (this one is %(status)s).")
            % {"status": statuses.label(order.status)}
        )
    provider = provider_for_order(order)
    if provider is None:
        raise RefundError(_("This order has no payment to refund."))
    shipping_amount = Decimal(shipping_amount or 0)
    if shipping_amount < 0 or shipping_amount != shipping_amount.to_integral_value():
        raise RefundError(_("The shipping amount to refund must be whole rupiah, not negative."))
    if shipping_amount > order_refundable_shipping(order=order):
        raise RefundError(
            _("At most %(amount)s of shipping can still be refunded.")
            % {"amount": currency(order_refundable_shipping(order=order))}
        )
    order_lines = {line.pk: line for line in order.lines.all()}
    planned = []
    for request in lines:
        if request.quantity == 0:
            continue
        line = order_lines.get(request.line_id)
        if line is None:
            raise RefundError(_("A line to refund is not part of this order."))
        refundable_quantity, refundable_amount = line_refundable(line=line)
        if request.quantity < 0 or request.quantity > refundable_quantity:
            raise RefundError(
                _("%(title)s: at most %(count)d unit(s) can still be refunded.")
                % {"title": line.title, "count": refundable_quantity}
            )
        # The last units of a line take what is left of its price, so a line refunded in
        # several steps returns exactly what was paid for it.
        if request.quantity == refundable_quantity:
            amount = refundable_amount
        else:
            unit = line.line_price_incl_tax / line.quantity
            amount = (unit * request.quantity).to_integral_value()
        planned.append((line, request, amount))
    total = sum((amount for _line, _request, amount in planned), Decimal("0")) + shipping_amount
    if total <= 0:
        raise RefundError(_("Choose at least one item or the shipping to refund."))
    if provider.refund_needs_reference and not reference.strip():
        raise RefundError(
            _("Enter the reference of the transfer that returned the money to the buyer.")
        )
    reference = reference.strip() if provider.refund_needs_reference else ""
    if (
        reference
        and Refund.objects.filter(provider=provider.identifier, reference=reference).exists()
    ):
        raise RefundError(
            _("A refund with the reference %(reference)s is already recorded.")
            % {"reference": reference}
        )
    refund = Refund.objects.create(
        order=order,
        provider=provider.identifier,
        amount=total,
        shipping_amount=shipping_amount,
        reason=reason.strip(),
        reference=reference,
        idempotency_key=key,
        created_by=user,
    )
    RefundLine.objects.bulk_create(
        [
            RefundLine(
                refund=refund,
                line=line,
                quantity=request.quantity,
                amount=amount,
                restock=request.restock and line.allocations.exists(),
            )
            for line, request, amount in planned
        ]
    )
    return refund


def refund_execute(*, refund_id: int, user=None) -> Refund:
    """Send a recorded refund through its provider and complete it; safe to repeat."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    provider = provider_for_order(refund.order)
    try:
        result = provider.execute_refund(refund=refund)
    except RefundRefused as exc:
        # Nothing was returned: the refund stays visible as failed with the reason, and
        # its units and amount become refundable again.
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
            status=Refund.Status.FAILED
        )
        refund.order.notes.create(
            user=user,
            note_type="System",
            message=_("Refund of %(amount)s failed: %(error)s")
            % {"amount": currency(refund.amount), "error": exc},
        )
        raise RefundError(str(exc)) from exc
    except PaymentError as exc:
        # The provider could not be reached: the outcome is unknown, so the refund stays
        # pending and is sent again with the same idempotency key ("Send again").
        raise RefundError(
            _("The refund could not be sent: %(error)s It is kept as pending; send it again.")
            % {"error": exc}
        ) from exc
    if result.status == Refund.Status.FAILED:
        Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
            status=Refund.Status.FAILED, reference=result.reference
        )
        raise RefundError(_("The payment provider could not make the refund."))
    if result.status == Refund.Status.SUCCEEDED:
        return refund_complete(refund_id=refund.pk, reference=result.reference, user=user)
    if result.reference and not refund.reference:
        Refund.objects.filter(pk=refund.pk).update(reference=result.reference)
        refund.reference = result.reference
    return refund


@transaction.atomic
def refund_complete(*, refund_id: int, reference: str = "", user=None) -> Refund:
    """The money has gone back: restock, reverse the PNBP, move the order on. Once."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status == Refund.Status.SUCCEEDED:
        return refund
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    refund.status = Refund.Status.SUCCEEDED
    refund.completed_at = timezone.now()
    if reference and not refund.reference:
        refund.reference = reference
    refund.save(update_fields=["status", "completed_at", "reference"])

    refund_lines = list(refund.lines.select_related("line"))
    restocked = 0
    for refund_line in refund_lines:
        if refund_line.restock:
            restocked += allocation_restock_line(
                line=refund_line.line, quantity=refund_line.quantity
            )

    for source in order.sources.all():
        refundable = source.amount_debited - source.amount_refunded
        if refundable > 0:
            source.refund(min(refundable, refund.amount), reference=refund.reference)
            break
    event_type, _created = PaymentEventType.objects.get_or_create(name=REFUNDED_EVENT)
    event = order.payment_events.create(
        event_type=event_type, amount=refund.amount, reference=refund.reference
    )
    PaymentEventQuantity.objects.bulk_create(
        [
            PaymentEventQuantity(event=event, line=rl.line, quantity=rl.quantity)
            for rl in refund_lines
        ]
    )

    # PNBP: the ledger reverses exactly what this refund returned (production_link).
    pnbp_record_refund(refund=refund)

    fully = order_refunded_in_full(order=order)
    new_status = statuses.REFUNDED if fully else statuses.PARTLY_REFUNDED
    with status_changes_by(user):
        order.set_status(new_status)
    order.notes.create(
        user=user,
        note_type="System",
        message=_("Refund of %(amount)s recorded by %(who)s; %(units)d unit(s) back in stock.")
        % {"amount": currency(refund.amount), "who": _who(user), "units": restocked},
    )
    order_notify(order_id=order.pk, event="refunded", refund_id=refund.pk)
    # Stripe Connect: the Lapas gives back what the buyer got back (its transfer is
    # reversed by this refund's amount) once this refund has committed.
    queue_transfer_reversal(refund=refund)
    return refund


def order_refunded_in_full(*, order) -> bool:
    """Every rupiah of goods and services has gone back (shipping may be kept: the parcel
    did travel)."""
    refunded = Refund.objects.filter(order=order, status=Refund.Status.SUCCEEDED).aggregate(
        total=Sum("amount"), shipping=Sum("shipping_amount")
    )
    goods_refunded = (refunded["total"] or Decimal("0")) - (refunded["shipping"] or Decimal("0"))
    return goods_refunded >= order.total_incl_tax - order.shipping_incl_tax


def refund_record_from_provider(
    *,
    order_id: int,
    provider: str,
    reference: str,
    amount: Decimal,
    status: str,
    karya_refund_id: str | int | None = None,
) -> Refund | None:
    """What the provider says happened to a refund (Stripe's ``charge.refunded``).

    A refund Karya asked for is found by the id it sent along (or by the provider's
    reference) and completed or failed. A refund made outside Karya, in the provider's own
    dashboard, is recorded here as an amount-only refund, so the order, its events and the
    PNBP reversal still follow the money. Safe to repeat.
    """
    refund = None
    if karya_refund_id and str(karya_refund_id).isdigit():
        refund = Refund.objects.filter(pk=int(karya_refund_id), order_id=order_id).first()
    if refund is None:
        refund = Refund.objects.filter(
            order_id=order_id, provider=provider, reference=reference
        ).first()
    if status == Refund.Status.FAILED:
        if refund is not None and refund.status == Refund.Status.PENDING:
            Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
                status=Refund.Status.FAILED, reference=reference
            )
            refund.refresh_from_db()
        return refund
    if status != Refund.Status.SUCCEEDED:
        if refund is not None and not refund.reference:
            Refund.objects.filter(pk=refund.pk).update(reference=reference)
        return refund
    if refund is None:
        refund = _refund_record_external(
            order_id=order_id, provider=provider, reference=reference, amount=amount
        )
    return refund_complete(refund_id=refund.pk, reference=reference)


@transaction.atomic
def _refund_record_external(*, order_id, provider, reference, amount) -> Refund:
    order = Order.objects.select_for_update().get(pk=order_id)
    key = f"karya-external-{provider}-{reference}"
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    # No lines were chosen: the amount covers the goods still unrefunded first, and only
    # what goes beyond them is shipping (which is not PNBP).
    goods_left = sum((line_refundable(line=line)[1] for line in order.lines.all()), Decimal("0"))
    shipping = min(max(amount - goods_left, Decimal("0")), order_refundable_shipping(order=order))
    return Refund.objects.create(
        order=order,
        provider=provider,
        amount=amount,
        shipping_amount=shipping,
        reason=_("Refunded in the payment provider's own dashboard."),
        reference=reference,
        idempotency_key=key,
    )
