from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "production_link.insight"
    label = "insight"
    verbose_name = _("Demand insight")
    default_auto_field = "django.db.models.BigAutoField"
