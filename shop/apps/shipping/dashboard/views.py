"""Parcels of an order in the dashboard, and a CSV of waybills for many orders. Thin:
forms in, shipping.services out; orders come from orders_for_staff, so another Lapas's
order is the same 404 as a wrong number."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.apps.core.policy import policy_required
from shop.apps.dashboard.orders.selectors import order_for_staff
from shop.apps.shipping import selectors, services

from .forms import ParcelForm, ParcelUploadForm


def _order(request, number):
    order = order_for_staff(user=request.user, number=number)
    if order is None:
        raise Http404
    return order


@policy_required
def order_parcels(request, number):
    order = _order(request, number)
    form = ParcelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parcel, created = services.parcel_record(
                order_id=order.pk,
                courier=form.cleaned_data["courier"],
                waybill=form.cleaned_data["waybill"],
                user=request.user,
            )
        except services.ParcelError as error:
            form.add_error("waybill", str(error))
        else:
            if created:
                messages.success(request, _("Parcel %(parcel)s recorded.") % {"parcel": parcel})
            else:
                messages.info(
                    request, _("Parcel %(parcel)s was already recorded.") % {"parcel": parcel}
                )
            return redirect("parcels_dashboard:order-parcels", number=order.number)
    return render(
        request,
        "shipping/dashboard/order_parcels.html",
        {
            "order": order,
            "form": form,
            "parcels": selectors.order_parcels(order=order),
            "by_courier": selectors.order_ships_by_courier(order),
        },
    )


@policy_required
@require_POST
def parcel_remove(request, number, pk):
    order = _order(request, number)
    parcel = get_object_or_404(order.parcels, pk=pk)
    try:
        services.parcel_remove(parcel_id=parcel.pk, user=request.user)
    except services.ParcelError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Parcel %(parcel)s removed.") % {"parcel": parcel})
    return redirect("parcels_dashboard:order-parcels", number=order.number)


@policy_required
def parcels_upload(request):
    form = ParcelUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.parcels_import(
                data=form.cleaned_data["file"].read(),
                user=request.user,
                mark_shipped=form.cleaned_data["mark_shipped"],
            )
        except services.ParcelImportError as error:
            errors = error.errors
            messages.error(request, _("Nothing was recorded: correct the rows below."))
        else:
            messages.success(
                request,
                _(
                    "%(recorded)d parcel(s) recorded, %(unchanged)d already known; "
                    "%(shipped)d order(s) set Shipped."
                )
                % {
                    "recorded": result.recorded,
                    "unchanged": result.unchanged,
                    "shipped": len(result.shipped),
                },
            )
            return redirect("parcels_dashboard:upload")
    return render(
        request, "shipping/dashboard/parcel_upload.html", {"form": form, "errors": errors}
    )
