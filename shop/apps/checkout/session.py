from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session

from shop.apps.core.shared_cache import get_local
from shop.payments.providers import get_provider


def _countries() -> dict:
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    return get_local("countries", lambda: {c.pk: c for c in Country.objects.all()})


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def get_shipping_address(self, basket):
        # The address's country from memory: saving the address reads it for its search
        # text, once per order placed.
        address = super().get_shipping_address(basket)
        if address is not None and address.country_id:
            country = _countries().get(address.country_id)
            if country is not None:
                address.country = country
        return address

    def selected_payment_provider(self):
        provider = get_provider(self.checkout_session.payment_method() or "")
        if provider is None or not provider.is_allowed(basket=self.request.basket):
            return None
        return provider

    def check_payment_data_is_captured(self, request):
        if self.selected_payment_provider() is None:
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you want to pay."),
            )
