from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session

from shop.payments.providers import get_provider


class CheckoutSessionMixin(session.CheckoutSessionMixin):
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
