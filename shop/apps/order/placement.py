"""The one way a sale becomes orders: online checkout, the point of sale's sync (one sale
or a queue of them) and ``seed_catalog`` all place orders here.

Bulk first: the callers describe the orders they want (``OrderDraft``, one per Lapas), and
placing them costs a fixed number of queries whatever their number:

1. every draft is checked to hold the goods of its own Lapas only (a trigger on order
   lines refuses anything else at the database, see migration order.0027);
2. the batch stock of every product is locked once, product by product in one fixed
   order (so concurrent placements cannot deadlock), under a lock timeout; the units are
   planned in memory, first-expiring first (``LockedStock.take``);
3. orders, lines, line prices and allocations are bulk-created, and batch stock updated
   in one statement;
4. the payment provider's ``execute_payment`` is called once for the orders it pays, their
   payment sources are bulk-created, and the orders the provider reports paid (the
   counter methods) go through the one mark-paid service, which books their PNBP.

A lock timeout rolls the attempt back and retries it once; a second one raises
``StockBusy``, whose message tells the buyer or cashier to try again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from production_link.bulk_insert import bulk_insert
from production_link.selectors import online_location_list
from production_link.services import InsufficientStock, LockedStock
from shop.apps.order import statuses

logger = logging.getLogger(__name__)

Checkout = get_model("order", "Checkout")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
Source = get_model("payment", "Source")
Basket = get_model("basket", "Basket")
SourceType = get_model("payment", "SourceType")

ZERO = Decimal("0")
# pretix's locking: a placement waits this long for a row another one holds, then gives up
# (retried once) instead of hanging the buyer's request.
DEFAULT_LOCK_TIMEOUT = "3s"
PAID_EVENT = "Paid"


class MixedLapasError(ValueError):
    """A draft holds goods of a Lapas other than its own: never placed."""


class StockBusy(UnableToPlaceOrder):
    """The stock stayed locked by other sales past the lock timeout, twice."""

    def __init__(self):
        super().__init__(
            _(
                "Many people are buying these items right now and we could not reserve them. "
                "Nothing was taken and nothing was charged: please try again in a moment."
            )
        )


class BasketAlreadyPlaced(UnableToPlaceOrder):
    """The basket was placed already (a double click, a second tab): nothing is placed
    twice."""

    def __init__(self):
        super().__init__(_("This basket has already been ordered."))


@dataclass
class LineDraft:
    """One order line as the caller wants it. Prices are what is charged (after
    discounts); ``before_discounts`` defaults to them."""

    product: object
    quantity: int
    unit_price_incl_tax: Decimal
    unit_price_excl_tax: Decimal | None = None
    line_price_incl_tax: Decimal | None = None
    line_price_excl_tax: Decimal | None = None
    line_price_before_discounts_incl_tax: Decimal | None = None
    line_price_before_discounts_excl_tax: Decimal | None = None
    stockrecord: object | None = None
    # Units must come from this batch (a POS sale of a scanned label).
    batch_id: int | None = None
    tax_code: str | None = None
    # (incl, excl, quantity) rows of Oscar's LinePrice; one row at the unit price if empty.
    price_breakdown: list = field(default_factory=list)
    # Oscar basket line options, as (option, value).
    attributes: list = field(default_factory=list)
    # A commission (issue 16): the units do not exist yet. Nothing is taken from stock at
    # placement; the line is allocated when the batch made for it is released.
    made_to_order: bool = False

    def __post_init__(self):
        if self.unit_price_excl_tax is None:
            self.unit_price_excl_tax = self.unit_price_incl_tax
        if self.line_price_incl_tax is None:
            self.line_price_incl_tax = self.unit_price_incl_tax * self.quantity
        if self.line_price_excl_tax is None:
            self.line_price_excl_tax = self.unit_price_excl_tax * self.quantity
        if self.line_price_before_discounts_incl_tax is None:
            self.line_price_before_discounts_incl_tax = self.line_price_incl_tax
        if self.line_price_before_discounts_excl_tax is None:
            self.line_price_before_discounts_excl_tax = self.line_price_excl_tax


@dataclass
class OrderDraft:
    """One order of one Lapas, before anything is written."""

    number: str
    lapas: object
    lines: list[LineDraft]
    channel: str = "online"
    status: str = ""
    user: object | None = None
    guest_email: str = ""
    language: str = ""
    shipping_incl_tax: Decimal = ZERO
    shipping_excl_tax: Decimal | None = None
    shipping_method: str = ""
    shipping_code: str = ""
    shipping_address: object | None = None
    billing_address: object | None = None
    basket: object | None = None
    date_placed: object | None = None
    # Where the units come from: the Lapas's online locations when None.
    locations: list | None = None
    payment_reference: str = ""
    checkout: object | None = None
    # Filled while placing.
    plan: list | None = None
    short: InsufficientStock | None = None

    @property
    def goods_incl_tax(self) -> Decimal:
        return sum((line.line_price_incl_tax for line in self.lines), ZERO)

    @property
    def goods_excl_tax(self) -> Decimal:
        return sum((line.line_price_excl_tax for line in self.lines), ZERO)


# --- guards --------------------------------------------------------------------------------


def drafts_check(drafts: Iterable[OrderDraft]) -> None:
    """The service-level guard: an order holds the goods of its own Lapas only."""
    for draft in drafts:
        if draft.lapas is None:
            raise MixedLapasError(f"Order {draft.number} has no Lapas.")
        if not draft.lines:
            raise MixedLapasError(f"Order {draft.number} has no lines.")
        for line in draft.lines:
            partner_id = line.stockrecord.partner_id if line.stockrecord is not None else None
            if partner_id is not None and partner_id != draft.lapas.pk:
                raise MixedLapasError(
                    f"Order {draft.number} of Lapas {draft.lapas.pk} holds goods of "
                    f"Lapas {partner_id}: one order per Lapas."
                )


# --- locks ---------------------------------------------------------------------------------


def _lock_timeout() -> str:
    return str(getattr(settings, "KARYA_STOCK_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))


def set_lock_timeout() -> None:
    """Bound every lock wait of the current transaction (PostgreSQL; SQLite serialises
    writers on its own)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL, as a function so the value can be a parameter.
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [_lock_timeout()])


