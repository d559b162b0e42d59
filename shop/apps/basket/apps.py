import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket; forked only for the basket page's notes on institutional prices
    (views.py). Prices themselves come from the partner Strategy."""

    name = "shop.apps.basket"
