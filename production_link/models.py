from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.models.fields import AutoSlugField


class Workshop(models.Model):
    """A prison workshop (bengkel kerja) of one Lapas.

    Karya keeps no personal data about the inmates who work here: a workshop is
    described by its trade, skills and certifications, never by its people.
    """

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="workshops",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=128)
    code = models.CharField(
        _("code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", _("Use 2 to 6 capital letters, e.g. ROTI."))],
        help_text=_("Letters used in batch codes, e.g. ROTI in TNG-ROTI-261122-01."),
    )
    slug = AutoSlugField(_("slug"), populate_from="name", unique=True, max_length=140)
    field_of_work = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("field of work"),
        related_name="workshops",
        on_delete=models.PROTECT,
        help_text=_("Where the workshop sits in the work-activity standard's classification."),
    )
    description = models.TextField(_("description"), blank=True)
    skills = models.TextField(_("skills trained"), blank=True, help_text=_("One skill per line."))
    certifications = models.TextField(
        _("certifications offered"),
        blank=True,
        help_text=_(
            "One per line: the certificate and the partner institution that awards it, "
            "e.g. “Sertifikat kompetensi tata boga — LSP Pariwisata”."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ("lapas__name", "name")
        constraints = [
            models.UniqueConstraint(fields=("lapas", "name"), name="workshop_unique_name_per_lapas")
        ]

    def __str__(self):
        return f"{self.name} ({self.lapas})"

    @property
    def skill_list(self):
        return [s.strip() for s in self.skills.splitlines() if s.strip()]

    @property
    def certification_list(self):
        return [c.strip() for c in self.certifications.splitlines() if c.strip()]


class StockLocation(models.Model):
    """A place where units of a batch are held: the Lapas warehouse, a gallery, a booth."""

    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Lapas warehouse")
        GALLERY = "gallery", _("Gallery")
        EXHIBITION = "exhibition", _("Exhibition")

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="stock_locations",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=128)
    fulfils_online = models.BooleanField(
        _("fulfils online orders"),
        default=False,
        help_text=_("Units here can be sold in the online shop."),
    )
    city = models.CharField(_("city"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ("lapas__name", "kind", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("lapas",),
                condition=Q(kind="warehouse"),
                name="stocklocation_one_warehouse_per_lapas",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.lapas})"


class Batch(models.Model):
    """One production run of one product in one workshop.

    No personal data: the people who made it are a head count and hours worked.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PRODUCED = "produced", _("Produced")
        QC_PASSED = "qc_passed", _("QC passed")
        QC_FAILED = "qc_failed", _("QC failed")
        RELEASED = "released", _("Released")
        SOLD_OUT = "sold_out", _("Sold out")
        RECALLED = "recalled", _("Recalled")

    code = models.CharField(_("batch code"), max_length=40, unique=True, editable=False)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="batches",
        on_delete=models.PROTECT,
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), related_name="batches", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    planned_quantity = models.PositiveIntegerField(
        _("planned quantity"), validators=[MinValueValidator(1)]
    )
    produced_quantity = models.PositiveIntegerField(_("produced quantity"), null=True, blank=True)
    production_date = models.DateField(_("production date"))
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    materials_cost = models.DecimalField(
        _("materials cost (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    labor_hours = models.DecimalField(
        _("labour hours"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    head_count = models.PositiveIntegerField(
        _("head count"),
        null=True,
        blank=True,
        help_text=_("How many people worked on this batch. Never their names."),
    )
    qc_checklist = models.JSONField(_("QC checklist"), default=dict, blank=True)
    qc_passed = models.BooleanField(_("QC passed"), null=True, blank=True)
    qc_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    qc_notes = models.TextField(_("QC notes"), blank=True)
    qc_sni_reference = models.CharField(_("SNI reference"), max_length=64, blank=True)
    qc_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recalled by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    recall_reason = models.TextField(_("recall reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ("-production_date", "-pk")
        permissions = [("recall_batch", _("Can recall a batch"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True)
                | Q(expiry_date__gte=models.F("production_date")),
                name="batch_expiry_after_production",
            )
        ]

    def __str__(self):
        return self.code

    @property
    def lapas(self):
        return self.workshop.lapas

    @property
    def is_recalled(self):
        return self.status == self.Status.RECALLED


class BatchStock(models.Model):
    """Units of one batch held at one location. Only services change the quantity."""

    batch = models.ForeignKey(Batch, related_name="stock", on_delete=models.PROTECT)
    location = models.ForeignKey(StockLocation, related_name="stock", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("batch stock")
        verbose_name_plural = _("batch stock")
        constraints = [
            models.UniqueConstraint(fields=("batch", "location"), name="batchstock_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="batchstock_not_negative"),
        ]

    def __str__(self):
        return f"{self.batch} @ {self.location}: {self.quantity}"


class Allocation(models.Model):
    """Units of an order line taken from one batch at one location.

    Every unit sold, online or at a point of sale, has one: this is the trace from a sale
    back to the workshop and batch that made it.
    """

    line = models.ForeignKey("order.Line", related_name="allocations", on_delete=models.PROTECT)
    batch = models.ForeignKey(Batch, related_name="allocations", on_delete=models.PROTECT)
    location = models.ForeignKey(
        StockLocation, related_name="allocations", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # Units given back (order cancelled, goods returned and restocked); never more than
    # quantity. Kept on the row so the trace still shows the sale.
    returned_quantity = models.PositiveIntegerField(_("returned"), default=0)
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=models.F("quantity")),
                name="allocation_returned_not_above_quantity",
            )
        ]

    @property
    def held_quantity(self):
        return self.quantity - self.returned_quantity


class RecallNotice(models.Model):
    """One recall email sent to one buyer; makes a retried notification send each once."""

    batch = models.ForeignKey(Batch, related_name="recall_notices", on_delete=models.CASCADE)
    email = models.EmailField(_("email"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recall notice")
        verbose_name_plural = _("recall notices")
        constraints = [
            models.UniqueConstraint(fields=("batch", "email"), name="recallnotice_once_per_buyer")
        ]
