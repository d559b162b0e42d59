from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "shop.institutions"
    label = "institutions"
    verbose_name = _("Institutional buyers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .availability import connect

        connect()
