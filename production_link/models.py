from django.db import models
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
