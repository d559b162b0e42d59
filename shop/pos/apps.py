from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PosConfig(AppConfig):
    name = "shop.pos"
    label = "pos"
    verbose_name = _("Point of sale")

    def ready(self):
        # Registers the point-of-sale payment methods (cash, QRIS, card terminal).
        from . import providers  # noqa: F401
