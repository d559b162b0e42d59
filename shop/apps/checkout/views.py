from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import views as oscar_views
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import PaymentError, UnableToTakePayment

from shop.apps.order.placement import BasketAlreadyPlaced, checkout_place
from shop.payments.providers import allowed_providers, unavailable_reasons


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Why a method is not offered, where the buyer can do something about it (e.g. a
        # Lapas in the basket takes no card payments).
        ctx["unavailable_reasons"] = unavailable_reasons(basket=self.request.basket)
        return ctx

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
        # The provider is asked once the orders exist and their stock is allocated, in the
        # placement (handle_order_placement): here it is only chosen.
        self.payment_provider = self.selected_payment_provider()
        if self.payment_provider is None:
            raise UnableToTakePayment(_("Please choose how you want to pay."))

    def freeze_basket(self, basket):
        # Not frozen in a write of its own: the placement marks the basket submitted in
        # its transaction (checkout_place(submit_basket=True)), so a failed placement
        # leaves it open and a second click finds it submitted.
        pass

    def handle_order_placement(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        billing_address,
        order_total,
        surcharges=None,
        **kwargs,
    ):
        """One order per Lapas under one checkout, placed by the placement service.

        Oscar's submit shows an UnableToPlaceOrder's message on the preview page and gives
        the buyer the basket back; a provider's refusal and busy stock are told the same way.
        """
        shipping_address = self.create_shipping_address(user, shipping_address)
        billing_address = self.create_billing_address(
            user, billing_address, shipping_address, **kwargs
        )
        try:
            checkout = checkout_place(
                basket=basket,
                number=order_number,
                provider=self.payment_provider,
                user=user,
                guest_email=kwargs.get("guest_email") or "",
                language=self.order_language(),
                shipping_method=shipping_method,
                shipping_address=shipping_address,
                billing_address=billing_address,
                submit_basket=True,
            )
        except BasketAlreadyPlaced:
            return self.handle_repeated_submission(order_number)
        except PaymentError as error:
            raise UnableToPlaceOrder(
                _("The payment could not be started: %(reason)s. Nothing was charged.")
                % {"reason": error}
            ) from error
        return self.handle_successful_checkout(checkout)

    def handle_repeated_submission(self, number):
        """A second click (or tab) that placed nothing: the buyer sees the thank-you page
        of the first. This request read the session before the first one wrote it, so it
        writes what the thank-you page looks for again."""
        from shop.apps.order.selectors import checkout_first_order_id

        order_id = checkout_first_order_id(number=number)
        if order_id is None:
            # The basket was submitted some other way (e.g. an older tab): start afresh.
            messages.info(self.request, _("This basket has already been ordered."))
            return redirect("basket:summary")
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order_id
        self.request.session["checkout_number"] = number
        return redirect(self.get_success_url())

    def handle_successful_checkout(self, checkout):
        self.placed_checkout = checkout
        orders = checkout.placed_orders
        for order in orders:
            self.send_order_placed_email(order)
        self.checkout_session.flush()
        # The thank-you page finds the checkout (and its orders) by these.
        self.request.session["checkout_order_id"] = orders[0].id
        self.request.session["checkout_number"] = checkout.number
        response = redirect(self.get_success_url())
        for order in orders:
            self.send_signal(self.request, response, order)
        return response

    def get_success_url(self):
        # A provider that takes the money on its own page (a card, after the orders and
        # their stock are secured) sends the buyer there; the thank-you page comes after.
        provider = getattr(self, "payment_provider", None)
        checkout = getattr(self, "placed_checkout", None)
        url = provider.payment_url(checkout=checkout) if provider and checkout else ""
        return url or super().get_success_url()


class ThankYouView(oscar_views.ThankYouView):
    """One page for the whole checkout: its number on top, then a section per Lapas
    order (lines, shipping, total, and how that order is paid)."""

    template_name = "oscar/checkout/thank_you.html"

    def get_object(self, queryset=None):
        from shop.apps.order.selectors import checkout_for_thank_you

        self.checkout = checkout_for_thank_you(
            session=self.request.session,
            user=self.request.user,
            requested_number=self.request.GET.get("checkout_number", ""),
        )
        if self.checkout is not None:
            return self.checkout.orders.order_by("pk").first()
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        from oscar.core.loading import get_model

        from shop.apps.order.selectors import checkout_sections, order_pay_by, order_sections

        ctx = super().get_context_data(**kwargs)
        checkout = self.checkout
        ctx["checkout"] = checkout
        ctx["sections"] = (
            checkout_sections(checkout=checkout)
            if checkout
            # An order placed before checkouts existed: its own section.
            else order_sections(
                orders=get_model("order", "Order").objects.filter(pk=self.object.pk)
            )
        )
        ctx["checkout_total"] = sum(s["order"].total_incl_tax for s in ctx["sections"])
        ctx["pay_by"] = order_pay_by(order=self.object)
        ctx["card_pay_url"] = (
            reverse("payments:stripe-pay", kwargs={"checkout_number": checkout.number})
            if checkout is not None
            and any(s["by_card"] and s["awaiting_payment"] for s in ctx["sections"])
            else ""
        )
        ctx["payment_method_url"] = reverse("checkout:payment-method")
        return ctx
