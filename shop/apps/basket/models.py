from django.db.models import Sum
from oscar.apps.basket.abstract_models import AbstractBasket

_UNREAD = object()  # a basket's first currency not read yet (None: the basket has no line)


class Basket(AbstractBasket):
    """Oscar's basket, with its lines read once per request.

    Oscar counts the lines with a query of their own (``num_lines``) before the offers and
    again in checkout, and then reads the lines; placing an order paid for three reads of
    the same rows. Here the count is the length of the lines already read, and each line
    comes with its product's class and its Lapas, which shipping, stock and placement ask
    for line by line.
    """

    class Meta(AbstractBasket.Meta):
        app_label = "basket"

    def all_lines(self):
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            self._lines = (
                self.lines.select_related(
                    "product", "product__product_class", "stockrecord", "stockrecord__partner"
                )
                .prefetch_related("attributes", "product__images")
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self):
        return len(self.all_lines()) if self.id is not None else 0

    @property
    def num_items(self):
        if self._lines is None and self.id is not None:
            # Nothing in this request has read the lines: add to basket's quantity check
            # needs their sum, not every line with its product, stock record, attributes
            # and images (three queries and their models, for one number).
            units = self.lines.aggregate(units=Sum("quantity"))["units"]
            if units is None:
                self._first_currency = None  # no line, so no currency either
            return units or 0
        return super().num_items

    @property
    def currency(self):
        if self._lines is not None or self.id is None:
            return super().currency
        # The same first line's currency as Oscar's, read without loading every line: add
        # to basket asks for it three times before it adds anything.
        if getattr(self, "_first_currency", _UNREAD) is _UNREAD:
            lines = self.lines.order_by("pk")
            self._first_currency = lines.values_list("price_currency", flat=True).first()
        return self._first_currency

    def reset_offer_applications(self):
        # Oscar calls this whenever the lines change.
        self._first_currency = _UNREAD
        super().reset_offer_applications()


from oscar.apps.basket.models import *  # noqa: E402, F403
