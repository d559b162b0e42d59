from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder, AbstractOrderStatusChange


class Checkout(models.Model):
    """One online checkout: the basket the buyer paid for at once.

    A basket holding goods of several Lapas becomes one order per Lapas (each with its
    own number, shipping, payment, PNBP entry and staff); the checkout groups them under
    the one number the buyer sees on the thank-you page and in the confirmation e-mail.
    POS sales have no checkout.
    """

    number = models.CharField(_("checkout number"), max_length=128, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="checkouts",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    date_placed = models.DateTimeField(_("date placed"), default=timezone.now, db_index=True)
    # The payment provider's identifier (shop.payments.providers), e.g. "bank-transfer".
    payment_method = models.CharField(_("payment method"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ("-date_placed", "-pk")

    def __str__(self):
        return self.number

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else self.guest_email


class Order(AbstractOrder):
    """Oscar's order, plus the Lapas that sells it and the channel it was sold through.

    Every order belongs to exactly one Lapas (its lines are all that Lapas's goods; a
    trigger on order lines refuses anything else): the Lapas's staff see and change it,
    its money reaches that Lapas, its PNBP entry is that Lapas's. Online checkout and the
    point of sale both place Oscar orders; the channel tells reports and the PNBP ledger
    which is which.
    """

    # null only for orders placed before orders were split by Lapas (see README,
    # "One order per Lapas"); every order placed since has its Lapas.
    lapas = models.ForeignKey(
        "partner.Partner",
        related_name="orders",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("Lapas"),
    )
    # The online checkout the order was placed in (POS orders have none).
    checkout = models.ForeignKey(
        Checkout,
        related_name="orders",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("checkout"),
    )

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online shop")
        POS = "pos", _("Point of sale")
        # Placed on an accepted quote of an institutional buyer (shop.institutions).
        INSTITUTIONAL = "institutional", _("Institutional (quote and purchase order)")

    channel = models.CharField(
        _("sales channel"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.ONLINE,
        db_index=True,
    )
    # The language the buyer placed the order in: their order e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default="id")

    # The dashboard's Refund link (this property once sat on OrderNotification by mistake,
    # so the order page never offered it).
    @property
    def is_refundable(self) -> bool:
        from shop.apps.order import statuses

        return self.status in statuses.PAID_STATUSES

    def _create_order_status_change(self, old_status, new_status):
        from shop.apps.order.status_actor import status_change_actor_id

        self.status_changes.create(
            old_status=old_status,
            new_status=new_status,
            changed_by_id=status_change_actor_id(order=self, new_status=new_status),
        )


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


class OrderStatusChange(AbstractOrderStatusChange):
    """Oscar's status history row, plus who made the change: a staff member or cashier
    (the dashboard, the POS, a refund), or nobody for the system's own changes (a card
    payment confirmed by Stripe, an unpaid order expiring)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("changed by"),
    )


from oscar.apps.order.models import *  # noqa: E402,F403
