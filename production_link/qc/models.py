"""QC models. Imported by production_link.models, so their app label is production_link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QcItemKind(models.TextChoices):
    CHECK = "check", _("Check (ticked or not)")
    MEASURE = "measure", _("Measured value with limits")


class QcSpecItem(models.Model):
    """One item of a QC checklist: of a product kind (``product_class``), which every
    product of the kind inherits, or of one product, which replaces the kind's item of the
    same code or adds to the list."""

    product_class = models.ForeignKey(
        "catalogue.ProductClass",
        verbose_name=_("product kind"),
        related_name="qc_items",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        related_name="qc_items",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("what to inspect"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=8, choices=QcItemKind.choices, default=QcItemKind.CHECK
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("A batch cannot pass without this item.")
    )
    source = models.CharField(
        _("rule it comes from"),
        max_length=200,
        blank=True,
        help_text=_("The SNI clause or licence rule, e.g. “SNI 8372:2018 butir 4.2” or “P-IRT”."),
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    min_value = models.DecimalField(
        _("lowest allowed"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest allowed"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        verbose_name = _("QC checklist item")
        verbose_name_plural = _("QC checklist items")
        ordering = ("ordering", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(product_class__isnull=True, product__isnull=False)
                | Q(product_class__isnull=False, product__isnull=True),
                name="qcspecitem_kind_or_product",
            ),
            models.UniqueConstraint(
                fields=("product_class", "code"), name="qcspecitem_code_per_kind"
            ),
            models.UniqueConstraint(fields=("product", "code"), name="qcspecitem_code_per_product"),
            models.CheckConstraint(
                condition=Q(kind="check") | Q(min_value__isnull=False) | Q(max_value__isnull=False),
                name="qcspecitem_measure_has_a_limit",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="qcspecitem_limits_in_order",
            ),
        ]

    def __str__(self):
        return self.label


class QcLapasSettings(models.Model):
    """A Lapas's QC rules. Without a row the defaults apply (a second pair of eyes)."""

    lapas = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="qc_settings",
        on_delete=models.CASCADE,
    )
    inspector_must_differ = models.BooleanField(
        _("inspector must differ from the producer"),
        default=True,
        help_text=_(
            "The person who inspects a batch may not be the one who recorded its production."
        ),
    )

    class Meta:
        verbose_name = _("QC settings of a Lapas")
        verbose_name_plural = _("QC settings of Lapas")

    def __str__(self):
        return str(self.lapas)


class QcInspection(models.Model):
    """One inspection of one batch. A failed batch reworked is inspected again (the next
    round); every round stays, with its items, as the record of why."""

    class Disposition(models.TextChoices):
        NONE = "", _("None yet")
        REWORK = "rework", _("Reworked, to be inspected again")
        WRITE_OFF = "write_off", _("Written off")

    batch = models.ForeignKey(
        "production_link.Batch",
        verbose_name=_("batch"),
        related_name="inspections",
        on_delete=models.PROTECT,
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    passed = models.BooleanField(_("passed"))
    # Null only for inspections recorded before inspectors were required (migrated rows).
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("production recorded by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    notes = models.TextField(
        _("QC notes"),
        blank=True,
        help_text=_(
            "Internal: never shown on public pages, in the API or to buyers. No names of inmates."
        ),
    )
    sni_reference = models.CharField(_("SNI reference"), max_length=64, blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), default=timezone.now)
    disposition = models.CharField(
        _("after failing"), max_length=10, choices=Disposition.choices, blank=True, default=""
    )
    disposition_note = models.TextField(_("note on the decision"), blank=True)
    disposition_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    disposition_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("QC inspection")
        verbose_name_plural = _("QC inspections")
        ordering = ("batch", "round")
        constraints = [
            models.UniqueConstraint(fields=("batch", "round"), name="qcinspection_round_unique"),
            models.CheckConstraint(
                condition=Q(disposition="") | Q(passed=False),
                name="qcinspection_disposition_only_after_failure",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id} #{self.round}"

    @property
    def failed_results(self):
        return [result for result in self.results.all() if not result.ok]


class QcItemResult(models.Model):
    """What the inspector found for one item. The item is copied in, so later changes to
    the checklist never rewrite what a past inspection was judged against."""

    inspection = models.ForeignKey(
        QcInspection, verbose_name=_("inspection"), related_name="results", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("what to inspect"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=QcItemKind.choices)
    required = models.BooleanField(_("required"))
    source = models.CharField(_("rule it comes from"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    min_value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    checked = models.BooleanField(_("checked"), default=False)
    value = models.DecimalField(
        _("measured"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    ok = models.BooleanField(_("in order"))
    reason = models.CharField(_("why it failed"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("QC item result")
        verbose_name_plural = _("QC item results")
        ordering = ("inspection", "pk")
        indexes = [models.Index(fields=("code", "ok"), name="qcitemresult_code_ok")]


def _evidence_path(instance, filename):
    return f"qc-evidence/{instance.inspection.batch_id}/{filename}"


class QcEvidence(models.Model):
    """A photo or a document (PDF) backing an inspection. Internal, like QC notes."""

    inspection = models.ForeignKey(
        QcInspection,
        verbose_name=_("inspection"),
        related_name="evidence",
        on_delete=models.CASCADE,
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("QC evidence")
        verbose_name_plural = _("QC evidence")
        ordering = ("pk",)
