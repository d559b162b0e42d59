"""Demo services booked by date (data/demo/service_bookings.yaml): the service workshops'
daily capacities and a few standing bookings. Safe to run again: a buyer's booking of the
same service is made once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from production_link.models import Workshop
from production_link.selectors import today
from shop.apps.core.datafiles import data_file
from shop.payments.providers import get_provider

from .models import ServiceBooking
from .services.bookings import booking_create

Product = get_model("catalogue", "Product")


def commissions_demo_load() -> int:
    """Returns how many bookings were made."""
    from .models import ServiceCapacity

    data = data_file("demo/service_bookings.yaml")
    for row in data["capacities"]:
        workshop = Workshop.objects.get(lapas__short_code=row["lapas"], name=row["workshop"])
        ServiceCapacity.objects.update_or_create(
            workshop=workshop, defaults={"units_per_day": row["units_per_day"]}
        )
    made = 0
    users = get_user_model().objects
    for row in data["bookings"]:
        buyer = users.get(username=row["buyer"])
        product = Product.objects.get(upc=row["upc"])
        if ServiceBooking.objects.filter(user=buyer, product=product).exists():
            continue
        booking_create(
            user=buyer,
            product=product,
            quantity=row["quantity"],
            first_date=today() + timedelta(days=row["days_ahead"]),
            weeks=row["weeks"],
            provider=get_provider("bank_transfer"),
            notes=row["notes"],
        )
        made += 1
    return made
