"""Commissions: a quoted line made to order in a workshop's batch; and services (jasa)
booked by date against a workshop's daily capacity.

Only the services in ``services/`` write these rows.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- services (jasa) booked by date --------------------------------------------------------


class ServiceCapacity(models.Model):
    """How many units a workshop can serve a day (kg of laundry, boxes of catering, loaves),
    set by its Lapas's staff. A workshop without one takes no bookings."""

    workshop = models.OneToOneField(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="service_capacity",
        on_delete=models.CASCADE,
    )
    units_per_day = models.PositiveIntegerField(
        _("units per day"),
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
        help_text=_("How many units of its services the workshop can deliver in one day."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service capacity")
        verbose_name_plural = _("service capacities")

    def __str__(self):
        return f"{self.workshop}: {self.units_per_day}/day"


class ServiceDay(models.Model):
    """One workshop's one day: the row a booking locks before it counts what is taken,
    so two bookings racing for the last capacity of a day are served one after the other.
    It stores no running total: what is booked is the sum of the day's occurrences."""

    workshop = models.ForeignKey(
        "production_link.Workshop", related_name="service_days", on_delete=models.CASCADE
    )
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("service day")
        verbose_name_plural = _("service days")
        constraints = [
            models.UniqueConstraint(fields=("workshop", "date"), name="serviceday_unique")
        ]


class ServiceBooking(models.Model):
    """A buyer's booking of a service: a quantity on one date, or the same every week
    for a number of weeks. Each date is an occurrence with an order of its own."""

    number = models.CharField(_("booking number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        related_name="service_bookings",
        on_delete=models.PROTECT,
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("service"),
        related_name="service_bookings",
        on_delete=models.PROTECT,
    )
    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="service_bookings",
        on_delete=models.PROTECT,
    )
    quantity = models.PositiveIntegerField(_("quantity per date"))
    first_date = models.DateField(_("first date"))
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=1)
    payment_method = models.CharField(_("payment method"), max_length=32)
    notes = models.TextField(
        _("delivery place and notes"),
        blank=True,
        max_length=1000,
        help_text=_("Where and when to deliver, who receives it."),
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service booking")
        verbose_name_plural = _("service bookings")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return self.number

    @property
    def lapas(self):
        return self.workshop.lapas


class ServiceOccurrence(models.Model):
    """One date of a booking, with the order it is fulfilled, invoiced and paid through."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    booking = models.ForeignKey(
        ServiceBooking, related_name="occurrences", on_delete=models.CASCADE
    )
    day = models.ForeignKey(ServiceDay, related_name="occurrences", on_delete=models.PROTECT)
    date = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(_("quantity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        related_name="service_occurrence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service date")
        verbose_name_plural = _("service dates")
        ordering = ("date", "pk")
        indexes = [models.Index(fields=("day", "status"), name="occurrence_day_status")]


# --- goods made to order for an accepted quote ---------------------------------------------


class Commission(models.Model):
    """A made-to-order line of an accepted quote and the batch planned to make it.

    Planned when the quote is accepted (linked to the quote line, and to the order line
    the acceptance placed); allocated to the order line when the batch is released, so
    the trace from the order to the batch holds. A deposit (the quote's percentage of
    the order's total) may be due before the batch is produced.
    """

    quote_line = models.OneToOneField(
        "institutions.QuoteLine",
        verbose_name=_("quote line"),
        related_name="commission",
        on_delete=models.PROTECT,
    )
    batch = models.OneToOneField(
        "production_link.Batch",
        verbose_name=_("batch"),
        related_name="commission",
        on_delete=models.PROTECT,
    )
    order_line = models.OneToOneField(
        "order.Line",
        verbose_name=_("order line"),
        related_name="commission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # Of the whole order, as the quote's deposit percentage made it at acceptance.
    deposit_amount = models.DecimalField(
        _("deposit due before production (Rp)"), max_digits=14, decimal_places=0, default=0
    )
    allocated_quantity = models.PositiveIntegerField(_("allocated"), default=0)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated_quantity__lte=models.F("quantity")),
                name="commission_allocated_not_above_quantity",
            )
        ]

    def __str__(self):
        return f"{self.batch} ← {self.quote_line_id}"
