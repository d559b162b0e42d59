"""The yearly work programme of a workshop, the monev instrument with its findings and
follow-ups, and the regional offices (Kanwil) the Lapas report to.

Figures of a programme's *actual* side are never stored: they are read live from batches
and the PNBP ledger (selectors). What is stored is what people decide: targets, budget
lines, milestones, monev answers, findings, follow-ups, and the trail of a report's way
up the chain.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Regions (Kanwil)


class Region(models.Model):
    """A regional office of the ministry (Kanwil), above the Lapas of a province."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    province = models.CharField(_("province"), max_length=64)
    lapas = models.ManyToManyField(
        "partner.Partner",
        through="RegionLapas",
        related_name="regions",
        verbose_name=_("Lapas"),
        blank=True,
    )

    class Meta:
        verbose_name = _("region (Kanwil)")
        verbose_name_plural = _("regions (Kanwil)")
        ordering = ("name",)

    def __str__(self):
        return self.name


class RegionLapas(models.Model):
    """A Lapas belongs to one region (the one-to-one says so)."""

    region = models.ForeignKey(Region, related_name="memberships", on_delete=models.CASCADE)
    lapas = models.OneToOneField(
        "partner.Partner", related_name="region_link", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("Lapas of a region")
        verbose_name_plural = _("Lapas of regions")

    def __str__(self):
        return f"{self.region}: {self.lapas}"


class RegionalOfficer(models.Model):
    """A regional officer belongs to one region: they read its Lapas, change nothing of theirs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="regional_office", on_delete=models.CASCADE
    )
    region = models.ForeignKey(Region, related_name="officers", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("regional officer")
        verbose_name_plural = _("regional officers")

    def __str__(self):
        return f"{self.user} ({self.region})"


# --- The yearly work programme


class Programme(models.Model):
    """A workshop's plan for one year, set by the Kalapas."""

    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="programmes",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)]
    )
    priorities = models.TextField(
        _("priorities"), blank=True, help_text=_("What the workshop puts first this year.")
    )
    target_units = models.PositiveIntegerField(_("target: units produced"), default=0)
    target_revenue = models.DecimalField(
        _("target: revenue (Rp)"), max_digits=14, decimal_places=0, default=0
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ("-year", "workshop__name")
        constraints = [
            models.UniqueConstraint(fields=("workshop", "year"), name="programme_once_per_year")
        ]

    def __str__(self):
        return f"{self.workshop} {self.year}"


class BudgetLine(models.Model):
    """One line of the budget plan (RAB): volume × unit cost, and where the money comes from."""

    class Source(models.TextChoices):
        DIPA = "dipa", _("State budget (DIPA)")
        PNBP = "pnbp", _("PNBP")
        WORKING_CAPITAL = "working_capital", _("Working capital")
        PARTNER = "partner", _("Third-party partner")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, related_name="budget_lines", on_delete=models.CASCADE)
    item = models.CharField(_("item"), max_length=200)
    volume = models.DecimalField(
        _("volume"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=32)
    unit_cost = models.DecimalField(
        _("unit cost (Rp)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )
    # volume × unit cost rounded half up to whole rupiah, written by the service, so the
    # budget's totals are sums in the database.
    total = models.DecimalField(_("total (Rp)"), max_digits=16, decimal_places=0)
    funding_source = models.CharField(_("funding source"), max_length=16, choices=Source.choices)

    class Meta:
        verbose_name = _("budget line (RAB)")
        verbose_name_plural = _("budget lines (RAB)")
        ordering = ("pk",)

    def __str__(self):
        return self.item


class Milestone(models.Model):
    programme = models.ForeignKey(Programme, related_name="milestones", on_delete=models.CASCADE)
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ("due_on", "pk")

    def __str__(self):
        return self.title


# --- Monev: the instrument, its answers, findings and follow-ups


class Indicator(models.Model):
    """One question of the monev instrument (the same for every Lapas)."""

    class Kind(models.TextChoices):
        SCORE = "score", _("Score 1–5")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Written answer")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("indicator"), max_length=255)
    label_en = models.CharField(_("indicator (English)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SCORE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("assessed"), default=True)

    class Meta:
        verbose_name = _("monev indicator")
        verbose_name_plural = _("monev indicators")
        ordering = ("position", "code")

    def __str__(self):
        return self.label


class MonevAssessment(models.Model):
    """The monev of one Lapas for one quarter or semester."""

    lapas = models.ForeignKey(
        "partner.Partner", related_name="monev_assessments", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10)  # reports.periods QUARTERLY/SEMESTER
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monev assessment")
        verbose_name_plural = _("monev assessments")
        ordering = ("-period_start",)
        constraints = [
            models.UniqueConstraint(
                fields=("lapas", "kind", "period_start"), name="monev_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.lapas} {self.kind} {self.period_start}"


class MonevAnswer(models.Model):
    assessment = models.ForeignKey(
        MonevAssessment, related_name="answers", on_delete=models.CASCADE
    )
    indicator = models.ForeignKey(Indicator, related_name="answers", on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "indicator"), name="monev_answer_once_per_indicator"
            )
        ]


class Finding(models.Model):
    assessment = models.ForeignKey(
        MonevAssessment, related_name="findings", on_delete=models.CASCADE
    )
    text = models.TextField(_("finding"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monev finding")
        verbose_name_plural = _("monev findings")
        ordering = ("pk",)

    def __str__(self):
        return self.text[:60]


class FollowUp(models.Model):
    """An action decided in a monev; while open it is carried into the next periods."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    assessment = models.ForeignKey(
        MonevAssessment,
        verbose_name=_("raised in"),
        related_name="follow_ups",
        on_delete=models.CASCADE,
    )
    finding = models.ForeignKey(
        Finding, related_name="follow_ups", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.TextField(_("action"))
    owner_role = models.CharField(_("owner (role)"), max_length=32)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ("due_on", "pk")

    def __str__(self):
        return self.action[:60]


# --- Reports up the chain


class ReportSubmission(models.Model):
    """An approved report of a Lapas on its way to the region: submitted, then
    acknowledged, or returned with a note and submitted again."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the region")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the region")
        RETURNED = "returned", _("Returned by the region")

    report = models.OneToOneField(
        "production_link.PnbpReport", related_name="submission", on_delete=models.PROTECT
    )
    region = models.ForeignKey(Region, related_name="submissions", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    note = models.TextField(_("region's note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, on_delete=models.PROTECT
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ("-submitted_at",)
        permissions = [
            ("submit_reportsubmission", "Can submit an approved report to the region"),
            ("review_reportsubmission", "Can acknowledge or return a submitted report"),
        ]

    def __str__(self):
        return f"{self.report} → {self.region}: {self.status}"


class SubmissionEvent(models.Model):
    """The trail: who submitted, acknowledged, returned or resubmitted, when, with what note."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")

    submission = models.ForeignKey(
        ReportSubmission, related_name="events", on_delete=models.CASCADE
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("at", "pk")
