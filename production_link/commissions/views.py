"""The buyer's pages: book a service from its product page, see the bookings, cancel a
future date. Thin: forms in, services out; lookups through the buyer's own selectors."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model

from production_link.selectors import today
from shop.apps.core.policy import policy_required

from . import selectors
from .forms import BookingForm
from .models import ServiceOccurrence
from .services import bookings

Product = get_model("catalogue", "Product")


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@policy_required
def booking_create(request, product_pk):
    product = get_object_or_404(Product.objects.filter(is_public=True), pk=product_pk)
    if not selectors.product_is_bookable(product):
        messages.error(request, _("This service cannot be booked by date."))
        return redirect(product.get_absolute_url())
    providers = selectors.booking_providers(user=request.user, lapas=product.workshop.lapas)
    form = BookingForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = bookings.booking_create(
                user=request.user,
                product=product,
                quantity=data["quantity"],
                first_date=data["first_date"],
                weeks=data["weeks"],
                notes=data["notes"],
                provider=form.providers[data["payment_method"]],
                language=get_language(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        except (UnableToPlaceOrder, PaymentError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Booked: %(number)s. Each date has its own order below.")
                % {"number": booking.number},
            )
            return redirect("commissions:booking-list")
    return render(
        request,
        "commissions/booking_form.html",
        {
            "product": product,
            "form": form,
            "workshop": product.workshop,
            # What is still free on the next days; the booking re-checks under lock.
            "days": selectors.capacity_calendar(
                workshop=product.workshop, start=today() + timedelta(days=1), days=14
            ),
        },
    )


@policy_required
def booking_list(request):
    return render(
        request,
        "commissions/booking_list.html",
        {"bookings": selectors.bookings_of_buyer(request.user)[:50], "today": today()},
    )


@require_POST
@policy_required
def occurrence_cancel(request, pk):
    occurrence = get_object_or_404(
        ServiceOccurrence.objects.filter(booking__in=selectors.bookings_of_buyer(request.user)),
        pk=pk,
    )
    try:
        done = bookings.occurrence_cancel(occurrence_id=occurrence.pk, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    else:
        if done:
            messages.success(
                request,
                _("The date of %(date)s is cancelled.")
                % {"date": occurrence.date.strftime("%d-%m-%Y")},
            )
    return redirect("commissions:booking-list")
