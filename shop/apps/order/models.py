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
    # The language the buyer placed the order in: their order e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default="id")


class OrderNotification(models.Model):
    """An e-mail about an order that has been sent to the buyer: each event once per order
    (a refund's once per refund), however often its Celery task is retried or replayed."""

    order = models.ForeignKey("order.Order", related_name="notifications", on_delete=models.CASCADE)

    class Event(models.TextChoices):
        ORDER_PLACED = "order_placed", _("Order received")
        PAYMENT_RECEIVED = "payment_received", _("Payment received")
        SHIPPED = "shipped", _("Shipped")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
        REFUNDED = "refunded", _("Refunded")

    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    refund = models.ForeignKey(
        "payments.Refund", related_name="+", null=True, blank=True, on_delete=models.CASCADE
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order e-mail")
        verbose_name_plural = _("order e-mails")
        ordering = ("sent_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("order", "event"),
                condition=models.Q(refund__isnull=True),
                name="ordernotification_once_per_event",
            ),
            models.UniqueConstraint(
                fields=("order", "event", "refund"),
                condition=models.Q(refund__isnull=False),
                name="ordernotification_once_per_refund",
            ),
        ]

    def __str__(self):
        return f"{self.event} of order {self.order_id}"

    @property
    def is_refundable(self) -> bool:
        from shop.apps.order import statuses

        return self.status in statuses.PAID_STATUSES


from oscar.apps.order.models import *  # noqa: E402,F403
