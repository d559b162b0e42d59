"""Price rules, free of the database: which unit price applies, whether a set of prices
is acceptable, and what changed. Used by the partner Strategy (reads) and by
catalog.services.product_pricing_set (writes), so both follow the same rules.

Rupiah are whole numbers everywhere: a price with sen is refused, never rounded away
silently; computed amounts are rounded half up to the rupiah.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from .choices import PriceChannel, SalesChannel

ONE = Decimal("1")
MIN_TIER_QUANTITY = 2


def whole_rupiah(value) -> Decimal:
    return Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def is_whole(value) -> bool:
    return Decimal(value) == Decimal(value).to_integral_value()


def tier_price(tiers: Iterable[tuple[int, Decimal]], quantity: int) -> Decimal | None:
    """The price of the highest tier whose minimum the quantity reaches."""
    reached = [(min_quantity, price) for min_quantity, price in tiers if quantity >= min_quantity]
    if not reached:
        return None
    return max(reached, key=lambda tier: tier[0])[1]


def unit_price(
    *,
    online_price: Decimal | None,
    channel_prices: Mapping[str, Decimal],
    tiers: Iterable[tuple[int, Decimal]],
    channel: str,
    quantity: int = 1,
    institutional: bool = False,
) -> Decimal | None:
    """The unit price for one buyer, in one channel, for one quantity.

    A point-of-sale channel without a price of its own sells at the online price. An
    institutional buyer pays the tier price their quantity reaches, if it is lower.
    """
    price = channel_prices.get(channel) if channel != SalesChannel.ONLINE else None
    if price is None:
        price = online_price
    if price is None:
        return None
    if institutional and quantity >= MIN_TIER_QUANTITY:
        tiered = tier_price(tiers, quantity)
        if tiered is not None and tiered < price:
            price = tiered
    return whole_rupiah(price)


def margin(price: Decimal | None, unit_cost: Decimal | None):
    """(amount, percent of the price) left after the unit cost; None when unknown."""
    if price is None or unit_cost is None:
        return None
    amount = whole_rupiah(price - unit_cost)
    percent = (amount * 100 / price).quantize(Decimal("0.1")) if price else None
    return amount, percent


@dataclass
class PricingState:
    """Every price and cost of one product, as stored or as asked for."""

    online: Decimal | None = None
    gallery: Decimal | None = None
    exhibition: Decimal | None = None
    tiers: dict[int, Decimal] = field(default_factory=dict)
    cost_materials: Decimal | None = None
    cost_labor: Decimal | None = None

    @property
    def unit_cost(self) -> Decimal | None:
        if self.cost_materials is None and self.cost_labor is None:
            return None
        return (self.cost_materials or 0) + (self.cost_labor or 0)

    def prices(self) -> list[tuple[str, int | None, Decimal | None]]:
        """(channel, min_quantity, price) of every price, tiers included."""
        rows = [
            (PriceChannel.ONLINE, None, self.online),
            (PriceChannel.GALLERY, None, self.gallery),
            (PriceChannel.EXHIBITION, None, self.exhibition),
        ]
        rows += [(PriceChannel.INSTITUTIONAL, q, p) for q, p in sorted(self.tiers.items())]
        return rows

    def price_map(self) -> dict[tuple[str, int | None], Decimal | None]:
        return {(channel, q): price for channel, q, price in self.prices()}


FIELD_BY_CHANNEL = {
    PriceChannel.ONLINE: "price_online",
    PriceChannel.GALLERY: "price_gallery",
    PriceChannel.EXHIBITION: "price_exhibition",
    PriceChannel.INSTITUTIONAL: "tiers",
}


def changes(current: PricingState, desired: PricingState):
    """(channel, min_quantity, old, new) for every price that differs, then the cost."""
    before, after = current.price_map(), desired.price_map()
    found = []
    for key in sorted(set(before) | set(after), key=_order):
        old, new = before.get(key), after.get(key)
        if old != new:
            found.append((key[0], key[1], old, new))
    if (current.cost_materials, current.cost_labor) != (
        desired.cost_materials,
        desired.cost_labor,
    ):
        found.append((PriceChannel.COST, None, current.unit_cost, desired.unit_cost))
    return found


def _order(key):
    channel, min_quantity = key
    return (list(FIELD_BY_CHANNEL).index(channel), min_quantity or 0)


def below_cost(current: PricingState, desired: PricingState):
    """Prices of ``desired`` under its unit cost that this change introduces: a price that
    changed to below cost, or any price below a cost that changed."""
    cost = desired.unit_cost
    if cost is None:
        return []
    cost_changed = current.unit_cost != desired.unit_cost
    before = current.price_map()
    return [
        (channel, min_quantity, price)
        for channel, min_quantity, price in desired.prices()
        if price is not None
        and price < cost
        and (cost_changed or before.get((channel, min_quantity)) != price)
    ]


def price_label(channel: str, min_quantity: int | None) -> str:
    if channel == PriceChannel.INSTITUTIONAL:
        return _("institutional price from %(count)d units") % {"count": min_quantity}
    return str(PriceChannel(channel).label)


def pricing_errors(
    *, current: PricingState, desired: PricingState, confirm_below_cost: bool
) -> dict[str, list[str]]:
    """What is wrong with ``desired``, by form field name; empty when it may be saved."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    amounts = {
        "price_online": desired.online,
        "price_gallery": desired.gallery,
        "price_exhibition": desired.exhibition,
        "cost_materials": desired.cost_materials,
        "cost_labor": desired.cost_labor,
    }
    for name, value in amounts.items():
        if value is None:
            continue
        if value < 0:
            add(name, _("Enter an amount of zero rupiah or more."))
        elif not is_whole(value):
            add(name, _("Rupiah are whole numbers: leave out the sen (e.g. 150000)."))
    previous_price = None
    for min_quantity, price in sorted(desired.tiers.items()):
        label = price_label(PriceChannel.INSTITUTIONAL, min_quantity)
        if min_quantity < MIN_TIER_QUANTITY:
            add("tiers", _("Institutional tiers start at 2 units or more."))
        if price <= 0 or not is_whole(price):
            add("tiers", _("%(label)s: enter whole rupiah above zero.") % {"label": label})
        elif desired.online is not None and price >= desired.online:
            add(
                "tiers",
                _("%(label)s: must be lower than the online price.") % {"label": label},
            )
        elif previous_price is not None and price > previous_price:
            add(
                "tiers",
                _("%(label)s: a larger quantity may not cost more per unit.") % {"label": label},
            )
        previous_price = price
    if errors:
        return errors
    under = below_cost(current, desired)
    if under and not confirm_below_cost:
        listed = ", ".join(
            f"{price_label(channel, q)} {currency(price)}" for channel, q, price in under
        )
        add(
            "confirm_below_cost",
            _(
                "Below the unit cost of %(cost)s: %(prices)s. Tick “Sell below cost” to "
                "confirm; your confirmation is recorded."
            )
            % {"cost": currency(desired.unit_cost), "prices": listed},
        )
    return errors
