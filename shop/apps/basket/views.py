from django.utils.translation import gettext as _
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.views import *  # noqa: F403  (the views we keep as they are)
from oscar.templatetags.currency_filters import currency


class BasketView(oscar_views.BasketView):
    def get_basket_warnings(self, basket):
        """Oscar warns when a line's unit price differs from the price when the product
        was added. An institutional tier lowers the unit price as the quantity grows;
        that is not a price change, so the buyer is told which tier applies instead."""
        warnings = []
        for line in basket.all_lines():
            warning = line.get_warning()
            if warning and self.is_tier_price(basket, line):
                warning = _(
                    "Institutional price for “%(product)s”: %(price)s per unit for %(count)d units."
                ) % {
                    "product": line.product.get_title(),
                    "price": currency(line.unit_price_incl_tax, line.price_currency),
                    "count": line.quantity,
                }
            if warning:
                warnings.append(warning)
        return warnings

    @staticmethod
    def is_tier_price(basket, line) -> bool:
        info = line.purchase_info
        if not (info.price.exists and info.availability.is_available_to_buy):
            return False
        list_price = basket.strategy.fetch_for_product(line.product, line.stockrecord).price
        # The list price is what it was when added; only the quantity made it lower.
        return (
            list_price.exists
            and list_price.incl_tax == line.price_incl_tax
            and info.price.incl_tax < list_price.incl_tax
        )
