from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.abstract_models import AbstractWeightBased

from shop.apps.shipping.couriers import COURIERS, CourierCode
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


class OrderParcel(models.Model):
    """One parcel of an order on its way: the courier and its waybill number (nomor resi).

    An order (one Lapas's goods) usually leaves as one parcel; a large one as several, each
    with its own waybill. Staff of the order's Lapas record them (shipping.services); the
    buyer follows each one from their order page and the Shipped e-mail. A courier's
    waybill number names one parcel, so it is recorded once across all orders.
    """

    order = models.ForeignKey(
        "order.Order", related_name="parcels", on_delete=models.CASCADE, verbose_name=_("order")
    )
    courier = models.CharField(_("courier"), max_length=16, choices=CourierCode.choices)
    waybill = models.CharField(_("waybill number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("courier", "waybill"),
                condition=~models.Q(waybill=""),
                name="orderparcel_waybill_once_per_courier",
            )
        ]

    def __str__(self):
        return f"{self.get_courier_display()} {self.waybill}".strip()

    @property
    def tracking_url(self) -> str:
        courier = COURIERS.get(self.courier)
        return courier.tracking_link(self.waybill) if courier else ""


class RateFallback(models.Model):
    """The courier-rate service failed and checkout charged the zone table instead.

    Written when it happens (the basket and Lapas it was for); the order placed from that
    basket gets a staff note saying so (shipping.services). The buyer is never told: the
    charge they saw is the one they pay.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    provider = models.CharField(_("rate provider"), max_length=64)
    reason = models.CharField(_("reason"), max_length=255)
    basket_id = models.PositiveIntegerField(_("basket"), null=True, blank=True, db_index=True)
    lapas = models.ForeignKey(
        "partner.Partner",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("Lapas"),
    )

    class Meta:
        verbose_name = _("courier rate fallback")
        verbose_name_plural = _("courier rate fallbacks")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.provider}: {self.reason}"


from oscar.apps.shipping.models import *  # noqa: E402,F403
