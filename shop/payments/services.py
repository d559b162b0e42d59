"""The one way an order becomes paid.

Every path that records money arriving comes through here: staff marking a bank transfer
paid (the dashboard's status form, shop.apps.order.processing), Stripe's webhook and the
buyer's return from Stripe (one PaymentIntent pays every order of a checkout), and the
point of sale's counter methods (the bulk ``orders_mark_paid``). Each writes the order's
``OrderPayment`` under its unique key, debits its payment source, adds the "Paid" payment
event Oscar shows, moves the order to Paid and books its PNBP, all in one transaction and
exactly once. Whether an order is paid is read from that record alone (selectors
``order_is_paid``), so a payment event added any other way cannot count as a payment nor
stand in the way of the real one.
"""

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from production_link.bulk_insert import bulk_insert
from production_link.pnbp.services import (
    pnbp_record_placed_sales,
    pnbp_record_sale,
    pnbp_record_sales,
)
from shop.apps.order import statuses
from shop.apps.order.notifications import order_notify

from .models import OrderPayment
from .selectors import PAID_EVENT, user_may_record_payment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Line = get_model("order", "Line")
Source = get_model("payment", "Source")

BANK_TRANSFER = "bank_transfer"


class PaymentStateError(PaymentError):
    """A payment that cannot be recorded; its message is shown to the staff member."""


class PaymentRecorded(StrEnum):
    """What recording a payment a provider reported did, per order."""

    RECORDED = "recorded"
    ALREADY_PAID = "already_paid"
    # Not marked paid: staff must look (a note is on the order, an error in the log).
    AMOUNT_MISMATCH = "amount_mismatch"
    ORDER_CLOSED = "order_closed"


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("the system")


def _locked(order_ids: Iterable[int]) -> list:
    # Always in id order, so two payments of overlapping orders cannot deadlock.
    return list(Order.objects.select_for_update().filter(pk__in=set(order_ids)).order_by("pk"))


def _paid_ids(order_ids) -> set[int]:
    return set(
        OrderPayment.objects.filter(order_id__in=order_ids).values_list("order_id", flat=True)
    )


@transaction.atomic
def order_mark_paid(*, order_id: int, user, reference: str = "") -> bool:
    """Staff record that an order's money has arrived (a bank transfer), once.

    Only the treasurer or Kalapas of the order's own Lapas, or a central admin, may.
    Returns True when this call recorded the payment, False when it was already recorded
    (a second click, a retried request): the order is paid exactly once.
    """
    (order,) = _locked([order_id])
    if not user_may_record_payment(user=user, order=order):
        raise PaymentStateError(
            _("Only the treasurer or head of the Lapas, or a central admin, may record a payment.")
        )
    if _paid_ids([order.pk]):
        return False
    if order.status != statuses.AWAITING_PAYMENT:
        raise PaymentStateError(
            _("Only an order awaiting payment can be marked paid (this one is %(status)s).")
            % {"status": statuses.label(order.status)}
        )
    amount = order.total_incl_tax
    _orders_pay(
        [order],
        provider=_order_provider(order),
        amounts={order.pk: amount},
        references={order.pk: reference},
        user=user,
        notes={
            order.pk: _("Payment of %(amount)s recorded by %(who)s.")
            % {"amount": currency(amount), "who": _who(user)}
        },
    )
    return True


def order_record_payment(
    *, order_id: int, amount: Decimal | None, currency_code: str, reference: str, provider: str
) -> PaymentRecorded:
    """Record a payment a provider reports for one order, once (see orders_record_payment)."""
    return orders_record_payment(
        amounts={order_id: amount},
        currency_code=currency_code,
        reference=reference,
        provider=provider,
    )[order_id]


