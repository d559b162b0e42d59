from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability

Base = availability.Base
Unavailable = availability.Unavailable
Available = availability.Available


class StockRequired(availability.StockRequired):
    """Oscar's stock rule, with wording we translate ourselves."""

    @property
    def message(self) -> str:
        if self.num_available > 0:
            return _("In stock: %(count)d left") % {"count": self.num_available}
        return _("Out of stock")

    def short_message(self):
        if self.num_available > 0:
            return _("In stock")
        return _("Out of stock")
