"""Training and certification figures of the workshops (issue 19, item 5).

One row is one course run by a workshop: its skills scheme, who certified it, when, and
how many took part and were certified. Counts only: Karya keeps no personal data about
inmates, so no participant is ever named here (ARCHITECTURE.md, Privacy).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TrainingCourse(models.Model):
    class Issuer(models.TextChoices):
        # Certificates of competence under the national scheme, issued by a licensed
        # professional certification body (LSP) in the name of BNSP.
        BNSP_LSP = "bnsp_lsp", _("BNSP / LSP (competence certificate)")
        # Public vocational training centres (Balai Latihan Kerja) of the labour ministry.
        BLK = "blk", _("BLK (vocational training centre)")
        # The directorate's or the Lapas's own training certificate.
        CORRECTIONS = "corrections", _("Directorate or Lapas")
        PARTNER = "partner", _("Partner company or association")
        OTHER = "other", _("Other")

    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        related_name="training_courses",
        on_delete=models.PROTECT,
    )
    title = models.CharField(
        _("course"),
        max_length=160,
        help_text=_("E.g. “Basic bread baking”. No names of participants."),
    )
    scheme = models.CharField(
        _("certification scheme"),
        max_length=160,
        blank=True,
        help_text=_("The competence scheme or unit certified, e.g. “Pembuat Roti (Baker)”."),
    )
    issuer_kind = models.CharField(_("issued by"), max_length=16, choices=Issuer.choices)
    issuer_name = models.CharField(
        _("issuer"),
        max_length=160,
        blank=True,
        help_text=_("The body that certifies, e.g. “LSP Pariwisata Indonesia”, “BLK Tangerang”."),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(
        _("ended on"), help_text=_("The course counts in the period it ended in.")
    )
    participants = models.PositiveIntegerField(
        _("participants"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    certified = models.PositiveIntegerField(
        _("certificates issued"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("How many participants were certified; at most the participants."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ("-ended_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(certified__lte=F("participants")),
                name="training_certified_at_most_participants",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__gte=F("started_on")), name="training_ends_after_start"
            ),
            # The same course entered twice (a double click, a second colleague) is one.
            models.UniqueConstraint(
                fields=("workshop", "title", "started_on", "ended_on"),
                name="training_course_once",
            ),
        ]
        indexes = [models.Index(fields=("ended_on",), name="training_ended_on")]

    def __str__(self):
        return f"{self.title} ({self.workshop}, {self.ended_on:%Y-%m-%d})"
