"""Card payment pages (pay, return from Stripe) and Stripe's webhook. Thin: the logic is
in stripe_services.py and webhooks.py."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from shop.apps.order import statuses

from . import stripe_client
from .selectors import checkout_card_orders, checkout_for_card_payment_page, order_is_paid
from .services import PaymentRecorded
from .stripe_services import stripe_card_payment_refresh
from .webhooks import WebhookRefused, stripe_webhook_receive

logger = logging.getLogger(__name__)

# Stripe.js speaks these; anything else falls back to Stripe's automatic choice.
STRIPE_JS_LOCALES = {"id": "id", "en": "en"}


# The session keys under which checkout placement keeps the checkout just placed (its
# number) and its first order, for the thank-you and pay pages.
SESSION_CHECKOUT_NUMBER = "checkout_number"
SESSION_CHECKOUT_ORDER_ID = "checkout_order_id"


def _card_checkout_or_404(request, checkout_number):
    checkout = checkout_for_card_payment_page(
        checkout_number=checkout_number,
        user=request.user,
        session_checkout_number=request.session.get(SESSION_CHECKOUT_NUMBER),
    )
    if checkout is None:
        raise Http404
    return checkout


def _to_thank_you(request, checkout):
    # The thank-you page shows the checkout whose id the session holds; the buyer may come
    # back in another session, so it is set again here.
    request.session[SESSION_CHECKOUT_NUMBER] = checkout.number
    first = checkout.orders.order_by("pk").values_list("pk", flat=True).first()
    request.session[SESSION_CHECKOUT_ORDER_ID] = first
    return redirect("checkout:thank-you")


def _paid_or_refused(request, checkout, recorded):
    if recorded in (PaymentRecorded.RECORDED, PaymentRecorded.ALREADY_PAID):
        messages.success(request, _("Thank you: your card payment has been received."))
    else:
        messages.warning(
            request,
            _(
                "Stripe took your card payment, but we could not confirm the order "
                "automatically. Our staff will check it and contact you; if the order cannot "
                "go ahead, the payment is refunded in full."
            ),
        )
    return _to_thank_you(request, checkout)


def _page(request, checkout, orders, *, state, payment=None, status=200):
    total = sum(order.total_incl_tax for order in orders)
    context = {
        "checkout": checkout,
        "orders": orders,
        "total": total,
        "currency": orders[0].currency if orders else settings.OSCAR_DEFAULT_CURRENCY,
        "state": state,
        "payment": payment,
    }
    if state == "pay":
        context["stripe_config"] = {
            "publishableKey": settings.STRIPE_PUBLISHABLE_KEY,
            "clientSecret": payment.client_secret,
            "returnUrl": request.build_absolute_uri(
                reverse("payments:stripe-return", kwargs={"checkout_number": checkout.number})
            ),
            "locale": STRIPE_JS_LOCALES.get(get_language() or "", "auto"),
            "messages": {
                "failed": _("The payment did not go through. Please check the card and try again."),
                "unavailable": _(
                    "The card form could not be loaded. Please check your connection and reload this page."
                ),
            },
        }
    return render(request, "payments/stripe_pay.html", context, status=status)


def _all_paid(orders) -> bool:
    return bool(orders) and all(order_is_paid(order=order) for order in orders)


@never_cache
@require_GET
def stripe_pay(request, checkout_number):
    """The buyer pays the whole checkout once, in Stripe's Payment Element (Stripe.js,
    this page only); each Lapas's order gets its share."""
    checkout = _card_checkout_or_404(request, checkout_number)
    orders = checkout_card_orders(checkout=checkout)
    if _all_paid(orders):
        return _to_thank_you(request, checkout)
    if any(order.status != statuses.AWAITING_PAYMENT for order in orders):
        return _page(request, checkout, orders, state="closed")
    if not stripe_client.stripe_is_configured():
        return _page(request, checkout, orders, state="unavailable", status=503)
    try:
        payment = stripe_card_payment_refresh(checkout=checkout)
    except stripe_client.StripeError:
        logger.exception("Checkout %s: could not read its PaymentIntent from Stripe", checkout)
        return _page(request, checkout, orders, state="unavailable", status=503)
    if payment.recorded is not None:
        return _paid_or_refused(request, checkout, payment.recorded)
    if payment.status == "processing":
        return _page(request, checkout, orders, state="processing", payment=payment)
    if payment.status == "canceled":
        return _page(request, checkout, orders, state="closed", payment=payment)
    return _page(request, checkout, orders, state="pay", payment=payment)


@never_cache
@require_GET
def stripe_return(request, checkout_number):
    """Where Stripe sends the buyer back (after 3-D Secure, if asked). Its query string
    (payment_intent, redirect_status) is ignored: the PaymentIntent is read from Stripe."""
    checkout = _card_checkout_or_404(request, checkout_number)
    orders = checkout_card_orders(checkout=checkout)
    pay_url = reverse("payments:stripe-pay", kwargs={"checkout_number": checkout.number})
    if _all_paid(orders):
        return _paid_or_refused(request, checkout, PaymentRecorded.ALREADY_PAID)
    if not stripe_client.stripe_is_configured():
        return redirect(pay_url)
    try:
        payment = stripe_card_payment_refresh(checkout=checkout)
    except stripe_client.StripeError:
        logger.exception("Checkout %s: could not read its PaymentIntent from Stripe", checkout)
        return _page(request, checkout, orders, state="unavailable", status=503)
    if payment.recorded is not None:
        return _paid_or_refused(request, checkout, payment.recorded)
    if payment.status == "processing":
        return _page(request, checkout, orders, state="processing", payment=payment)
    if payment.status == "requires_payment_method":
        messages.error(
            request,
            _(
                "Your card payment was declined (%(reason)s). Your order is still reserved: "
                "please try again, with another card if need be."
            )
            % {"reason": payment.decline_message or _("no reason given")},
        )
    elif payment.status != "canceled":
        messages.error(
            request,
            _(
                "The card payment was not completed. Your order is still reserved: please try again."
            ),
        )
    return redirect(pay_url)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        result = stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookRefused as refusal:
        logger.warning("Stripe webhook refused: %s", refusal)
        return HttpResponseBadRequest("Invalid Stripe signature or payload.")
    except stripe_client.StripeError:
        # Nothing was recorded: Stripe delivers the event again later.
        logger.exception("Stripe webhook: Stripe could not be asked; the event will come again")
        return HttpResponse("Stripe unavailable; retry.", status=503)
    return JsonResponse({"received": True, "result": str(result)})
