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


# --- Daily sales roll-up (production_link.insight.rollup) -------------------------------------
#
# A year of a busy shop is hundreds of thousands of order lines; the pages' sales figures
# are sums over days, so each whole past day is summed once into these rows and the pages
# add up a year of days (a few thousand rows) instead of the lines. A day is the shop's
# day (settings.TIME_ZONE, as the pages' periods are). Paid orders only (selectors.SOLD).
# Rows are derived: rollup.sales_days_refresh deletes and rewrites whole days, so they
# are never edited one by one.


class ProductSalesDay(models.Model):
    """The sold lines of one product in one day and Lapas (the order's)."""

    day = models.DateField(_("day"))
    lapas = models.ForeignKey(
        "partner.Partner", null=True, related_name="+", on_delete=models.CASCADE
    )
    product = models.ForeignKey("catalogue.Product", related_name="+", on_delete=models.CASCADE)
    # Orders with a line of the product (an order is of one day, so the days add up).
    orders = models.PositiveIntegerField(default=0)
    units = models.IntegerField(default=0)
    revenue = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("product sales of a day")
        verbose_name_plural = _("product sales per day")
        indexes = [
            models.Index(fields=("day", "lapas"), name="insight_psd_day_lapas"),
            models.Index(fields=("product", "day"), name="insight_psd_product_day"),
        ]


class OrderSalesDay(models.Model):
    """Paid orders of one day and Lapas by sales channel and delivery province."""

    day = models.DateField(_("day"))
    lapas = models.ForeignKey(
        "partner.Partner", null=True, related_name="+", on_delete=models.CASCADE
    )
    # selectors.CHANNEL_LABELS: online, gallery, exhibition, institutional.
    channel = models.CharField(max_length=16)
    has_address = models.BooleanField(default=False)
    province = models.CharField(max_length=255, blank=True)
    orders = models.PositiveIntegerField(default=0)
    # Orders with at least one line of a product still in the catalogue (the headline's).
    product_orders = models.PositiveIntegerField(default=0)
    # Goods: the order's total less its shipping.
    goods = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("orders of a day")
        verbose_name_plural = _("orders per day")
        indexes = [models.Index(fields=("day", "lapas"), name="insight_osd_day_lapas")]


class BuyerDay(models.Model):
    """How many paid orders a known buyer placed in one day and Lapas, for the repeat
    buyers' count. ``buyer`` is a key, not a person: the account id and an MD5 of a guest's
    e-mail address, so no address is copied here."""

    day = models.DateField(_("day"))
    lapas = models.ForeignKey(
        "partner.Partner", null=True, related_name="+", on_delete=models.CASCADE
    )
    buyer = models.CharField(max_length=64)
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("buyer's orders of a day")
        verbose_name_plural = _("buyers' orders per day")
        indexes = [models.Index(fields=("day", "lapas"), name="insight_bd_day_lapas")]


class RollupState(models.Model):
    """One row: how far the roll-up goes. Days up to ``filled_until`` are rolled up as
    they were when orders up to ``last_order_id`` and status changes up to
    ``last_status_change_id`` had been written; the pages read any day touched by a
    later order or status change from the orders themselves until the next refresh."""

    filled_until = models.DateField(null=True)
    last_order_id = models.BigIntegerField(default=0)
    last_status_change_id = models.BigIntegerField(default=0)
    # Ids below the watermarks not yet committed when the roll-up was read (a transaction
    # that took its id before and committed after): looked at again, as if above them.
    pending_order_ids = models.JSONField(default=list)
    pending_status_change_ids = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("sales roll-up state")
