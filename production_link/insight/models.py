"""The two logs demand insight needs and the shop did not keep.

Oscar's analytics count views per product for all time (``ProductRecord``), and its
``UserSearch`` rows only searches of signed-in buyers, without their result counts. Insight
asks "when" (views while a product was sold out, searches by week) and "found or not", so
both are kept here as daily and weekly counters: one row per product and day with views,
one per normalised search phrase and week. Counters, not one row per event: a year of a
busy shop stays a few hundred thousand rows, and nothing here names a visitor.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductViewDay(models.Model):
    product = models.ForeignKey(
        "catalogue.Product", related_name="view_days", on_delete=models.CASCADE
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("product views of a day")
        verbose_name_plural = _("product views per day")
        constraints = [
            models.UniqueConstraint(fields=("product", "day"), name="insight_view_day_unique")
        ]
        # The unique index (product, day) serves a product's days; the pages also sum a
        # period over every product.
        indexes = [models.Index(fields=("day", "product"), name="insight_view_day_day")]


class SearchWeek(models.Model):
    """What buyers typed in the shop's search in one week (Monday), lower-cased with
    spaces collapsed, and how often it found nothing or only a few products."""

    week = models.DateField(_("week (Monday)"))
    query = models.CharField(_("search words"), max_length=100)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    no_results = models.PositiveIntegerField(_("searches with no result"), default=0)
    few_results = models.PositiveIntegerField(_("searches with few results"), default=0)

    class Meta:
        verbose_name = _("searches of a week")
        verbose_name_plural = _("searches per week")
        constraints = [
            models.UniqueConstraint(fields=("week", "query"), name="insight_search_week_unique")
        ]
