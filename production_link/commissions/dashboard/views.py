"""Lapas staff's pages: each service workshop's days with the capacity used, the daily
capacity, and the made-to-order commissions with their deposits. Every lookup goes
through the user's Lapas (selectors), so another Lapas's workshop is a 404."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from production_link.selectors import today
from shop.apps.core.policy import policy_required, user_may_post

from .. import selectors
from ..forms import CapacityForm
from ..services import bookings

DAYS_SHOWN = 14


def _start(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return today()


@policy_required
def service_days(request):
    workshops = list(selectors.service_workshops_for_user(request.user))
    chosen = None
    if workshops:
        wanted = request.GET.get("workshop", "")
        chosen = next((w for w in workshops if str(w.pk) == wanted), workshops[0])
    start = _start(request)
    calendar = (
        selectors.capacity_calendar(workshop=chosen, start=start, days=DAYS_SHOWN) if chosen else []
    )
    capacity = getattr(chosen, "service_capacity", None) if chosen else None
    return render(
        request,
        "commissions/dashboard/service_days.html",
        {
            "workshops": workshops,
            "workshop": chosen,
            "calendar": calendar,
            "start": start,
            "previous": start - timedelta(days=DAYS_SHOWN),
            "next": start + timedelta(days=DAYS_SHOWN),
            "capacity_form": CapacityForm(
                initial={"units_per_day": capacity.units_per_day if capacity else 0}
            ),
            "may_set_capacity": user_may_post(
                request.user, "commissions_dashboard:capacity-set", {}
            ),
        },
    )


@require_POST
@policy_required
def capacity_set(request, pk):
    workshop = get_object_or_404(selectors.service_workshops_for_user(request.user), pk=pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            bookings.capacity_set(
                workshop=workshop,
                units_per_day=form.cleaned_data["units_per_day"],
                user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(workshop)s now takes %(units)d units a day.")
                % {"workshop": workshop.name, "units": form.cleaned_data["units_per_day"]},
            )
    return redirect(f"{_days_url()}?workshop={workshop.pk}")


def _days_url():
    from django.urls import reverse

    return reverse("commissions_dashboard:service-days")


@policy_required
def commission_list(request):
    rows = list(selectors.commissions_for_user(request.user).order_by("-created_at", "-pk")[:100])
    from ..services.made_to_order import deposit_received

    received = {}
    for row in rows:
        order = row.order_line.order if row.order_line_id else None
        if order is not None and order.pk not in received:
            received[order.pk] = deposit_received(order)
        row.deposit_received = received.get(order.pk) if order is not None else None
    return render(request, "commissions/dashboard/commission_list.html", {"commissions": rows})
