"""The demo shop shows services booked by date: capacities and a weekly booking."""

import pytest

from production_link.commissions.models import ServiceBooking, ServiceCapacity


@pytest.mark.django_db
def test_the_demo_has_capacities_and_a_weekly_booking(demo_shop):
    assert ServiceCapacity.objects.filter(workshop__name="Dapur Jasa Boga").exists()
    weekly = ServiceBooking.objects.get(product__upc="KRY-YGY-0009")  # snack boxes
    assert weekly.occurrences.count() == 8
    assert all(o.order_id for o in weekly.occurrences.all())
