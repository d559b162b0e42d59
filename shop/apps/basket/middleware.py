from oscar.apps.basket import middleware
from oscar.core.loading import get_class

from shop.apps.basket.summary import site_offers_exist, vouchers_exist

Applicator = get_class("offer.applicator", "Applicator")


class KaryaApplicator(Applicator):
    """Oscar's offers, without the two queries every request with a basket made for
    offers that do not exist: most of the time the shop runs no site offer, and a basket
    can only hold vouchers that exist."""

    def get_site_offers(self):
        return super().get_site_offers() if site_offers_exist() else []

    def get_basket_offers(self, basket, user):
        return super().get_basket_offers(basket, user) if vouchers_exist() else []


class BasketMiddleware(middleware.BasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if not basket.is_empty:
            KaryaApplicator().apply(basket, request.user, request)
