from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    """Marketing channels, measured: product feeds, campaign attribution of orders."""

    name = "shop.marketing"
    label = "marketing"
    verbose_name = _("Marketing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oscar.apps.checkout.signals import post_checkout

        from . import receivers

        # post_checkout (not order_placed) because it carries the request, and so the
        # visitor's session with the campaign they came from.
        post_checkout.connect(receivers.checkout_attribute, dispatch_uid="karya-attribution")
