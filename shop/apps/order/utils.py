from oscar.apps.order import utils

from production_link.services import allocation_allocate_order

OrderNumberGenerator = utils.OrderNumberGenerator
OrderDispatcher = utils.OrderDispatcher


class OrderCreator(utils.OrderCreator):
    """Oscar's order creation, plus the allocation of every unit to a batch.

    Both happen in Oscar's one order transaction: if a line cannot be filled, the order is
    not placed and the buyer is told which item is short (InsufficientStock). A point of
    sale passes the location it sells from; online orders use the Lapas's online stock.
    """

    def __init__(self, *args, stock_locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stock_locations = stock_locations

    def create_order_model(self, *args, **kwargs):
        self._order = super().create_order_model(*args, **kwargs)
        self._allocated = False
        return self._order

    def update_stock_records(self, line):
        # Oscar calls this once per basket line, after every order line exists and still
        # inside its transaction (and before the order_placed signal): the first call
        # allocates the whole order to batches, in one lock order. Oscar's own allocation
        # counter is unused: units leave batch stock here.
        if not self._allocated:
            allocation_allocate_order(order=self._order, locations=self.stock_locations)
            self._allocated = True
