"""The refund page of an order in the dashboard. Thin: the form in, refund_create out."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop.apps.core.policy import policy_required

from ..models import Refund
from ..providers import provider_for_order
from ..refund_services import RefundError, refund_create, refund_execute
from ..selectors import order_refunds, user_may_record_payment
from .forms import RefundForm

Order = get_model("order", "Order")


def _order_for_refund(request, number):
    order = get_object_or_404(Order, number=number)
    # Staff of another Lapas learn nothing about the order: the same 404 as a wrong number.
    if not user_may_record_payment(user=request.user, order=order):
        raise Http404
    return order


@policy_required
def order_refund(request, number):
    order = _order_for_refund(request, number)
    provider = provider_for_order(order)
    if provider is None:
        raise Http404
    form = RefundForm(request.POST or None, order=order, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            refund = refund_create(
                order_id=order.pk,
                user=request.user,
                token=form.cleaned_data["token"],
                lines=form.line_requests(),
                shipping_amount=form.cleaned_data.get("shipping_amount") or 0,
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data.get("reference", ""),
            )
        except RefundError as error:
            messages.error(request, str(error))
        else:
            if refund.status == Refund.Status.SUCCEEDED:
                messages.success(request, _("The refund has been made."))
            else:
                messages.warning(
                    request,
                    _("The refund was sent and is waiting for the payment provider."),
                )
            return redirect("dashboard:order-detail", number=order.number)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "payments/dashboard/refund.html",
        {
            "order": order,
            "form": form,
            "provider": provider,
            "refunds": order_refunds(order=order),
        },
    )


@policy_required
@require_POST
def refund_retry(request, number, pk):
    order = _order_for_refund(request, number)
    refund = get_object_or_404(Refund, pk=pk, order=order)
    try:
        refund = refund_execute(refund_id=refund.pk, user=request.user)
    except RefundError as error:
        messages.error(request, str(error))
    else:
        if refund.status == Refund.Status.SUCCEEDED:
            messages.success(request, _("The refund has been made."))
    return redirect("payments_dashboard:order-refund", number=order.number)
