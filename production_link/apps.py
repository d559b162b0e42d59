from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionLinkConfig(AppConfig):
    name = "production_link"
    verbose_name = _("Production")
