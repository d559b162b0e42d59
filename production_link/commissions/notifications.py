"""E-mails of bookings and commissions. Called by Celery tasks (tasks.py)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from shop.apps.core.public_url import public_base_url

from .models import ServiceBooking


def _staff_emails(lapas) -> list[str]:
    from shop.apps.core.roles import WORKSHOP_STAFF

    return sorted(
        set(
            lapas.users.filter(groups__name=WORKSHOP_STAFF.group_name, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def booking_notify(*, booking_id: int) -> int:
    """The buyer's confirmation, and a note to the workshop staff of the Lapas."""
    booking = (
        ServiceBooking.objects.select_related("product", "workshop__lapas", "user")
        .prefetch_related("occurrences__order")
        .get(pk=booking_id)
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "booking": booking,
            "occurrences": list(booking.occurrences.all()),
            "account_url": public_base_url() + reverse("commissions:booking-list"),
        }
        subject = render_to_string("commissions/emails/booking_subject.txt", context).strip()
        body = render_to_string("commissions/emails/booking_body.txt", context)
        if booking.user.email:
            send_mail(subject, body, None, [booking.user.email])
            sent += 1
        staff = _staff_emails(booking.workshop.lapas)
        if staff:
            context["dashboard_url"] = public_base_url() + reverse(
                "commissions_dashboard:service-days"
            )
            staff_body = render_to_string("commissions/emails/booking_staff_body.txt", context)
            send_mail(subject, staff_body, None, staff)
            sent += len(staff)
    return sent
