"""Where an order came from: the last campaign or referring site before it was placed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Marketing channels, from the UTM medium or the referring site (see touch.py)."""

    EMAIL = "email", _("E-mail newsletter")
    SHOPPING_FEED = "shopping_feed", _("Shopping feed (Google, Meta)")
    PAID = "paid", _("Paid advertising")
    SOCIAL = "social", _("Social media")
    SEARCH = "search", _("Search engine")
    REFERRAL = "referral", _("Other website")
    CAMPAIGN = "campaign", _("Other campaign link")
    DIRECT = "direct", _("Direct (no campaign, no referrer)")


class OrderAttribution(models.Model):
    """The touch an online order is credited to: the last campaign link (UTM) or outside
    referrer of the buyer's session within the attribution window, or "direct".

    Written once per order after checkout (shop.marketing.services); point-of-sale
    orders have none: their channel is ``Order.channel``.
    """

    order = models.OneToOneField(
        "order.Order", related_name="attribution", on_delete=models.CASCADE
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.DIRECT, db_index=True
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    medium = models.CharField(_("medium"), max_length=100, blank=True)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True, db_index=True)
    content = models.CharField(_("content"), max_length=100, blank=True)
    term = models.CharField(_("term"), max_length=100, blank=True)
    referrer_host = models.CharField(_("referring site"), max_length=255, blank=True)
    landing_path = models.CharField(_("landing page"), max_length=500, blank=True)
    touched_at = models.DateTimeField(_("touch at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order attribution")
        verbose_name_plural = _("order attributions")

    def __str__(self):
        return f"{self.order_id}: {self.channel} {self.source}/{self.medium} {self.campaign}"


class FeedFile(models.Model):
    """The current file of one product feed (one format, one language) in storage.

    A rebuild writes a new file under a new name, then points this row at it and deletes
    the old one, so the public URL never serves a half-written feed."""

    class Kind(models.TextChoices):
        GOOGLE = "google", _("Google Merchant Center (XML)")
        META = "meta", _("Meta catalogue (CSV)")

    kind = models.CharField(_("feed"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10)
    path = models.CharField(_("file"), max_length=255)
    items = models.PositiveIntegerField(_("products"), default=0)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("product feed")
        verbose_name_plural = _("product feeds")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="marketing_feed_one_per_kind")
        ]

    def __str__(self):
        return f"{self.kind}-{self.language}"
