"""Point of sale for galleries and exhibitions.

A sales location is a production_link.StockLocation (kind gallery or exhibition: its
units are batch stock like any other) with what only the point of sale needs: the venue,
the dates of an exhibition and the cashiers who may sell there. Sales are Oscar orders in
the "pos" channel; a PosSale keeps what the device sent (its UUID, applied once) and what
the server answered, so a resent sale gets the same answer.
"""

import uuid as uuid_lib

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    QRIS = "qris", _("QRIS")
    CARD_TERMINAL = "card_terminal", _("Card terminal")


class PosLocation(models.Model):
    """A gallery or an exhibition booth where cashiers sell.

    Name, city, Lapas and "active" are the stock location's own fields (one truth for the
    place that holds the units); this adds the venue, an exhibition's dates and who sells.
    """

    stock_location = models.OneToOneField(
        "production_link.StockLocation",
        verbose_name=_("stock location"),
        related_name="pos",
        on_delete=models.PROTECT,
    )
    venue = models.CharField(
        _("venue"),
        max_length=160,
        blank=True,
        help_text=_("Where the booth or gallery is, e.g. “Jakarta Convention Center, Hall B”."),
    )
    starts_on = models.DateField(
        _("first day"), null=True, blank=True, help_text=_("For an exhibition: its first day.")
    )
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For an exhibition: its last day.")
    )
    cashiers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cashiers"),
        related_name="pos_locations",
        blank=True,
        help_text=_("Who may sell here."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sales location")
        verbose_name_plural = _("sales locations")
        ordering = ("stock_location__lapas__name", "stock_location__name")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="poslocation_ends_after_start",
            )
        ]

    def __str__(self):
        return str(self.stock_location)

    @property
    def lapas(self):
        return self.stock_location.lapas

    @property
    def name(self):
        return self.stock_location.name

    @property
    def kind(self):
        return self.stock_location.kind

    @property
    def city(self):
        return self.stock_location.city

    @property
    def is_active(self):
        return self.stock_location.is_active

    @property
    def channel(self) -> str:
        # The catalogue's price channel: "gallery" or "exhibition", like the location kind.
        return self.stock_location.kind


