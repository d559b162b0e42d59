"""Institutional buyers (offices, agencies, schools, companies, correctional units) and
their quotes: request for quotation → quotation → purchase order → order.

An organisation is applied for by a signed-in buyer and approved by central staff; its
members buy for it. A quote is asked of one Lapas (a basket spanning Lapas becomes one
request per Lapas), priced by that Lapas's staff and, once accepted with the buyer's
purchase order, placed as an order through the one sale pipeline
(shop.apps.order.placement). ``InstitutionalOrder`` then tells which organisation an order
belongs to, under which purchase order.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NPWP_SEPARATORS = re.compile(r"[\s.\-]")


def npwp_normalise(value: str) -> str:
    """The digits of an NPWP as written (99.999.999.9-999.999, or the 16 digits in use
    since 2024), without dots, dashes or spaces."""
    return NPWP_SEPARATORS.sub("", value or "")


def npwp_validator(value: str) -> None:
    digits = npwp_normalise(value)
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ValidationError(
            _(
                "An NPWP has 15 digits (e.g. 01.234.567.8-901.000) or, since 2024, 16 digits "
                "(e.g. 0012345678901000)."
            ),
            code="npwp_invalid",
        )


def npwp_display(digits: str) -> str:
    """The 15-digit NPWP in its printed form; the 16-digit one is printed as is."""
    if len(digits) == 15:
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"
    return digits


class Organisation(models.Model):
    """An institution that buys on quotes and purchase orders, with its payment terms."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or agency")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")
        CORRECTIONAL = "correctional", _("Correctional unit")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class PaymentTerms(models.TextChoices):
        UPFRONT = "upfront", _("Pay up front (bank transfer)")
        INVOICE = "invoice", _("Invoice, pay within a number of days")

    name = models.CharField(_("name"), max_length=200)
    npwp = models.CharField(
        _("NPWP (tax number)"),
        max_length=16,
        validators=[npwp_validator],
        help_text=_("15 digits (01.234.567.8-901.000) or the 16-digit NPWP."),
    )
    address = models.TextField(_("address"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.EmailField(
        _("e-mail for quotes and invoices"), blank=True, help_text=_("Optional.")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # The applicant's language: the e-mails about the application are written in it.
    language = models.CharField(_("language"), max_length=10, default="id")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    payment_terms = models.CharField(
        _("payment terms"),
        max_length=10,
        choices=PaymentTerms.choices,
        default=PaymentTerms.UPFRONT,
    )
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay an invoice"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("Only for invoice terms: the invoice is due this many days after issue."),
    )
    credit_limit = models.DecimalField(
        _("credit limit (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Only for invoice terms: the most the organisation may owe at once."),
    )
    # Correctional units buy for the internal needs of the correctional community: the
    # products a Lapas reserves for those needs are offered to them first.
    is_internal = models.BooleanField(_("internal buyer (correctional unit)"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name", "pk")
        indexes = [models.Index(fields=("status", "requested_at"), name="organisation_status")]

    def __str__(self):
        return self.name

    @property
    def npwp_display(self) -> str:
        return npwp_display(self.npwp)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def pays_by_invoice(self) -> bool:
        return self.payment_terms == self.PaymentTerms.INVOICE


class OrganisationMember(models.Model):
    """A buyer of an organisation. A user buys for one organisation at most."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="members",
        on_delete=models.CASCADE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="organisation_membership",
        on_delete=models.CASCADE,
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("buyer of an organisation")
        verbose_name_plural = _("buyers of organisations")
        ordering = ("organisation", "pk")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ProductReservation(models.Model):
    """A product its Lapas reserves for the internal needs of the correctional community:
    until ``reserved_until`` only internal buyers (correctional units) may order or ask a
    quote for it; everyone else sees it marked as reserved and may order it afterwards."""

    product = models.OneToOneField(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="internal_reservation",
        on_delete=models.CASCADE,
    )
    reserved_until = models.DateField(_("reserved until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reserved by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("reserved at"), auto_now=True)

    class Meta:
        verbose_name = _("reservation for internal needs")
        verbose_name_plural = _("reservations for internal needs")

    def __str__(self):
        return f"{self.product} → {self.reserved_until}"

    def is_active(self, today=None) -> bool:
        return (today or timezone.localdate()) <= self.reserved_until


class Quote(models.Model):
    """A request for quotation of one organisation to one Lapas, its pricing by that
    Lapas's staff and the buyer's decision.

    requested → sent → accepted (orders placed) or rejected by the buyer; the Lapas may
    decline a request instead of pricing it; the buyer may withdraw a request not yet
    answered. A sent quote past ``valid_until`` is expired: it can no longer be accepted.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SENT = "sent", _("Quoted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected by the buyer")
        DECLINED = "declined", _("Declined by the Lapas")
        WITHDRAWN = "withdrawn", _("Withdrawn by the buyer")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="quotes",
        on_delete=models.PROTECT,
    )
    lapas = models.ForeignKey(
        "partner.Partner", verbose_name=_("Lapas"), related_name="quotes", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    # The requests made from one basket (one per Lapas) share this.
    request_group = models.CharField(_("request group"), max_length=32, blank=True)
    # The buyer's language at the request: the e-mails about this quote are written in it.
    language = models.CharField(_("language"), max_length=10, default="id")
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    delivery_place = models.TextField(_("delivery place"))
    buyer_note = models.TextField(_("note from the buyer"), blank=True)

    # Pricing by the Lapas.
    delivery_cost = models.DecimalField(
        _("delivery cost (Rp)"), max_digits=14, decimal_places=0, default=0
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("A down payment required before production starts; 0 for none."),
    )
    lapas_note = models.TextField(_("note from the Lapas"), blank=True)
    priced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("priced by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    # The decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    po_document = models.FileField(
        _("purchase order document"), upload_to="institutions/po/", max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ("-requested_at", "-pk")
        indexes = [models.Index(fields=("lapas", "status"), name="quote_lapas_status")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"Q-{self.pk:06d}" if self.pk else "Q-new"

    def is_expired(self, today=None) -> bool:
        return (
            self.status == self.Status.SENT
            and self.valid_until is not None
            and self.valid_until < (today or timezone.localdate())
        )

    @property
    def display_status(self) -> str:
        if self.is_expired():
            return str(_("Expired"))
        return self.get_status_display()


class QuoteLine(models.Model):
    """A line of a quote: a catalogue product, or a custom item described by the buyer.

    The Lapas prices it: a catalogue item at its tier price or at a special price with the
    reason; a custom item with a unit price, the workshop that would make it and the
    (non-public) product it is sold as. A made-to-order line is placed without taking
    stock; its batch is planned when the quote is accepted (``order_line`` is the order
    line it became).
    """

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), related_name="lines", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # A custom item (not in the catalogue) as the buyer described it; the Lapas links or
    # creates the (non-public) product it is sold as when pricing it.
    is_custom = models.BooleanField(_("custom item"), default=False)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # The tier price for this quantity when the line was priced, shown next to a special one.
    list_price = models.DecimalField(
        _("list price (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    unit_price = models.DecimalField(
        _("unit price (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    special_price_reason = models.CharField(
        _("reason for the special price"), max_length=255, blank=True
    )
    made_to_order = models.BooleanField(_("made to order"), default=False)
    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    order_line = models.ForeignKey(
        "order.Line",
        verbose_name=_("order line"),
        related_name="quote_lines",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ("quote", "position", "pk")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if not self.is_custom and self.product_id:
            return self.product.get_title()
        return self.description.splitlines()[0][:120] if self.description else ""

    @property
    def line_total(self):
        if self.unit_price is None:
            return None
        return self.unit_price * self.quantity


class QuoteAttachment(models.Model):
    """A drawing or specification the buyer attached to a request (PDF or image). Stored
    under a random name and only ever served as a download to the buyer's organisation
    and the quote's Lapas."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), related_name="attachments", on_delete=models.CASCADE
    )
    file = models.FileField(_("file"), upload_to="institutions/rfq/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("pk",)

    def __str__(self):
        return self.original_name


class InstitutionalOrder(models.Model):
    """Which organisation an order was placed for, and under which purchase order.
    Written when a quote is accepted (and by other institutional sales, e.g. service
    bookings, with ``quote`` empty)."""

    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        related_name="institutional",
        on_delete=models.CASCADE,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="orders",
        on_delete=models.PROTECT,
    )
    quote = models.ForeignKey(
        Quote,
        verbose_name=_("quote"),
        related_name="orders",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    po_document = models.FileField(
        _("purchase order document"), upload_to="institutions/po/", max_length=255, blank=True
    )
    # The payment terms at placement (the organisation's may change later).
    payment_terms = models.CharField(
        _("payment terms"), max_length=10, choices=Organisation.PaymentTerms.choices
    )
    payment_days = models.PositiveSmallIntegerField(_("days to pay"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("institutional order")
        verbose_name_plural = _("institutional orders")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.order} ({self.organisation})"


class SentEmail(models.Model):
    """An e-mail about an organisation or a quote that has been sent: each once, however
    often its task is retried (the key names the subject, its id and the event)."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return self.key
