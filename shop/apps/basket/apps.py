import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket; forked for the basket page's notes on institutional prices
    (views.py) and the header's cached basket summary (summary.py). Prices themselves come
    from the partner Strategy."""

    name = "shop.apps.basket"

    def ready(self):
        super().ready()
        from . import summary

        summary.connect()
