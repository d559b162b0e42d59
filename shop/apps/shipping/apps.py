import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, with weight-based rates per zone (distance from the Lapas that
    ships) and free pickup at a gallery. See shop.apps.shipping.repository."""

    name = "shop.apps.shipping"

    def ready(self):
        super().ready()
        from oscar.apps.order.signals import order_placed

        from shop.apps.shipping.receivers import order_placed_rate_fallback_note

        order_placed.connect(order_placed_rate_fallback_note, dispatch_uid="karya_rate_fallback")
