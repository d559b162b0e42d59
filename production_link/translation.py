"""Workshop texts in Indonesian and English (issue 18); see catalog/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from .models import Workshop


@register(Workshop)
class WorkshopTranslation(TranslationOptions):
    fields = ("name", "description", "skills", "certifications")
    # An empty English name is NULL, not "": workshop names are unique per Lapas in each
    # language, and two workshops without an English name yet must not collide.
    empty_values = {"name": None}
