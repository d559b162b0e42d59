from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "shop.invoicing"
    label = "invoicing"
    verbose_name = _("Invoices on terms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the "invoice" payment provider in shop.payments.providers' registry.
        from . import providers  # noqa: F401
