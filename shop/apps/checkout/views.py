from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from shop.payments.providers import allowed_providers

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.providers = {p.identifier: p for p in providers}
        self.fields["method"].choices = [(p.identifier, p.verbose_name) for p in providers]
        if len(providers) == 1:
            self.fields["method"].initial = providers[0].identifier


class PaymentMethodView(oscar_views.PaymentMethodView):
    """The buyer picks a payment provider; nothing provider-specific happens here."""

    template_name = "oscar/checkout/payment_method.html"

    def providers(self):
        return allowed_providers(basket=self.request.basket)

    def get(self, request, *args, **kwargs):
        form = PaymentMethodForm(
            providers=self.providers(), initial={"method": self.checkout_session.payment_method()}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = PaymentMethodForm(request.POST, providers=self.providers())
        if not form.is_valid():
            messages.error(request, _("Please choose one of the payment methods offered."))
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return redirect("checkout:preview")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get(self, request, *args, **kwargs):
        # No provider needs a details form yet: the method is chosen on the payment
        # method page, which then leads to the preview.
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payment_provider"] = self.selected_payment_provider()
        return ctx

    def handle_payment(self, order_number, total, **kwargs):
        provider = self.payment_provider = self.selected_payment_provider()
        outcome = provider.execute_payment(
            order_number=order_number, total=total, basket=self.request.basket
        )
        source_type, _created = SourceType.objects.get_or_create(name=outcome.source_type)
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=total.currency,
                amount_allocated=outcome.amount_allocated,
                amount_debited=outcome.amount_debited,
                reference=outcome.reference,
            )
        )
        if outcome.event_type:
            self.add_payment_event(outcome.event_type, outcome.amount_debited, outcome.reference)

    def handle_successful_order(self, order):
        self.placed_order = order
        return super().handle_successful_order(order)

    def get_success_url(self):
        # A provider that takes the money on its own page (a card, after the order and its
        # stock are secured) sends the buyer there; the thank-you page comes after.
        provider = getattr(self, "payment_provider", None)
        url = provider.payment_url(order=self.placed_order) if provider else ""
        return url or super().get_success_url()


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, **kwargs):
        from shop.apps.order.selectors import order_pay_by, transfer_instructions

        ctx = super().get_context_data(**kwargs)
        ctx["transfer_instructions"] = transfer_instructions(order=self.object)
        ctx["pay_by"] = order_pay_by(order=self.object)
        ctx["payment_method_url"] = reverse("checkout:payment-method")
        return ctx
