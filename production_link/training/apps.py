from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "production_link.training"
    label = "training"
    verbose_name = _("Training and certification")
    default_auto_field = "django.db.models.BigAutoField"
