from django.conf import settings
from django.utils import translation
from oscar.apps.checkout import mixins

from shop.apps.order.notifications import ORDER_PLACED, checkout_notify_placed, order_notify


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    """Oscar's order placement; Oscar's checkout views load it by name (get_class), so
    this one is used. The order keeps the buyer's language, and its confirmation is
    e-mailed by a Celery task after the order's transaction, never inside the request."""

    def place_order(self, *args, **kwargs):
        kwargs.setdefault("language", self.order_language())
        return super().place_order(*args, **kwargs)

    def order_language(self) -> str:
        language = getattr(self.request, "LANGUAGE_CODE", None) or translation.get_language()
        codes = {code for code, _name in settings.LANGUAGES}
        language = (language or "").split("-")[0]
        return language if language in codes else settings.LANGUAGE_CODE

    @staticmethod
    def _orders_in_checkout(order) -> int:
        # The placement hands its orders over on the checkout; count only when not.
        placed = getattr(order.checkout, "placed_orders", None)
        return len(placed) if placed is not None else order.checkout.orders.count()

    def send_order_placed_email(self, order):
        # A checkout split by Lapas gets one confirmation listing its orders (sent once
        # however many of them ask for it); a checkout of one Lapas, its order's own.
        if order.checkout_id and self._orders_in_checkout(order) > 1:
            checkout_notify_placed(checkout_id=order.checkout_id)
        else:
            order_notify(order_id=order.pk, event=ORDER_PLACED)
