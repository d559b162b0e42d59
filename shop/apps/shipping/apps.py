import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, with weight-based rates per zone (distance from the Lapas that
    ships) and free pickup at a gallery. See shop.apps.shipping.repository."""

    name = "shop.apps.shipping"
