"""Karya's pricing and availability strategy (Oscar's way to price per customer).

Prices depend on the sales channel and, for institutional buyers, on the quantity:

* the **channel** is online for the web shop; the point of sale asks for a strategy with
  ``channel="gallery"`` or ``"exhibition"`` (or sets ``request.sales_channel``) and gets
  that channel's price, or the online price where the product has none;
* an **institutional buyer** (a user in the "Pembeli instansi" group, set by central
  staff) pays the institutional tier price that a basket line's quantity reaches.

Oscar prices each basket line through ``fetch_for_line`` every time the basket is
loaded, so changing a line's quantity re-prices it, and the order is created from the
same line prices: basket, order and invoice agree. All prices are whole rupiah and no
tax is added (PNBP sales carry no VAT).
"""

from decimal import Decimal
from functools import cached_property

from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class

from catalog import pricing, selectors
from catalog.choices import SalesChannel

FixedPrice = get_class("partner.prices", "FixedPrice")
UnavailablePrice = get_class("partner.prices", "Unavailable")
PurchaseInfo = oscar_strategy.PurchaseInfo

ZERO = Decimal("0")


class Selector:
    def strategy(self, request=None, user=None, channel=None, **kwargs):
        if channel is None:
            channel = getattr(request, "sales_channel", None) or SalesChannel.ONLINE
        return KaryaStrategy(request, user=user, channel=channel)


class ChannelAndTierPricing:
    """Pricing policy mixin: channel price, then institutional tier by quantity."""

    channel = SalesChannel.ONLINE

    def pricing_policy(self, product, stockrecord):
        return self.price_for(product, stockrecord, quantity=1)

    def parent_pricing_policy(self, product, children_stock):
        for child, stockrecord in children_stock:
            if stockrecord is not None and stockrecord.price is not None:
                return self.price_for(child, stockrecord, quantity=1)
        return UnavailablePrice()

    def price_for(self, product, stockrecord, *, quantity: int):
        if stockrecord is None or stockrecord.price is None:
            return UnavailablePrice()
        channel_prices = {}
        if self.channel != SalesChannel.ONLINE:
            channel_prices = {cp.channel: cp.price for cp in product.channel_prices.all()}
        institutional = quantity >= pricing.MIN_TIER_QUANTITY and self.is_institutional
        tiers = []
        if institutional:
            tiers = [(t.min_quantity, t.price) for t in product.price_tiers.all()]
        amount = pricing.unit_price(
            online_price=stockrecord.price,
            channel_prices=channel_prices,
            tiers=tiers,
            channel=self.channel,
            quantity=quantity,
            institutional=institutional,
        )
        return FixedPrice(currency=stockrecord.price_currency, excl_tax=amount, tax=ZERO)


class KaryaStrategy(
    oscar_strategy.UseFirstStockRecord,
    oscar_strategy.StockRequired,
    ChannelAndTierPricing,
    oscar_strategy.Structured,
):
    def __init__(self, request=None, user=None, channel=SalesChannel.ONLINE):
        super().__init__(request)
        if user is not None and user.is_authenticated:
            self.user = user
        self.channel = channel

    @cached_property
    def is_institutional(self) -> bool:
        # Asked only when a quantity could reach a tier, so browsing costs no query.
        return selectors.user_is_institutional_buyer(self.user)

    def availability_policy(self, product, stockrecord):
        # A product its Lapas reserves for internal needs is sold to correctional units
        # only, until the reservation ends (shop.institutions; imported here because it
        # sits above this module).
        from shop.institutions.availability import reserved_availability

        available = super().availability_policy(product, stockrecord)
        return reserved_availability(
            product=product, user=getattr(self, "user", None), available=available
        )

    def fetch_for_line(self, line, stockrecord=None):
        """Price a basket line for its quantity (Oscar's default ignores the quantity)."""
        product = line.product
        stockrecord = stockrecord or line.stockrecord or self.select_stockrecord(product)
        return PurchaseInfo(
            price=self.price_for(product, stockrecord, quantity=line.quantity),
            availability=self.availability_policy(product, stockrecord),
            stockrecord=stockrecord,
        )
