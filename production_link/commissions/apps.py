from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "production_link.commissions"
    label = "commissions"
    verbose_name = _("Commissions and services")

    def ready(self):
        from . import receivers  # noqa: F401  (plans batches when a quote is accepted)
