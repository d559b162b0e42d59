from oscar.apps.order import utils

OrderNumberGenerator = utils.OrderNumberGenerator
OrderDispatcher = utils.OrderDispatcher


class OrderCreator(utils.OrderCreator):
    """Not used: every order is placed by shop.apps.order.placement (one order per Lapas,
    units allocated to batches, payment through the provider and the mark-paid service).

    Oscar's own OrderCreator would place an order holding several Lapas's goods without
    taking its units from batches, so it refuses instead of working quietly.
    """

    def place_order(self, *args, **kwargs):
        raise NotImplementedError(
            "Orders are placed by shop.apps.order.placement (checkout_place, orders_place)."
        )
