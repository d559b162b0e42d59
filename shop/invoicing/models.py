"""Invoices on terms, their payments, delivery notes (BAST) and reminders.

Written only by shop.invoicing.services. An invoice is a document: what it says when
issued (seller, buyer, PO, amounts, account, due date) is copied onto it and never
changes, whatever later happens to the Lapas's bank account or the buyer's address.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceSequence(models.Model):
    """The last invoice number a Lapas issued in a year. Incremented under a row lock in
    the transaction that writes the invoice, so numbers are gap-free: a rolled-back issue
    rolls its number back too."""

    lapas = models.ForeignKey("partner.Partner", related_name="+", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("lapas", "year"), name="invoicesequence_once")
        ]

    def __str__(self):
        return f"{self.lapas_id}/{self.year}: {self.last_number}"


class Invoice(models.Model):
    order = models.OneToOneField(
        "order.Order", verbose_name=_("order"), related_name="invoice", on_delete=models.PROTECT
    )
    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="invoices",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"))
    due_on = models.DateField(_("due on"))
    # The seller as it stood on the day of issue.
    seller_name = models.CharField(_("seller"), max_length=255)
    seller_satker_code = models.CharField(_("satker code"), max_length=6, blank=True)
    seller_address = models.TextField(_("seller address"), blank=True)
    bank_name = models.CharField(_("bank name"), max_length=64, blank=True)
    bank_account_number = models.CharField(_("bank account number"), max_length=32, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=128, blank=True)
    # The buyer (their organisation, shop.institutions) and their purchase order.
    buyer_name = models.CharField(_("buyer"), max_length=255)
    buyer_npwp = models.CharField(_("NPWP"), max_length=32, blank=True)
    buyer_address = models.TextField(_("buyer address"), blank=True)
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    goods_total = models.DecimalField(_("goods"), max_digits=14, decimal_places=2)
    shipping_total = models.DecimalField(_("delivery"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=12, default="IDR")
    # Set, once, by the payment that settles the balance (the date of that transfer).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ("-issued_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("lapas", "year", "sequence"), name="invoice_number_once_per_lapas_year"
            )
        ]
        indexes = [models.Index(fields=("lapas", "paid_on", "due_on"), name="invoice_open")]

    def __str__(self):
        return self.number


class InvoicePayment(models.Model):
    """One transfer received against an invoice, recorded by the Lapas's treasurer."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), related_name="payments", on_delete=models.PROTECT
    )
    paid_on = models.DateField(_("date of transfer"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    reference = models.CharField(_("transfer reference"), max_length=128)
    # Minted when the form is shown: the same form posted twice records one payment.
    token = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ("paid_on", "pk")

    def __str__(self):
        return f"{self.invoice_id}: {self.amount}"


class Delivery(models.Model):
    """One handover of goods of an invoiced order; its BAST (berita acara serah terima)
    is signed by both sides."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), related_name="deliveries", on_delete=models.PROTECT
    )
    sequence = models.PositiveSmallIntegerField(_("delivery number"))
    delivered_on = models.DateField(_("delivered on"))
    place = models.CharField(_("delivery place"), max_length=255, blank=True)
    recipient_name = models.CharField(_("received by"), max_length=128, blank=True)
    note = models.TextField(_("note"), blank=True)
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ("invoice", "sequence")
        constraints = [
            models.UniqueConstraint(
                fields=("invoice", "sequence"), name="delivery_sequence_once_per_invoice"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"BAST-{self.invoice.number}-{self.sequence}"


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, related_name="lines", on_delete=models.CASCADE)
    line = models.ForeignKey("order.Line", related_name="delivery_lines", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("delivery", "line"), name="deliveryline_once"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="deliveryline_quantity_positive"
            ),
        ]


class InvoiceReminder(models.Model):
    """A reminder e-mail about an invoice: at most one of each kind, ever."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    invoice = models.ForeignKey(Invoice, related_name="reminders", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("invoice", "kind"), name="invoicereminder_once")
        ]
