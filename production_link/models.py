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
        WRITTEN_OFF = "written_off", _("Written off")

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
    # Who recorded production: the QC inspector must be someone else (production_link.qc).
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("production recorded by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # The latest inspection, summed up (the inspections hold the detail): item code → in order.
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
    qc_notes = models.TextField(
        _("QC notes"),
        blank=True,
        help_text=_(
            "Internal: never shown on public pages, in the API or to buyers. No names of inmates."
        ),
    )
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
    recall_reason = models.TextField(
        _("recall reason"),
        blank=True,
        help_text=_(
            "What went wrong, for the Lapas and the central office. Internal: never shown on public pages, in the API or to buyers. No names of inmates."
        ),
    )
    # The recall as the public reads it (trace page, API, e-mail to buyers): the internal
    # reason may name people or processes that must not leave the Lapas.
    public_recall_notice = models.TextField(
        _("public recall notice"),
        blank=True,
        help_text=_(
            "Shown to the public on the batch's trace page, in the API and in the e-mail to "
            "its buyers: what is wrong with the product and what buyers should do. Write it "
            "for buyers; no names of inmates or staff."
        ),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "Internal: never shown on public pages, in the API or to buyers. No names of inmates."
        ),
    )
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


# --- PNBP: proceeds of sales as non-tax state revenue -------------------------------


