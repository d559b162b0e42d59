from oscar.apps.shipping import repository

from shop.apps.shipping import selectors
from shop.apps.shipping.methods import Courier, GalleryPickup, ToBeCalculated


class Repository(repository.Repository):
    """Courier by weight and zone, and free pickup at a gallery (selectors has the rules).

    Oscar already answers "no shipping required" for a basket of services only.
    """

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        if shipping_addr is None:
            # Only the basket page asks without an address; checkout has one by now.
            return [ToBeCalculated()]
        available = []
        parcels = selectors.basket_parcels(basket=basket, province=shipping_addr.state or "")
        if parcels:
            available.append(Courier(parcels))
        available.extend(GalleryPickup(g) for g in selectors.pickup_galleries(basket=basket))
        return available