class PosLapasSettings(models.Model):
    """Per Lapas: the static QRIS code buyers scan to pay the Lapas's account."""

    lapas = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="pos_settings",
        on_delete=models.CASCADE,
    )
    qris_image = models.ImageField(
        _("QRIS image"),
        upload_to="pos/qris/",
        blank=True,
        help_text=_("The static QRIS code of the Lapas's account, as the bank issued it."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("point-of-sale settings")
        verbose_name_plural = _("point-of-sale settings")

    def __str__(self):
        return str(self.lapas)


class SupervisorPin(models.Model):
    """A supervisor's PIN for approving voids at the till, hashed like a password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="pos_pin", on_delete=models.CASCADE
    )
    pin_hash = models.CharField(max_length=128)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supervisor PIN")
        verbose_name_plural = _("supervisor PINs")

    def __str__(self):
        return str(self.user)


class StockTransfer(models.Model):
    """Units of batches sent from the Lapas warehouse to a sales location (or back).

    Sent: the units have left the source (they are on the way, held nowhere). Received:
    what arrived is at the destination, any shortfall recorded with its reason. Returned:
    what was left at the destination went back to the source (after an exhibition).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received")
        RETURNED = "returned", _("Returned")

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="stock_transfers",
        on_delete=models.PROTECT,
    )
    source = models.ForeignKey(
        "production_link.StockLocation",
        verbose_name=_("from"),
        related_name="transfers_out",
        on_delete=models.PROTECT,
    )
    destination = models.ForeignKey(
        "production_link.StockLocation",
        verbose_name=_("to"),
        related_name="transfers_in",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    note = models.TextField(_("note"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock transfer")
        verbose_name_plural = _("stock transfers")
        ordering = ("-sent_at", "-pk")

    def __str__(self):
        return f"#{self.pk} {self.source.name} → {self.destination.name}"


class StockTransferLine(models.Model):
    transfer = models.ForeignKey(StockTransfer, related_name="lines", on_delete=models.CASCADE)
    batch = models.ForeignKey(
        "production_link.Batch", related_name="transfer_lines", on_delete=models.PROTECT
    )
    quantity_sent = models.PositiveIntegerField(_("sent"), validators=[MinValueValidator(1)])
    quantity_received = models.PositiveIntegerField(_("received"), null=True, blank=True)
    shortfall_reason = models.CharField(_("reason for the shortfall"), max_length=255, blank=True)
    quantity_returned = models.PositiveIntegerField(_("returned"), default=0)

    class Meta:
        verbose_name = _("transferred batch")
        verbose_name_plural = _("transferred batches")
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("transfer", "batch"), name="transferline_once"),
            models.CheckConstraint(
                condition=Q(quantity_received__isnull=True)
                | Q(quantity_received__lte=models.F("quantity_sent")),
                name="transferline_received_not_above_sent",
            ),
        ]

    @property
    def shortfall(self) -> int:
        if self.quantity_received is None:
            return 0
        return self.quantity_sent - self.quantity_received


class PosSession(models.Model):
    """One cashier's till at one location, from opening float to the counted close."""

    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cashier"),
        related_name="pos_sessions",
        on_delete=models.PROTECT,
    )
    location = models.ForeignKey(
        PosLocation, verbose_name=_("location"), related_name="sessions", on_delete=models.PROTECT
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opening_float = models.DecimalField(
        _("opening float"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    # {"100000": 3, "50000": 2, ...}: banknotes and coins counted at the close.
    counted = models.JSONField(_("counted by denomination"), default=dict, blank=True)
    counted_cash = models.DecimalField(
        _("counted cash"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    # {"cash": "…", "qris": "…", "card_terminal": "…"} as computed at the close.
    expected = models.JSONField(_("expected per method"), default=dict, blank=True)
    difference = models.DecimalField(
        _("difference"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    difference_reason = models.TextField(_("reason for the difference"), blank=True)

    class Meta:
        verbose_name = _("cash session")
        verbose_name_plural = _("cash sessions")
        ordering = ("-opened_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("cashier", "location"),
                condition=Q(closed_at__isnull=True),
                name="possession_one_open_per_cashier_location",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.location} · {self.cashier}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PosSale(models.Model):
    """One sale as the device made it, applied once by its UUID.

    ``payload`` is the sale exactly as the device sent it; ``result`` the answer the
    server gave, returned again when the same UUID is sent again.
    """

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CONFLICT = "conflict", _("Conflict")

    uuid = models.UUIDField(_("sale id"), unique=True, default=uuid_lib.uuid4)
    session = models.ForeignKey(
        PosSession, verbose_name=_("session"), related_name="sales", on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        related_name="pos_sale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    payment_method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=0)
    tendered = models.DecimalField(
        _("tendered"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    change = models.DecimalField(
        _("change"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    reference = models.CharField(_("payment reference"), max_length=128, blank=True)
    unverified = models.BooleanField(
        _("payment unverified"),
        default=False,
        help_text=_("A card or QRIS payment taken offline, to be checked by a supervisor."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    price_differs = models.BooleanField(
        _("price differs"),
        default=False,
        help_text=_("Charged at a price other than the catalogue's price for this location."),
    )
    offline = models.BooleanField(_("made offline"), default=False)
    created_at = models.DateTimeField(_("sold at (device clock)"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    payload = models.JSONField(_("sale as sent"), default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField(_("answer given"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("point-of-sale sale")
        verbose_name_plural = _("point-of-sale sales")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return str(self.uuid)


class PosConflict(models.Model):
    """A sale that could not be taken from its batch at the location; never dropped.

    The sale as sent is kept whole on its PosSale (``payload``); a supervisor resolves it
    by recording it from another batch at the location, or by refunding the buyer.
    """

    class Reason(models.TextChoices):
        RECALLED = "recalled", _("Batch recalled")
        EXPIRED = "expired", _("Batch expired")
        INSUFFICIENT_STOCK = "insufficient_stock", _("Not enough units at the location")
        UNKNOWN_BATCH = "unknown_batch", _("Unknown batch")
        SESSION_CLOSED = "session_closed", _("Session already closed")
        NOT_FOR_SALE = "not_for_sale", _("Product withdrawn from sale")

    class Resolution(models.TextChoices):
        RECORDED = "recorded", _("Recorded from another batch")
        REFUNDED = "refunded", _("Buyer refunded")

    sale = models.OneToOneField(PosSale, related_name="conflict", on_delete=models.PROTECT)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    message = models.TextField(_("details"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=14, decimal_places=0, default=0)

    class Meta:
        verbose_name = _("sale conflict")
        verbose_name_plural = _("sale conflicts")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.sale} ({self.reason})"

    @property
    def is_resolved(self) -> bool:
        return bool(self.resolution)


class PosVoid(models.Model):
    """A void or refund at the till: who asked, which supervisor approved, the Refund."""

    sale = models.ForeignKey(PosSale, related_name="voids", on_delete=models.PROTECT)
    session = models.ForeignKey(PosSession, related_name="voids", on_delete=models.PROTECT)
    refund = models.OneToOneField(
        "payments.Refund", related_name="pos_void", on_delete=models.PROTECT
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("void")
        verbose_name_plural = _("voids")
        ordering = ("created_at", "pk")