class RevenueSplit(models.Model):
    """How a Lapas divides its proceeds from a date on; the default is 100 % PNBP.

    Practice differs between prisons: some set aside a share for the inmates' wage pool
    (premi), working capital or a training programme. Shares are whole percentages with
    two decimals and always add up to 100.
    """

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="revenue_splits",
        on_delete=models.CASCADE,
    )
    effective_from = models.DateField(_("effective from"))
    pnbp_percent = models.DecimalField(_("PNBP %"), max_digits=5, decimal_places=2)
    premi_percent = models.DecimalField(
        _("wage pool (premi) %"), max_digits=5, decimal_places=2, default=0
    )
    working_capital_percent = models.DecimalField(
        _("working capital %"), max_digits=5, decimal_places=2, default=0
    )
    programme_percent = models.DecimalField(
        _("programme %"), max_digits=5, decimal_places=2, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("revenue split")
        verbose_name_plural = _("revenue splits")
        ordering = ("lapas", "-effective_from")
        constraints = [
            models.UniqueConstraint(
                fields=("lapas", "effective_from"), name="revenuesplit_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(
                    pnbp_percent__gte=0,
                    premi_percent__gte=0,
                    working_capital_percent__gte=0,
                    programme_percent__gte=0,
                ),
                name="revenuesplit_shares_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    pnbp_percent=100
                    - models.F("premi_percent")
                    - models.F("working_capital_percent")
                    - models.F("programme_percent")
                ),
                name="revenuesplit_sums_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.lapas} from {self.effective_from}"


class LedgerEntry(models.Model):
    """One Lapas's proceeds of one paid sale, or the reversal of a refund. Append-only.

    Written only by ``production_link.pnbp.services``; on PostgreSQL a trigger refuses
    UPDATE and DELETE on this table. Amounts are gross goods and services (shipping is
    not PNBP); a reversal carries negative amounts. The split parts add up to the gross.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        REVERSAL = "reversal", _("Refund reversal")

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="pnbp_entries",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        related_name="pnbp_entries",
        on_delete=models.PROTECT,
    )
    refund = models.ForeignKey(
        "payments.Refund",
        verbose_name=_("refund"),
        related_name="pnbp_entries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    channel = models.CharField(_("sales channel"), max_length=16)
    account_code = models.CharField(_("revenue account"), max_length=6)
    gross = models.DecimalField(_("gross amount"), max_digits=14, decimal_places=2)
    pnbp_amount = models.DecimalField(_("PNBP"), max_digits=14, decimal_places=2)
    premi_amount = models.DecimalField(_("wage pool (premi)"), max_digits=14, decimal_places=2)
    working_capital_amount = models.DecimalField(
        _("working capital"), max_digits=14, decimal_places=2
    )
    programme_amount = models.DecimalField(_("programme"), max_digits=14, decimal_places=2)
    split = models.ForeignKey(
        RevenueSplit,
        verbose_name=_("revenue split"),
        related_name="entries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # When the money was received (the sale paid, the refund made): the deposit deadline
    # counts from here.
    due_at = models.DateTimeField(_("received at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("PNBP ledger entry")
        verbose_name_plural = _("PNBP ledger entries")
        ordering = ("due_at", "pk")
        indexes = [models.Index(fields=("lapas", "due_at"), name="ledgerentry_lapas_due")]
        constraints = [
            models.UniqueConstraint(
                fields=("order", "lapas"),
                condition=Q(kind="sale"),
                name="ledgerentry_one_sale_per_order_lapas",
            ),
            models.UniqueConstraint(
                fields=("refund", "lapas"),
                condition=Q(kind="reversal"),
                name="ledgerentry_one_reversal_per_refund_lapas",
            ),
            models.CheckConstraint(
                condition=Q(kind="sale", refund__isnull=True, gross__gte=0)
                | Q(kind="reversal", refund__isnull=False, gross__lte=0),
                name="ledgerentry_kind_matches_sign",
            ),
            models.CheckConstraint(
                condition=Q(
                    gross=models.F("pnbp_amount")
                    + models.F("premi_amount")
                    + models.F("working_capital_amount")
                    + models.F("programme_amount")
                ),
                name="ledgerentry_parts_sum_to_gross",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.order_id} {self.lapas_id}: {self.gross}"


class LedgerEntryLine(models.Model):
    """The detail of an entry: which line, batch and workshop the amount came from.

    This is what lets the premi pool be reported per workshop and batch, never per person.
    """

    entry = models.ForeignKey(LedgerEntry, related_name="lines", on_delete=models.PROTECT)
    line = models.ForeignKey("order.Line", related_name="pnbp_lines", on_delete=models.PROTECT)
    batch = models.ForeignKey(
        Batch, related_name="pnbp_lines", null=True, blank=True, on_delete=models.PROTECT
    )
    workshop = models.ForeignKey(
        Workshop, related_name="pnbp_lines", null=True, blank=True, on_delete=models.PROTECT
    )
    # Negative on a reversal, like the amounts.
    quantity = models.IntegerField(_("quantity"))
    gross = models.DecimalField(_("gross amount"), max_digits=14, decimal_places=2)
    premi_amount = models.DecimalField(
        _("wage pool (premi)"), max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("PNBP ledger line")
        verbose_name_plural = _("PNBP ledger lines")
        ordering = ("entry", "pk")


class Deposit(models.Model):
    """A deposit (setoran) of PNBP entries of one Lapas to the state treasury.

    The treasurer groups undeposited entries, gets a 15-digit billing code (kode billing
    SIMPONI) with its expiry, pays at the bank and records the 16-character NTPN from the
    receipt. With an NTPN the deposit is closed for changes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Awaiting billing code")
        BILLED = "billed", _("Billing code issued")
        PAID = "paid", _("Deposited (NTPN recorded)")

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="pnbp_deposits",
        on_delete=models.PROTECT,
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    billing_code = models.CharField(
        _("billing code"),
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^\d{15}$", _("A billing code is exactly 15 digits."))],
    )
    billing_expires_at = models.DateTimeField(_("billing code expires at"), null=True, blank=True)
    ntpn = models.CharField(
        _("NTPN"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Z]{16}$", _("An NTPN is exactly 16 capital letters or digits."))
        ],
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    ntpn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    ntpn_recorded_at = models.DateTimeField(_("NTPN recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("PNBP deposit")
        verbose_name_plural = _("PNBP deposits")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("ntpn",), condition=~Q(ntpn=""), name="deposit_ntpn_unique"
            )
        ]

    def __str__(self):
        return f"Deposit {self.pk} ({self.lapas}): {self.amount}"


class DepositEntry(models.Model):
    """An entry's membership of a deposit. A separate row because entries are append-only;
    the one-to-one makes an entry belong to at most one deposit."""

    deposit = models.ForeignKey(Deposit, related_name="items", on_delete=models.CASCADE)
    entry = models.OneToOneField(LedgerEntry, related_name="deposit_item", on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("deposited entry")
        verbose_name_plural = _("deposited entries")


class PublicHoliday(models.Model):
    """A national public holiday or collective leave day: not a working day for deposits."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=128)
    # Holidays loaded from data/reference/holidays.yaml are expected dates: the yearly
    # joint decree (SKB 3 Menteri) fixes them. They count as holidays while unconfirmed,
    # so a deposit deadline is never set a day too early.
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Ticked once the date is checked against this year's joint decree (SKB)."),
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ("date",)

    def __str__(self):
        return f"{self.date}: {self.name}"


class PnbpAlert(models.Model):
    """An undeposited entry found past its deadline; raised once per entry."""

    entry = models.OneToOneField(LedgerEntry, related_name="alert", on_delete=models.PROTECT)
    lapas = models.ForeignKey(
        "partner.Partner", related_name="pnbp_alerts", on_delete=models.CASCADE
    )
    deadline = models.DateTimeField(_("deadline"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("overdue deposit alert")
        verbose_name_plural = _("overdue deposit alerts")
        ordering = ("deadline", "pk")


class PnbpReport(models.Model):
    """A report as approved by the Kalapas: its figures are frozen at approval.

    ``lapas`` is empty for a national report across Lapas (central staff).
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly PNBP report")
        QUARTERLY = "quarterly", _("Quarterly monitoring and evaluation")
        SEMESTER = "semester", _("Semester monitoring and evaluation")
        YEARLY = "yearly", _("Yearly summary")

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        related_name="pnbp_reports",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    figures = models.JSONField(_("figures"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approved report")
        verbose_name_plural = _("approved reports")
        ordering = ("-period_start", "kind")
        permissions = [("approve_pnbpreport", "Can approve PNBP reports")]
        constraints = [
            models.UniqueConstraint(
                fields=("lapas", "kind", "period_start"),
                name="pnbpreport_once_per_period",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start} ({self.lapas or 'all'})"


from .qc.models import (  # noqa: E402,F401  (QC models live in their own package)
    QcEvidence,
    QcInspection,
    QcItemKind,
    QcItemResult,
    QcLapasSettings,
    QcSpecItem,
)
