from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    """Oscar's order, plus the channel it was sold through.

    Online checkout and the point of sale both place Oscar orders; the channel tells
    reports and the PNBP ledger which is which.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online shop")
        POS = "pos", _("Point of sale")

    channel = models.CharField(
        _("sales channel"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.ONLINE,
        db_index=True,
    )

    @property
    def is_refundable(self) -> bool:
        from shop.apps.order import statuses

        return self.status in statuses.PAID_STATUSES


from oscar.apps.order.models import *  # noqa: E402,F403
