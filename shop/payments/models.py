from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Refund(models.Model):
    """Money given back on an order: the whole order or some of its lines.

    A card refund goes through Stripe (``reference`` is Stripe's refund id); a bank
    transfer refund is recorded by staff who sent the money back. ``shipping_amount`` is
    the part of ``amount`` that returns shipping, which is not PNBP.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey("order.Order", related_name="refunds", on_delete=models.PROTECT)
    provider = models.CharField(_("payment method"), max_length=32)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    shipping_amount = models.DecimalField(
        _("of which shipping"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Stripe's refund id (re_...), or the bank's transfer reference for a manual refund.
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    # Stripe Connect: the reversal (trr_...) that took this refund's amount back from the
    # Lapas's connected account, so the Lapas gives back exactly what the buyer got back.
    transfer_reversal_id = models.CharField(
        _("transfer reversal"), max_length=64, blank=True, default=""
    )
    # Derived from the order and what is refunded, so a retried request never refunds twice.
    idempotency_key = models.CharField(max_length=128, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refunded by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("provider", "reference"),
                condition=~Q(reference=""),
                name="refund_reference_once_per_provider",
            )
        ]

    def __str__(self):
        return f"Refund {self.pk} of order {self.order_id}"


class OrderPayment(models.Model):
    """The record that an order's money has arrived: an order is paid when, and only when,
    it has one.

    Only shop.payments.services writes it (staff marking a transfer paid, Stripe's webhook
    or the buyer's return, the point of sale), once per order under the unique key, in the
    transaction that books the order's PNBP. Oscar's payment events are kept for display:
    one added by any other path (Oscar's dashboard line actions, the Django admin) cannot
    make an order count as paid, nor block its real payment.
    """

    order = models.OneToOneField(
        "order.Order", related_name="recorded_payment", on_delete=models.PROTECT
    )
    # The provider's identifier (shop.payments.providers): bank_transfer, stripe, cash, …
    provider = models.CharField(_("payment method"), max_length=32)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The bank transfer's reference, Stripe's PaymentIntent, the POS receipt …
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Stripe Connect: the charge the buyer paid the whole checkout with (ch_...), and the
    # transfer (tr_...) of this order's amount to its Lapas's connected account (acct_...).
    charge_id = models.CharField(_("Stripe charge"), max_length=64, blank=True)
    transfer_id = models.CharField(_("Stripe transfer"), max_length=64, blank=True)
    transfer_destination = models.CharField(_("connected account"), max_length=70, blank=True)

    class Meta:
        verbose_name = _("recorded payment")
        verbose_name_plural = _("recorded payments")
        constraints = [
            models.UniqueConstraint(
                fields=("transfer_id",),
                condition=~Q(transfer_id=""),
                name="orderpayment_transfer_once",
            )
        ]

    def __str__(self):
        return f"Payment of order {self.order_id} ({self.provider})"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, related_name="lines", on_delete=models.CASCADE)
    line = models.ForeignKey("order.Line", related_name="refund_lines", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    restock = models.BooleanField(_("returned to stock"), default=False)

    class Meta:
        verbose_name = _("refunded line")
        verbose_name_plural = _("refunded lines")
        constraints = [
            models.UniqueConstraint(fields=("refund", "line"), name="refundline_once_per_refund")
        ]


class WebhookEvent(models.Model):
    """A provider's webhook event, recorded once in the same transaction as its effect."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=128)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints = [
            models.UniqueConstraint(fields=("provider", "event_id"), name="webhookevent_once")
        ]

    def __str__(self):
        return f"{self.provider} {self.event_type} {self.event_id}"