@transaction.atomic
def orders_record_payment(
    *,
    amounts: Mapping[int, Decimal | None],
    currency_code: str,
    reference: str,
    provider: str,
    provider_name: str = "",
    charge_id: str = "",
) -> dict[int, PaymentRecorded]:
    """Record a payment a provider reports (Stripe's webhook or the buyer's return) for the
    orders it pays: ``amounts`` maps each order's id to the part of the payment that is its
    own (one PaymentIntent pays every order of a checkout). Once per order.

    Whichever report comes first records it; later ones get ALREADY_PAID. An order whose
    part does not match its total (``None`` when the provider's amount is not whole rupiah)
    or another currency, or that is no longer awaiting payment (cancelled because it stayed
    unpaid), is not recorded: it keeps its status, and a note and an error in the log ask
    staff to check and refund. The others are recorded.
    """
    orders = _locked(amounts)
    paid = _paid_ids([o.pk for o in orders])
    # The provider's name as staff know it (e.g. "Stripe"), for the notes.
    named = provider_name or provider
    outcome: dict[int, PaymentRecorded] = {}
    to_pay, notes = [], {}
    # Notes for staff are in the site's language, whoever's request carried the report.
    with translation.override(settings.LANGUAGE_CODE):
        for order in orders:
            amount = amounts[order.pk]
            if order.pk in paid:
                outcome[order.pk] = PaymentRecorded.ALREADY_PAID
                continue
            described = _("%(amount)s (%(provider)s, reference %(reference)s)") % {
                "amount": currency(amount, currency_code.upper()) if amount is not None else "?",
                "provider": named,
                "reference": reference,
            }
            if order.status != statuses.AWAITING_PAYMENT:
                logger.error(
                    "Order %s is %s but a payment arrived (%s): not marked paid; refund it.",
                    order.number,
                    order.status,
                    reference,
                )
                _order_note_once(
                    order,
                    _(
                        "A payment of %(paid)s arrived while the order is %(status)s. The "
                        "order was not marked paid: please refund the buyer."
                    )
                    % {"paid": described, "status": statuses.label(order.status)},
                )
                outcome[order.pk] = PaymentRecorded.ORDER_CLOSED
                continue
            if amount != order.total_incl_tax or currency_code.upper() != order.currency.upper():
                logger.error(
                    "Order %s: payment %s of %s %s does not match the order total %s %s; "
                    "not marked paid.",
                    order.number,
                    reference,
                    amount,
                    currency_code,
                    order.total_incl_tax,
                    order.currency,
                )
                _order_note_once(
                    order,
                    _(
                        "A payment of %(paid)s does not match the order total of %(total)s. "
                        "The order was not marked paid: please check the payment and refund it."
                    )
                    % {"paid": described, "total": currency(order.total_incl_tax, order.currency)},
                )
                outcome[order.pk] = PaymentRecorded.AMOUNT_MISMATCH
                continue
            to_pay.append(order)
            notes[order.pk] = _(
                "Payment of %(amount)s received through %(provider)s (reference %(reference)s)."
            ) % {
                "amount": currency(amount, order.currency),
                "provider": named,
                "reference": reference,
            }
            outcome[order.pk] = PaymentRecorded.RECORDED
        if to_pay:
            _orders_pay(
                to_pay,
                provider=provider,
                amounts={o.pk: amounts[o.pk] for o in to_pay},
                references={o.pk: reference for o in to_pay},
                user=None,
                notes=notes,
                charge_id=charge_id,
            )
    return outcome


def _refuse_unpayable(orders) -> None:
    """PaymentStateError (nothing recorded) if any order is cancelled or refunded."""
    payable = (statuses.AWAITING_PAYMENT, *statuses.PAID_STATUSES)
    for order in orders:
        if order.status not in payable or order.status == statuses.PARTLY_REFUNDED:
            raise PaymentStateError(
                _("Order %(number)s is %(status)s: no payment can be recorded for it.")
                % {"number": order.number, "status": statuses.label(order.status)}
            )


@transaction.atomic
def orders_mark_paid(
    *,
    order_ids: Iterable[int],
    provider: str,
    user=None,
    references: Mapping[int, str] | None = None,
    notes: Mapping[int, str] | None = None,
) -> list[int]:
    """Record many payments taken at once (a point of sale's counter: cash, QRIS, card
    terminal), each for the order's full total, with a fixed number of queries.

    For callers that have already checked who may take the money (the POS checks its
    cashier and session). An order awaiting payment moves to Paid; one placed as already
    paid and handed over (a counter sale, Completed) keeps its status. Orders already paid
    are skipped. Returns the ids of the orders this call recorded. Raises
    PaymentStateError (and records nothing) if any order is cancelled or refunded.
    """
    orders = _locked(order_ids)
    paid = _paid_ids([o.pk for o in orders])
    orders = [o for o in orders if o.pk not in paid]
    _refuse_unpayable(orders)
    if orders:
        references = references or {}
        _orders_pay(
            orders,
            provider=provider,
            amounts={o.pk: o.total_incl_tax for o in orders},
            references={o.pk: references.get(o.pk, "") for o in orders},
            user=user,
            notes=dict(notes or {}),
        )
    return [o.pk for o in orders]


