"""Services booked by date: capacity per workshop per day, one order per date through the
one sale pipeline, cancelling a future date, and the refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from production_link.commissions.models import ServiceOccurrence
from production_link.commissions.services.bookings import (
    BookingError,
    booking_create,
    capacity_set,
    occurrence_cancel,
)
from production_link.selectors import today
from shop.apps.order import statuses
from shop.payments.providers import get_provider

pytestmark = pytest.mark.django_db


def _book(user, product, *, quantity=40, days_ahead=2, weeks=1, provider="bank_transfer"):
    return booking_create(
        user=user,
        product=product,
        quantity=quantity,
        first_date=today() + timedelta(days=days_ahead),
        weeks=weeks,
        provider=get_provider(provider),
        notes="Dapur umum, Jl. Veteran 2",
    )


def test_a_weekly_booking_places_one_order_per_date(
    buyer, laundry, capacity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(buyer, laundry, weeks=4)

    occurrences = list(booking.occurrences.select_related("order"))
    assert [o.date for o in occurrences] == [today() + timedelta(days=2, weeks=n) for n in range(4)]
    for index, occurrence in enumerate(occurrences, start=1):
        order = occurrence.order
        assert order.number == f"{booking.number}-{index:02d}"
        assert order.lapas_id == laundry.workshop.lapas_id
        assert order.user == buyer
        assert order.status == statuses.AWAITING_PAYMENT
        assert order.total_incl_tax == Decimal("8000") * 40
        (line,) = order.lines.all()
        assert (line.quantity, line.num_allocated) == (40, 40)
        assert not line.allocations.exists()  # a service takes nothing from stock
    # The buyer's confirmation and the workshop staff's note.
    assert {tuple(m.to) for m in mail.outbox} == {
        (buyer.email,),
        (capacity.updated_by.email,),
    }
    assert booking.number in mail.outbox[0].subject


def test_a_day_cannot_be_overbooked_and_nothing_is_placed(buyer, laundry, capacity, english):
    _book(buyer, laundry, quantity=70)
    orders_before = ServiceOccurrence.objects.count()

    with pytest.raises(BookingError) as refused:
        _book(buyer, laundry, quantity=31, weeks=2)

    assert "fully booked" in str(refused.value)
    assert "(30 left)" in str(refused.value)
    assert ServiceOccurrence.objects.count() == orders_before
    # The last 30 units of the day can still be booked.
    assert _book(buyer, laundry, quantity=30).occurrences.count() == 1


def test_a_cancelled_date_frees_its_capacity(buyer, laundry, capacity, english):
    booking = _book(buyer, laundry, quantity=100, weeks=2)
    first = booking.occurrences.order_by("date").first()

    assert occurrence_cancel(occurrence_id=first.pk, user=buyer) is True
    assert occurrence_cancel(occurrence_id=first.pk, user=buyer) is False  # a second click

    first.refresh_from_db()
    first.order.refresh_from_db()
    assert first.status == ServiceOccurrence.Status.CANCELLED
    assert first.order.status == statuses.CANCELLED
    assert _book(buyer, laundry, quantity=100).occurrences.get().date == first.date
    with pytest.raises(BookingError):  # the second week is still full
        _book(buyer, laundry, quantity=1, days_ahead=9)


def test_an_unpaid_order_cancelled_by_the_shop_frees_the_date(buyer, laundry, capacity):
    from shop.apps.order.services import order_cancel

    booking = _book(buyer, laundry, quantity=100)
    order_cancel(order_id=booking.occurrences.get().order_id)

    assert _book(buyer, laundry, quantity=100)


def test_refusals(buyer, laundry, capacity, product, english, other_workshop_staff):
    with pytest.raises(BookingError, match="from tomorrow"):
        _book(buyer, laundry, days_ahead=0)
    with pytest.raises(BookingError, match="1 to 26 weeks"):
        _book(buyer, laundry, weeks=27)
    with pytest.raises(BookingError, match="at least one"):
        _book(buyer, laundry, quantity=0)
    with pytest.raises(BookingError, match="Only services"):
        _book(buyer, product)  # bread is goods, sold from stock
    with pytest.raises(BookingError, match="invoice terms"):
        _book(buyer, laundry, provider="invoice")  # a private buyer pays up front
    booking = _book(buyer, laundry)
    occurrence = booking.occurrences.get()
    with pytest.raises(PermissionDenied):
        occurrence_cancel(occurrence_id=occurrence.pk, user=other_workshop_staff)
    with pytest.raises(PermissionDenied):
        capacity_set(workshop=laundry.workshop, units_per_day=500, user=other_workshop_staff)
    assert ServiceOccurrence.objects.count() == 1


def test_a_workshop_without_a_capacity_takes_no_booking(buyer, laundry, english):
    with pytest.raises(BookingError, match="fully booked"):
        _book(buyer, laundry, quantity=1)


def test_a_date_that_has_come_cannot_be_cancelled(buyer, laundry, capacity, english):
    booking = _book(buyer, laundry)
    occurrence = booking.occurrences.get()
    ServiceOccurrence.objects.filter(pk=occurrence.pk).update(date=today())

    with pytest.raises(BookingError, match="day before"):
        occurrence_cancel(occurrence_id=occurrence.pk, user=buyer)


def test_an_organisation_on_invoice_terms_books_within_its_credit_limit(
    buyer, laundry, capacity, english
):
    from shop.institutions.models import InstitutionalOrder, Organisation, OrganisationMember

    organisation = Organisation.objects.create(
        name="SMK Negeri 1 Tangerang",
        npwp="012345678901000",
        address="Jl. Sekolah 1",
        kind=Organisation.Kind.SCHOOL,
        status=Organisation.Status.APPROVED,
        payment_terms=Organisation.PaymentTerms.INVOICE,
        payment_days=30,
        credit_limit=Decimal("1000000"),
    )
    OrganisationMember.objects.create(organisation=organisation, user=buyer)

    booking = _book(buyer, laundry, quantity=50, weeks=2, provider="invoice")  # 800.000

    rows = InstitutionalOrder.objects.filter(order__service_occurrence__booking=booking)
    assert rows.count() == 2
    assert {r.payment_terms for r in rows} == {Organisation.PaymentTerms.INVOICE}
    with pytest.raises(BookingError, match="credit limit"):
        _book(buyer, laundry, quantity=30, days_ahead=3, provider="invoice")  # 240.000 more


# --- pages ---------------------------------------------------------------------------------


def test_the_buyer_books_from_the_page_and_sees_the_dates(client, buyer, laundry, capacity):
    client.force_login(buyer)
    url = reverse("commissions:booking-create", kwargs={"product_pk": laundry.pk})
    assert client.get(url).status_code == 200
    first = today() + timedelta(days=3)

    response = client.post(
        url,
        {
            "first_date": first.isoformat(),
            "quantity": "20",
            "weeks": "3",
            "notes": "Kantin",
            "payment_method": "bank_transfer",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("commissions:booking-list")).content.decode()
    booking = buyer.service_bookings.get()
    assert booking.number in page
    assert page.count("Cancel this date") == 3 or page.count("Batalkan") >= 3


def test_another_buyer_cannot_cancel_my_date(client, buyer, laundry, capacity):
    from tests.factories import UserFactory

    booking = _book(buyer, laundry)
    occurrence = booking.occurrences.get()
    client.force_login(UserFactory(username="orang.lain"))

    response = client.post(reverse("commissions:occurrence-cancel", kwargs={"pk": occurrence.pk}))

    assert response.status_code == 404
    occurrence.refresh_from_db()
    assert occurrence.status == ServiceOccurrence.Status.BOOKED


def test_the_lapas_sees_its_days_and_sets_the_capacity(
    client, buyer, laundry, capacity, workshop_staff, other_workshop_staff
):
    _book(buyer, laundry, quantity=60)
    client.force_login(workshop_staff)
    url = reverse("commissions_dashboard:service-days")

    page = client.get(url).content.decode()
    assert "60" in page and laundry.workshop.name in page

    client.post(
        reverse("commissions_dashboard:capacity-set", kwargs={"pk": laundry.workshop.pk}),
        {"units_per_day": "150"},
    )
    capacity.refresh_from_db()
    assert capacity.units_per_day == 150

    client.force_login(other_workshop_staff)
    response = client.post(
        reverse("commissions_dashboard:capacity-set", kwargs={"pk": laundry.workshop.pk}),
        {"units_per_day": "1"},
    )
    assert response.status_code == 404
    capacity.refresh_from_db()
    assert capacity.units_per_day == 150


def test_the_profile_page_leads_to_the_bookings(client, buyer):
    client.force_login(buyer)

    page = client.get(reverse("customer:profile-view")).content.decode()

    assert reverse("commissions:booking-list") in page
