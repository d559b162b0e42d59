"""Writes to a basket beyond Oscar's own: "buy again" from a past order.

Rules (README, "Buy again"):
- Each line of the past order goes back in the basket at today's price and within
  today's stock (the basket's Strategy decides both, as for any product added).
- A product that is gone, unpublished or sold out is left out and named; a line of
  which fewer units are in stock now is added with what there is, and says so.
- A price that differs from the one paid is named, so the buyer is not surprised at
  checkout. Nothing is bought: the buyer checks out as usual.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction


@dataclass
class BuyAgainResult:
    added: list[tuple[str, int]] = field(default_factory=list)  # (title, units)
    fewer: list[tuple[str, int, int]] = field(default_factory=list)  # (title, wanted, added)
    unavailable: list[str] = field(default_factory=list)  # titles
    repriced: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # (title, then, now)

    @property
    def units_added(self) -> int:
        return sum(units for _title, units in self.added)


def _is_published(product) -> bool:
    if not product.is_public:
        return False
    return product.parent_id is None or product.parent.is_public


@transaction.atomic
def basket_add_order_again(*, basket, order) -> BuyAgainResult:
    """Put the lines of ``order`` back into ``basket`` (its owner's: the caller checks)."""
    result = BuyAgainResult()
    strategy = basket.strategy
    max_allowed, _threshold = basket.max_allowed_quantity()
    lines = order.lines.select_related("product", "product__parent").prefetch_related(
        "attributes__option"
    )
    for line in lines.order_by("pk"):
        product = line.product
        title = line.title
        if product is None or not _is_published(product):
            result.unavailable.append(title)
            continue
        info = strategy.fetch_for_product(product)
        if info.stockrecord is None or not info.price.exists:
            result.unavailable.append(title)
            continue
        options = [
            {"option": attribute.option, "value": attribute.value}
            for attribute in line.attributes.all()
            if attribute.option
        ]
        in_basket = basket.line_quantity(product, info.stockrecord, options)
        units = line.quantity
        permitted, _reason = info.availability.is_purchase_permitted(in_basket + units)
        if not permitted:
            # What today's stock still allows next to what the basket already holds.
            left = getattr(info.availability, "num_available", 0) or 0
            units = min(units, max(left - in_basket, 0))
        if max_allowed is not None:
            units = min(units, max(max_allowed - basket.num_items, 0))
        if units <= 0:
            result.unavailable.append(title)
            continue
        basket.add_product(product, units, options)
        if units < line.quantity:
            result.fewer.append((title, line.quantity, units))
        else:
            result.added.append((title, units))
        if line.unit_price_incl_tax is not None and info.price.incl_tax != line.unit_price_incl_tax:
            result.repriced.append((title, line.unit_price_incl_tax, info.price.incl_tax))
    # The units of reduced lines count as added, too.
    result.added.extend((title, added) for title, _wanted, added in result.fewer)
    return result
