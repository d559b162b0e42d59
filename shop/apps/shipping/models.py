from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.abstract_models import AbstractWeightBased

from shop.apps.shipping.zones import Zone


class WeightBased(AbstractWeightBased):
    """Oscar's weight-based rate table, for one shipping zone.

    Each zone (same province, same island group, another island group, Maluku and Papua)
    has one table of weight bands that central staff edit in the dashboard (Fulfilment →
    Shipping charges). A parcel's weight is the packaging gross weight of its goods; see
    shop.apps.shipping.selectors. Oscar's ``default_weight`` is not used: one documented
    default weight applies to every zone.
    """

    zone = models.CharField(
        _("zone"),
        max_length=16,
        choices=Zone.choices,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "How far the parcel travels from the Lapas that ships it. Each zone has one "
            "rate table; a zone without one cannot be shipped to."
        ),
    )


from oscar.apps.shipping.models import *  # noqa: E402,F403
