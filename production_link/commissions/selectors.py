"""Reads of commissions and service bookings, scoped on the server: a buyer reads their
own, Lapas staff their own Lapas's."""

from datetime import date, timedelta

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from production_link.selectors import lapas_for_user

from .models import ServiceBooking, ServiceCapacity, ServiceDay, ServiceOccurrence
from .services.bookings import FREED, product_is_service


def bookings_of_buyer(user) -> QuerySet:
    if not user.is_authenticated:
        return ServiceBooking.objects.none()
    return (
        ServiceBooking.objects.filter(user=user)
        .select_related("product", "workshop__lapas")
        .prefetch_related("occurrences__order")
    )


def occurrence_is_active(occurrence) -> bool:
    return occurrence.status == ServiceOccurrence.Status.BOOKED and (
        occurrence.order is None or occurrence.order.status not in FREED
    )


def service_workshops_for_user(user) -> QuerySet:
    """Workshops of the user's Lapas that perform services (with their capacity)."""
    from production_link.models import Workshop

    return (
        Workshop.objects.filter(lapas__in=lapas_for_user(user), is_active=True)
        .filter(products__product_class__track_stock=False)
        .distinct()
        .select_related("lapas", "service_capacity")
        .order_by("lapas__name", "name")
    )


def capacity_calendar(*, workshop, start: date, days: int = 14) -> list[dict]:
    """Per day from ``start``: capacity, units booked and the day's booked dates."""
    capacity = ServiceCapacity.objects.filter(workshop=workshop).first()
    limit = capacity.units_per_day if capacity else 0
    end = start + timedelta(days=days - 1)
    occurrences = (
        ServiceOccurrence.objects.filter(
            day__workshop=workshop,
            date__range=(start, end),
            status=ServiceOccurrence.Status.BOOKED,
        )
        .exclude(order__status__in=FREED)
        .select_related("booking__product", "booking__user", "order")
        .order_by("date", "pk")
    )
    by_date: dict[date, list] = {}
    for occurrence in occurrences:
        by_date.setdefault(occurrence.date, []).append(occurrence)
    calendar = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        rows = by_date.get(day, [])
        used = sum(o.quantity for o in rows)
        calendar.append(
            {
                "date": day,
                "capacity": limit,
                "used": used,
                "left": max(limit - used, 0),
                "full": used >= limit,
                "occurrences": rows,
            }
        )
    return calendar


def units_left(*, workshop, on: date) -> int:
    """Units still free on a day (for the booking page; the booking re-checks under lock)."""
    capacity = ServiceCapacity.objects.filter(workshop=workshop).first()
    if capacity is None:
        return 0
    used = (
        ServiceOccurrence.objects.filter(
            day__in=ServiceDay.objects.filter(workshop=workshop, date=on),
            status=ServiceOccurrence.Status.BOOKED,
        )
        .exclude(order__status__in=FREED)
        .aggregate(units=Coalesce(Sum("quantity"), 0))["units"]
    )
    return max(capacity.units_per_day - used, 0)


def product_is_bookable(product) -> bool:
    """A service whose workshop has a daily capacity set."""
    return bool(
        product_is_service(product)
        and product.workshop_id
        and ServiceCapacity.objects.filter(workshop_id=product.workshop_id).exists()
    )


def booking_providers(*, user, lapas) -> list:
    """How a booking can be paid: on the invoice terms of the buyer's approved
    organisation (shop.invoicing's provider), and up front by bank transfer to the Lapas's
    account."""
    from shop.institutions.selectors import approved_organisation_for_user
    from shop.payments.providers import get_provider

    providers = []
    organisation = approved_organisation_for_user(user)
    invoice = get_provider("invoice")
    if invoice is not None and organisation is not None and organisation.pays_by_invoice:
        providers.append(invoice)
    transfer = get_provider("bank_transfer")
    if transfer is not None and lapas.accepts_bank_transfer:
        providers.append(transfer)
    return providers


# --- commissions (made to order) -----------------------------------------------------------

# The steps a buyer follows, by the batch's status.
PROGRESS_STEPS = ("planned", "produced", "qc_passed", "released")


def commissions_of_order(order) -> list:
    """The made-to-order lines of an order with their batch's progress, for the order's
    page (Oscar's customer view reads only the buyer's own orders)."""
    from .models import Commission
    from .services.made_to_order import deposit_received

    rows = list(
        Commission.objects.filter(order_line__order=order)
        .select_related("batch", "order_line")
        .order_by("pk")
    )
    if not rows:
        return []
    received = deposit_received(order)
    for row in rows:
        status = row.batch.status
        reached = PROGRESS_STEPS.index(status) if status in PROGRESS_STEPS else None
        if status == "sold_out":
            reached = len(PROGRESS_STEPS) - 1
        row.progress = [
            {"code": code, "done": reached is not None and index <= reached}
            for index, code in enumerate(PROGRESS_STEPS)
        ]
        row.deposit_received = min(received, row.deposit_amount)
        row.deposit_due = row.deposit_amount > received
    return rows


def commissions_for_user(user) -> QuerySet:
    """The commissions of the user's Lapas (all for central admins)."""
    from .models import Commission

    return Commission.objects.filter(
        batch__workshop__lapas__in=lapas_for_user(user)
    ).select_related(
        "batch__workshop__lapas", "batch__product", "order_line__order", "quote_line__quote"
    )