def is_lock_timeout(error: BaseException) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "55P03" or "lock timeout" in str(error).lower()


def with_lock_retry(work: Callable[[], object]):
    """Run ``work`` in its own transaction (a savepoint inside an outer one); a lock
    timeout rolls it back and runs it once more, a second one raises StockBusy."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                set_lock_timeout()
                return work()
        except OperationalError as error:
            if not is_lock_timeout(error):
                raise
            logger.warning("Placement attempt %d hit the lock timeout: %s", attempt, error)
    raise StockBusy()


def stock_lock(drafts: list[OrderDraft]) -> LockedStock:
    """Lock the batch stock every draft may take from, once, product by product."""
    locations: dict[int, object] = {}
    for draft in drafts:
        if draft.locations is None:
            draft.locations = online_location_list(lapas_id=draft.lapas.pk)
        for location in draft.locations:
            locations[location.pk] = location
    product_ids = {
        line.product.pk for draft in drafts for line in draft.lines if not line.made_to_order
    }
    return LockedStock(product_ids=product_ids, locations=list(locations.values()))


def drafts_plan(stock: LockedStock, drafts: list[OrderDraft], *, all_or_nothing: bool) -> None:
    """Plan each draft's units in the order given (FEFO, from its own locations). A draft
    that cannot be filled gets ``short``; with ``all_or_nothing`` it is raised instead."""
    for draft in drafts:
        stocked = [line for line in draft.lines if not line.made_to_order]
        try:
            pieces = iter(
                stock.take(
                    [(line.product, line.quantity, line.batch_id) for line in stocked],
                    location_ids={location.pk for location in draft.locations},
                )
                if stocked
                else []
            )
            # One entry per line, in the draft's order; made-to-order lines take nothing.
            draft.plan = [[] if line.made_to_order else next(pieces) for line in draft.lines]
        except InsufficientStock as short:
            if all_or_nothing:
                raise
            draft.short = short


# --- writing -------------------------------------------------------------------------------


def _address_copies(model, drafts, attribute) -> None:
    # Each order gets its own copy: staff correcting one order's address change only it.
    copies = []
    for draft in drafts:
        address = getattr(draft, attribute)
        if address is None:
            continue
        if address.pk is not None and not any(c is address for c in copies):
            copies.append(address)
            continue
        copy = model(
            **{
                f.attname: getattr(address, f.attname)
                for f in model._meta.concrete_fields
                if not f.primary_key
            }
        )
        setattr(draft, attribute, copy)
        copies.append(copy)
    new = [c for c in copies if c.pk is None]
    if new:
        model.objects.bulk_create(new)


def orders_create(drafts: list[OrderDraft], stock: LockedStock) -> list:
    """Write planned drafts (``plan`` set): orders, lines, line prices, allocations and
    the stock they take, each in one insert for all of them. Returns the orders with
    ``placed_lines`` (their lines, in the drafts' order, each with its
    ``placed_allocations``)."""
    from production_link.models import Allocation

    if not drafts:
        stock.write([])
        return []
    drafts_check(drafts)
    now = timezone.now()
    site_id = getattr(settings, "SITE_ID", None)
    _address_copies(ShippingAddress, drafts, "shipping_address")
    _address_copies(BillingAddress, drafts, "billing_address")
    orders = bulk_insert(
        [
            Order(
                number=draft.number,
                lapas=draft.lapas,
                checkout=draft.checkout,
                basket=draft.basket,
                site_id=site_id,
                user=draft.user if draft.user is not None and draft.user.pk else None,
                guest_email=draft.guest_email,
                language=draft.language or settings.LANGUAGE_CODE,
                currency=settings.OSCAR_DEFAULT_CURRENCY,
                total_incl_tax=draft.goods_incl_tax + draft.shipping_incl_tax,
                total_excl_tax=draft.goods_excl_tax
                + (
                    draft.shipping_excl_tax
                    if draft.shipping_excl_tax is not None
                    else draft.shipping_incl_tax
                ),
                shipping_incl_tax=draft.shipping_incl_tax,
                shipping_excl_tax=(
                    draft.shipping_excl_tax
                    if draft.shipping_excl_tax is not None
                    else draft.shipping_incl_tax
                ),
                shipping_method=draft.shipping_method,
                shipping_code=draft.shipping_code,
                shipping_address=draft.shipping_address,
                billing_address=draft.billing_address,
                status=draft.status or settings.OSCAR_INITIAL_ORDER_STATUS,
                channel=draft.channel,
                date_placed=draft.date_placed or now,
            )
            for draft in drafts
        ]
    )
    line_rows = []
    for order, draft in zip(orders, drafts, strict=True):
        line_status = (
            draft.status
            if draft.status and draft.status != statuses.AWAITING_PAYMENT
            else settings.OSCAR_INITIAL_LINE_STATUS
        )
        for line in draft.lines:
            record = line.stockrecord
            product = line.product
            line_rows.append(
                Line(
                    order=order,
                    partner=draft.lapas,
                    partner_name=draft.lapas.name,
                    partner_sku=(record.partner_sku if record is not None else "")
                    or (product.upc or ""),
                    stockrecord=record,
                    product=product,
                    title=product.get_title(),
                    upc=product.upc,
                    quantity=line.quantity,
                    line_price_incl_tax=line.line_price_incl_tax,
                    line_price_excl_tax=line.line_price_excl_tax,
                    line_price_before_discounts_incl_tax=line.line_price_before_discounts_incl_tax,
                    line_price_before_discounts_excl_tax=line.line_price_before_discounts_excl_tax,
                    unit_price_incl_tax=line.unit_price_incl_tax,
                    unit_price_excl_tax=line.unit_price_excl_tax,
                    tax_code=line.tax_code,
                    status=line_status,
                    # Units leave batch stock at placement (the allocations below),
                    # except a commission's, allocated when its batch is released.
                    num_allocated=0 if line.made_to_order else line.quantity,
                )
            )
    # PostgreSQL returns the ids of bulk inserts, in the order given.
    line_rows = bulk_insert(line_rows)
    prices, attributes, allocations, at = [], [], [], 0
    for order, draft in zip(orders, drafts, strict=True):
        order.placed_lines = line_rows[at : at + len(draft.lines)]
        at += len(draft.lines)
        for row, line, pieces in zip(order.placed_lines, draft.lines, draft.plan, strict=True):
            breakdown = line.price_breakdown or [
                (line.unit_price_incl_tax, line.unit_price_excl_tax, line.quantity)
            ]
            prices.extend(
                LinePrice(
                    order=order,
                    line=row,
                    quantity=quantity,
                    price_incl_tax=incl,
                    price_excl_tax=excl,
                )
                for incl, excl, quantity in breakdown
            )
            attributes.extend(
                LineAttribute(line=row, option=option, type=option.code, value=value)
                for option, value in line.attributes
            )
            row.placed_allocations = [
                Allocation(
                    line=row,
                    batch_id=batch_row.batch_id,
                    location_id=batch_row.location_id,
                    quantity=units,
                )
                for batch_row, units in pieces
            ]
            # What a sale paid at once books its PNBP by (orders_mark_placed_paid).
            for allocation, (batch_row, _units) in zip(row.placed_allocations, pieces, strict=True):
                allocation.batch_workshop = batch_row.workshop_id
            allocations.extend(row.placed_allocations)
    bulk_insert(prices, with_ids=False)
    if attributes:
        bulk_insert(attributes, with_ids=False)
    stock.write(allocations)
    return orders


def _source_types(names) -> dict:
    def read():
        return {t.name: t for t in SourceType.objects.all()}

    from shop.apps.core.shared_cache import get_local

    found = get_local("payment-source-types", read)
    missing = set(names) - set(found)
    if missing:
        # A provider's first payment: its type is made once (saving it moves the shared
        # generation, so every process reads the types again).
        found = dict(found)
        for name in missing:
            found[name] = SourceType.objects.get_or_create(name=name)[0]
    return found


def orders_take_payment(
    *, orders, provider, checkout=None, user=None, references=None, notes=None
) -> dict:
    """Ask the provider once for all ``orders`` (``execute_payment``), record a payment
    source per order, and mark paid, through the one mark-paid service, the orders whose
    money the provider reports taken (the counter methods). Returns the outcomes by
    order number. A PaymentError from the provider propagates: the caller's transaction
    rolls the orders back."""
    return orders_take_payments(
        groups=[(orders, provider)],
        checkout=checkout,
        user=user,
        references=references,
        notes=notes,
    )


def orders_take_payments(*, groups, checkout=None, user=None, references=None, notes=None) -> dict:
    """orders_take_payment for orders just placed and paid in several ways (a point of
    sale's queue: cash, QRIS, card terminal): ``groups`` are (orders, provider). Each
    provider is asked once for its orders; the payment sources of all of them are
    written in one insert, and the orders reported paid are marked paid in one call,
    from the orders, lines and allocations in memory (orders_mark_placed_paid)."""
    from shop.payments.services import orders_mark_placed_paid

    groups = [(orders, provider) for orders, provider in groups if orders]
    if not groups:
        return {}
    outcomes, provider_of = {}, {}
    for orders, provider in groups:
        outcomes.update(provider.execute_payment(orders=orders, checkout=checkout))
        for order in orders:
            provider_of[order.pk] = provider.identifier
    orders = sorted((order for group, _provider in groups for order in group), key=lambda o: o.pk)
    references = references or {}
    types = _source_types(outcome.source_type for outcome in outcomes.values())
    sources = bulk_insert(
        [
            Source(
                order=order,
                source_type=types[outcomes[order.number].source_type],
                currency=order.currency,
                amount_allocated=outcomes[order.number].amount_allocated,
                # What the provider took at once (a counter sale); the mark-paid service
                # debits the rest, e.g. a bank transfer when staff record it.
                amount_debited=outcomes[order.number].amount_debited,
                reference=outcomes[order.number].reference or references.get(order.pk, ""),
            )
            for order in orders
        ]
    )
    taken = [o for o in orders if outcomes[o.number].event_type == PAID_EVENT]
    if taken:
        taken_ids = {o.pk for o in taken}
        orders_mark_placed_paid(
            orders=taken,
            providers={o.pk: provider_of[o.pk] for o in taken},
            sources=[source for source in sources if source.order_id in taken_ids],
            user=user,
            references={
                o.pk: outcomes[o.number].reference or references.get(o.pk, "") for o in taken
            },
            notes=notes,
        )
    return outcomes


def orders_place(*, drafts: list[OrderDraft], provider, checkout=None, user=None, notes=None):
    """Place drafts all or nothing: lock, plan, write, take payment. Call inside
    ``with_lock_retry`` (or a transaction of your own). Raises InsufficientStock naming
    the first product that is short (nothing is placed)."""
    drafts_check(drafts)
    stock = stock_lock(drafts)
    drafts_plan(stock, drafts, all_or_nothing=True)
    for draft in drafts:
        draft.checkout = checkout
    orders = orders_create(drafts, stock)
    orders_take_payment(
        orders=orders,
        provider=provider,
        checkout=checkout,
        user=user,
        references={o.pk: d.payment_reference for o, d in zip(orders, drafts, strict=True)},
        notes=notes(orders) if callable(notes) else notes,
    )
    return orders


# --- online checkout -----------------------------------------------------------------------


def order_number_for(checkout_number: str, lapas, *, split: bool) -> str:
    """A checkout of one Lapas keeps its number for its order; split, each order adds its
    Lapas's short code (e.g. 100042-TNG), which the buyer and its staff both read."""
    if not split:
        return checkout_number
    return f"{checkout_number}-{lapas.short_code or lapas.pk}"


def _shipping_of(method, lapas, *, first: bool, basket):
    """An order's own shipping: its Lapas's parcel on the courier, else the method's whole
    charge on the first order (a gallery pickup is of one Lapas and free)."""
    parcels = getattr(method, "parcels", None)
    if method is None:
        return ZERO, ZERO, "", ""
    if parcels is not None:
        charge = next((p.charge for p in parcels if p.lapas.pk == lapas.pk), None)
        if charge is None:
            return ZERO, ZERO, str(_("No shipping required")), "no-shipping-required"
        return charge, charge, str(method.name), method.code
    if not first:
        return ZERO, ZERO, str(method.name), method.code
    price = method.calculate(basket)
    return price.incl_tax, price.excl_tax, str(method.name), method.code


def basket_drafts(
    *,
    basket,
    number: str,
    user=None,
    guest_email: str = "",
    language: str = "",
    shipping_method=None,
    shipping_address=None,
    billing_address=None,
    channel: str = "online",
    date_placed=None,
) -> list[OrderDraft]:
    """One draft per Lapas of a basket (Lapas in id order), each with its own number,
    shipping and lines at the basket's prices after discounts."""
    groups: OrderedDict = OrderedDict()
    for line in basket.all_lines():
        if line.stockrecord is None:
            raise UnableToPlaceOrder(
                _("“%(title)s” can no longer be bought.") % {"title": line.product.get_title()}
            )
        groups.setdefault(line.stockrecord.partner_id, (line.stockrecord.partner, []))[1].append(
            line
        )
    split = len(groups) > 1
    drafts = []
    for index, (_pk, (lapas, lines)) in enumerate(sorted(groups.items())):
        incl, excl, method_name, method_code = _shipping_of(
            shipping_method, lapas, first=index == 0, basket=basket
        )
        drafts.append(
            OrderDraft(
                number=order_number_for(number, lapas, split=split),
                lapas=lapas,
                channel=channel,
                user=user,
                guest_email=guest_email,
                language=language,
                basket=basket,
                shipping_incl_tax=incl,
                shipping_excl_tax=excl,
                shipping_method=method_name,
                shipping_code=method_code,
                shipping_address=shipping_address,
                billing_address=billing_address,
                date_placed=date_placed,
                lines=[
                    LineDraft(
                        product=line.product,
                        quantity=line.quantity,
                        unit_price_incl_tax=line.unit_price_incl_tax,
                        unit_price_excl_tax=line.unit_price_excl_tax,
                        line_price_incl_tax=line.line_price_incl_tax_incl_discounts,
                        line_price_excl_tax=line.line_price_excl_tax_incl_discounts,
                        line_price_before_discounts_incl_tax=line.line_price_incl_tax,
                        line_price_before_discounts_excl_tax=line.line_price_excl_tax,
                        stockrecord=line.stockrecord,
                        tax_code=getattr(line, "tax_code", None),
                        price_breakdown=list(line.get_price_breakdown()),
                        attributes=[(a.option, a.value) for a in line.attributes.all()]
                        if line.pk
                        else [],
                    )
                    for line in lines
                ],
            )
        )
    return drafts


def basket_submit_once(basket) -> None:
    """Mark the basket submitted unless it is already; raises BasketAlreadyPlaced then.
    The row lock this takes makes a concurrent second placement of the basket wait."""
    now = timezone.now()
    updated = Basket.objects.filter(pk=basket.pk, status__in=(basket.OPEN, basket.FROZEN)).update(
        status=basket.SUBMITTED, date_submitted=now
    )
    if not updated:
        raise BasketAlreadyPlaced()
    basket.status, basket.date_submitted = basket.SUBMITTED, now


def checkout_place(
    *,
    basket,
    number: str,
    provider,
    user=None,
    guest_email: str = "",
    language: str = "",
    shipping_method=None,
    shipping_address=None,
    billing_address=None,
    date_placed=None,
    channel: str = "online",
    submit_basket: bool = False,
):
    """Place a basket: one order per Lapas under one Checkout numbered ``number`` (the
    number the buyer sees), stock allocated, the provider asked once for all of them.
    With ``submit_basket`` the basket is marked submitted in the same transaction, and a
    basket submitted already raises BasketAlreadyPlaced (a second click waits for the
    first placement and then gets this, never a second order).

    All or nothing: InsufficientStock, StockBusy or the provider's PaymentError leave
    nothing behind. Returns the Checkout; its orders are ``checkout.placed_orders``.
    """
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    language = language or settings.LANGUAGE_CODE
    placed_at = date_placed or timezone.now()
    drafts = basket_drafts(
        basket=basket,
        number=number,
        user=user,
        guest_email=guest_email,
        language=language,
        shipping_method=shipping_method,
        shipping_address=shipping_address,
        billing_address=billing_address,
        date_placed=placed_at,
        channel=channel,
    )
    # Before any lock: a provider that calls out (Stripe's PaymentIntent) does it now.
    prepared = provider.prepare_payment(
        number=number,
        amount=sum((d.goods_incl_tax + d.shipping_incl_tax for d in drafts), ZERO),
        order_numbers=[d.number for d in drafts],
    )

    def work():
        if submit_basket:
            basket_submit_once(basket)
        checkout = Checkout.objects.create(
            number=number,
            user=user,
            guest_email=guest_email if user is None else "",
            language=language,
            date_placed=placed_at,
            payment_method=provider.identifier,
        )
        checkout.prepared_payment = prepared
        # A fresh copy per attempt: placing fills in each draft (plan, address copies),
        # and a lock timeout's retry must start from the drafts as they were.
        attempt = [replace(draft) for draft in drafts]
        checkout.placed_orders = orders_place(drafts=attempt, provider=provider, checkout=checkout)
        for order in checkout.placed_orders:
            # As Oscar's OrderCreator did: its analytics count the purchases.
            order_placed.send(sender=Checkout, order=order, user=user)
        return checkout

    return with_lock_retry(work)