def orders_mark_placed_paid(
    *,
    orders,
    providers: Mapping[int, str],
    sources,
    user=None,
    references: Mapping[int, str] | None = None,
    notes: Mapping[int, str] | None = None,
) -> list[int]:
    """orders_mark_paid for orders the provider reported paid in the very transaction
    that placed them (shop.apps.order.placement: the point of sale's counter methods),
    from what the placement holds in memory.

    No other transaction can see these orders yet, so none is locked or re-read and none
    can be paid already; their lines (``placed_lines``, each with ``placed_allocations``)
    and payment ``sources`` are not read back either. The unique key on OrderPayment
    still stands behind it. ``providers``: {order id: provider identifier}. Raises
    PaymentStateError, as orders_mark_paid does, for an order placed in a status that
    cannot be paid.
    """
    _refuse_unpayable(orders)
    if not orders:
        return []
    references = references or {}
    _orders_pay(
        orders,
        provider=providers,
        amounts={o.pk: o.total_incl_tax for o in orders},
        references={o.pk: references.get(o.pk, "") for o in orders},
        user=user,
        notes=dict(notes or {}),
        placed_sources=sources,
    )
    return [o.pk for o in orders]


def _paid_event_type():
    from shop.apps.core.shared_cache import get_local

    # Read once per process (the type is made once, by the first payment).
    event_type = get_local(
        "paid-event-type", lambda: PaymentEventType.objects.filter(name=PAID_EVENT).first()
    )
    if event_type is None:
        event_type, _created = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    return event_type


def _order_provider(order) -> str:
    # Imported here: the providers module imports this one's callers.
    from .providers import provider_for_order

    provider = provider_for_order(order)
    return provider.identifier if provider else BANK_TRANSFER


def _order_note_once(order, message: str) -> None:
    # The webhook and the buyer's return may both report the same problem.
    if not order.notes.filter(message=message).exists():
        order.notes.create(note_type="System", message=message)


def _orders_pay(
    orders,
    *,
    provider: str | Mapping[int, str],
    amounts: Mapping[int, Decimal],
    references: Mapping[int, str],
    user,
    notes: Mapping[int, str],
    charge_id: str = "",
    placed_sources=None,
) -> None:
    """The one place orders become paid. The caller holds the orders' row locks and has
    checked that none is paid yet and each may be paid. ``provider``: one for all, or
    {order id: provider}. ``placed_sources``: the orders were placed in this transaction
    and carry their lines (``placed_lines``), and these are their payment sources: nothing
    is read back (orders_mark_placed_paid)."""
    ids = [o.pk for o in orders]
    placed = placed_sources is not None
    # The unique key on OrderPayment.order is the last guard: a second writer that got
    # past the checks above fails here and its transaction rolls back.
    payments = bulk_insert(
        [
            OrderPayment(
                order=order,
                provider=provider if isinstance(provider, str) else provider[order.pk],
                amount=amounts[order.pk],
                reference=references.get(order.pk, ""),
                recorded_by=user,
                charge_id=charge_id,
            )
            for order in orders
        ]
    )
    sources = placed_sources if placed else Source.objects.filter(order_id__in=ids)
    for source in sources:
        remaining = source.amount_allocated - source.amount_debited
        if remaining > 0:
            source.debit(remaining, reference=references.get(source.order_id, ""))
    event_type = _paid_event_type()
    events = bulk_insert(
        [
            PaymentEvent(
                order=order,
                event_type=event_type,
                amount=amounts[order.pk],
                reference=references.get(order.pk, ""),
            )
            for order in orders
        ]
    )
    event_of = {event.order_id: event for event in events}
    bulk_insert(
        [
            PaymentEventQuantity(event=event_of[line.order_id], line=line, quantity=line.quantity)
            for line in (
                [line for order in orders for line in order.placed_lines]
                if placed
                else Line.objects.filter(order_id__in=ids).only("pk", "order_id", "quantity")
            )
        ],
        with_ids=False,
    )
    for order in orders:
        if order.status == statuses.AWAITING_PAYMENT:
            order.set_status(statuses.PAID)
    # PNBP: each order books its own entry (its Lapas, its deadline), here, in the
    # payment's transaction, exactly once.
    if placed:
        pnbp_record_placed_sales(
            orders=orders, paid_at={payment.order_id: payment.recorded_at for payment in payments}
        )
    elif len(orders) == 1:
        pnbp_record_sale(order=orders[0])
    else:
        pnbp_record_sales(orders=orders)
    bulk_insert(
        [
            OrderNote(order=order, user=user, note_type="System", message=notes[order.pk])
            for order in orders
            if notes.get(order.pk)
        ],
        with_ids=False,
    )
    for order in orders:
        # The buyer is e-mailed once this transaction has committed (POS sales have no
        # buyer's address, so no e-mail is queued for them).
        if order.guest_email or order.user_id:
            order_notify(order_id=order.pk, event="payment_received")
