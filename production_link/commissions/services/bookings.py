"""Services (jasa) booked for a date and a quantity, once or every week for some weeks,
against the daily capacity of the workshop that performs them.

When the orders are placed: at booking, one order per date through the one sale pipeline
(``placement.orders_place``), so each date is fulfilled, paid (or invoiced) and booked as
PNBP like any other sale, and the buyer sees every date's order and what it costs at once.
Paid up front by bank transfer, the orders follow the shop's payment window
(KARYA_UNPAID_ORDER_HOURS): an unpaid date is cancelled and its capacity freed. A day's
capacity is counted from the dates still booked whose order is not cancelled, under a lock
of the workshop's day row (``ServiceDay``), so a day cannot be overbooked by two buyers
racing for its last units.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from production_link.selectors import today, user_may_manage_lapas
from shop.apps.order import statuses

from ..models import ServiceBooking, ServiceCapacity, ServiceDay, ServiceOccurrence

Selector = get_class("partner.strategy", "Selector")
Order = get_model("order", "Order")

# An order in these statuses no longer holds its date (cancelled unpaid, or refunded).
FREED = (statuses.CANCELLED, statuses.REFUNDED)
# A booking reaches at most this far: half a year of weekly dates.
MAX_WEEKS = 26
MAX_DAYS_AHEAD = 366
MAX_QUANTITY = 100_000


class BookingError(ValidationError):
    """A booking that cannot be made or changed; the message says why."""


@dataclass(frozen=True)
class DayShort:
    date: date
    left: int


def product_is_service(product) -> bool:
    """A service: its product class does not track stock (the "Jasa" kind)."""
    product_class = product.get_product_class()
    return product_class is not None and not product_class.track_stock


def booking_dates(*, first_date: date, weeks: int) -> list[date]:
    return [first_date + timedelta(weeks=n) for n in range(weeks)]


def _days_locked(*, workshop, dates) -> list[ServiceDay]:
    """The workshop's day rows for these dates, made if missing, locked in date order (one
    order for every booking, so two bookings never wait on each other crosswise)."""
    ServiceDay.objects.bulk_create(
        [ServiceDay(workshop=workshop, date=day) for day in sorted(set(dates))],
        ignore_conflicts=True,
    )
    return list(
        ServiceDay.objects.select_for_update()
        .filter(workshop=workshop, date__in=dates)
        .order_by("date")
    )


def units_booked(*, days) -> dict[int, int]:
    """Units taken on each day (by day id): dates still booked whose order is not cancelled
    (an unpaid order cancelled after the payment window frees its date)."""
    rows = (
        ServiceOccurrence.objects.filter(day__in=days, status=ServiceOccurrence.Status.BOOKED)
        .exclude(order__status__in=FREED)
        .values("day_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["day_id"]: row["units"] or 0 for row in rows}


def _check_request(*, product, quantity, first_date, weeks) -> dict:
    errors = {}
    if not product_is_service(product) or not product.workshop_id:
        errors["product"] = _("Only services of a workshop can be booked by date.")
    if quantity is None or quantity < 1:
        errors["quantity"] = _("Book at least one unit.")
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = _("Book at most %(max)d units per date.") % {"max": MAX_QUANTITY}
    if weeks is None or not 1 <= weeks <= MAX_WEEKS:
        errors["weeks"] = _("Repeat for 1 to %(max)d weeks.") % {"max": MAX_WEEKS}
    if first_date is None or first_date <= today():
        errors["first_date"] = _("Book from tomorrow on: the workshop needs a day to prepare.")
    elif (first_date - today()).days > MAX_DAYS_AHEAD:
        errors["first_date"] = _("Book at most a year ahead.")
    return errors


def booking_check_capacity(*, workshop, dates, quantity) -> list[DayShort]:
    """Under the days' locks: the dates that cannot take ``quantity`` more units."""
    capacity = ServiceCapacity.objects.filter(workshop=workshop).first()
    limit = capacity.units_per_day if capacity else 0
    days = _days_locked(workshop=workshop, dates=dates)
    booked = units_booked(days=days)
    return [
        DayShort(day.date, max(limit - booked.get(day.pk, 0), 0))
        for day in days
        if booked.get(day.pk, 0) + quantity > limit
    ]


def _short_message(short: list[DayShort]) -> str:
    days = ", ".join(
        _("%(date)s (%(left)d left)") % {"date": s.date.strftime("%d-%m-%Y"), "left": s.left}
        for s in short
    )
    return _(
        "The workshop is fully booked on %(days)s. Choose another date or a smaller quantity."
    ) % {"days": days}


def _organisation_check(*, user, provider, lapas, total):
    """The buyer's approved organisation (None for a private buyer). On invoice terms:
    only for an organisation that has them, and within its credit limit."""
    from shop.institutions.selectors import (
        approved_organisation_for_user,
        organisation_open_exposure,
    )

    organisation = approved_organisation_for_user(user)
    if provider.identifier == "invoice":
        if organisation is None or not organisation.pays_by_invoice:
            raise BookingError(
                {"payment_method": _("Only organisations with invoice terms can pay later.")}
            )
        owed = organisation_open_exposure(organisation)
        if owed + total > organisation.credit_limit:
            raise BookingError(
                {
                    "payment_method": _(
                        "This booking (%(total)s) would take %(name)s over its credit limit of "
                        "%(limit)s (%(owed)s still owed). Book fewer dates or pay by transfer."
                    )
                    % {
                        "total": rupiah(total),
                        "name": organisation.name,
                        "limit": rupiah(organisation.credit_limit),
                        "owed": rupiah(owed),
                    }
                }
            )
    elif provider.identifier == "bank_transfer" and not lapas.accepts_bank_transfer:
        raise BookingError({"payment_method": _("This Lapas does not take bank transfers.")})
    return organisation


def _institutional_orders(*, orders, organisation, booking) -> None:
    """Each date's order is the organisation's (its account, invoices, exposure)."""
    from shop.institutions.models import InstitutionalOrder

    InstitutionalOrder.objects.bulk_create(
        [
            InstitutionalOrder(
                order=order,
                organisation=organisation,
                po_number=booking.number,
                payment_terms=organisation.payment_terms,
                payment_days=organisation.payment_days if organisation.pays_by_invoice else None,
            )
            for order in orders
        ]
    )


def rupiah(amount) -> str:
    from oscar.templatetags.currency_filters import currency

    return currency(amount)


def _booking_number(booking) -> str:
    return f"JS{booking.pk:06d}"


def booking_create(
    *,
    user,
    product,
    quantity: int,
    first_date: date,
    weeks: int = 1,
    provider,
    notes: str = "",
    language: str = "",
) -> ServiceBooking:
    """Book a service: check the request, lock the workshop's days, refuse a day that
    would be overbooked (naming it), then record the booking and place one order per date
    through the one sale pipeline with ``provider`` (bank transfer, or the organisation's
    invoice). All or nothing."""
    from shop.apps.order import placement

    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to book a service."))
    errors = _check_request(product=product, quantity=quantity, first_date=first_date, weeks=weeks)
    if errors:
        raise BookingError(errors)
    workshop = product.workshop
    lapas = workshop.lapas
    info = Selector().strategy(user=user).fetch_for_product(product)
    if (
        not product.is_public
        or info.stockrecord is None
        or info.stockrecord.partner_id != lapas.pk
        or not info.price.exists
    ):
        raise BookingError({"product": _("This service cannot be booked at the moment.")})
    dates = booking_dates(first_date=first_date, weeks=weeks)
    notes = (notes or "").strip()[:1000]
    organisation = _organisation_check(
        user=user, provider=provider, lapas=lapas, total=info.price.incl_tax * quantity * weeks
    )

    def work():
        short = booking_check_capacity(workshop=workshop, dates=dates, quantity=quantity)
        if short:
            raise BookingError({"first_date": _short_message(short)})
        booking = ServiceBooking.objects.create(
            number=f"tmp-{uuid4().hex[:12]}",
            user=user,
            product=product,
            workshop=workshop,
            quantity=quantity,
            first_date=first_date,
            weeks=weeks,
            payment_method=provider.identifier,
            notes=notes,
        )
        booking.number = _booking_number(booking)
        booking.save(update_fields=["number"])
        days = {
            day.date: day for day in ServiceDay.objects.filter(workshop=workshop, date__in=dates)
        }
        now = timezone.now()
        drafts = [
            placement.OrderDraft(
                number=f"{booking.number}-{index:02d}",
                lapas=lapas,
                user=user,
                language=language,
                date_placed=now,
                lines=[
                    placement.LineDraft(
                        product=product,
                        quantity=quantity,
                        unit_price_incl_tax=info.price.incl_tax,
                        unit_price_excl_tax=info.price.excl_tax,
                        stockrecord=info.stockrecord,
                    )
                ],
            )
            for index, _day in enumerate(dates, start=1)
        ]
        orders = placement.orders_place(drafts=drafts, provider=provider, user=None)
        if organisation is not None:
            _institutional_orders(orders=orders, organisation=organisation, booking=booking)
        ServiceOccurrence.objects.bulk_create(
            [
                ServiceOccurrence(
                    booking=booking, day=days[day], date=day, quantity=quantity, order=order
                )
                for day, order in zip(dates, orders, strict=True)
            ]
        )
        return booking

    try:
        booking = placement.with_lock_retry(work)
    except placement.StockBusy:
        raise BookingError(
            _("Many bookings are being made for these days right now: please try again.")
        ) from None
    from ..tasks import booking_notify

    transaction.on_commit(lambda: booking_notify.delay(booking.pk))
    return booking


@transaction.atomic
def occurrence_cancel(*, occurrence_id: int, user) -> bool:
    """Cancel one future date of a booking: its order is cancelled and the day's capacity
    freed. The buyer's own (or their Lapas's staff); at the latest the day before. Returns
    False when it was cancelled already (a second click)."""
    from shop.apps.order.services import order_cancel

    occurrence = (
        ServiceOccurrence.objects.select_for_update(of=("self",))
        .select_related("booking__workshop__lapas")
        .get(pk=occurrence_id)
    )
    booking = occurrence.booking
    if booking.user_id != user.pk and not user_may_manage_lapas(
        user=user, lapas=booking.workshop.lapas
    ):
        raise PermissionDenied(_("This booking is not yours."))
    if occurrence.status == ServiceOccurrence.Status.CANCELLED:
        return False
    if occurrence.date <= today():
        raise BookingError(
            _(
                "The date of %(date)s can no longer be cancelled: cancel at the latest the day before."
            )
            % {"date": occurrence.date.strftime("%d-%m-%Y")}
        )
    order = Order.objects.select_for_update().get(pk=occurrence.order_id)
    if order.status not in FREED:
        if statuses.CANCELLED not in order.available_statuses():
            raise BookingError(
                _("The order of this date is %(status)s: ask the Lapas to cancel and refund it.")
                % {"status": statuses.label(order.status)}
            )
        order_cancel(order_id=order.pk, user=user, reason=_("The service date was cancelled."))
    occurrence.status = ServiceOccurrence.Status.CANCELLED
    occurrence.cancelled_at = timezone.now()
    occurrence.save(update_fields=["status", "cancelled_at"])
    return True


@transaction.atomic
def capacity_set(*, workshop, units_per_day: int, user) -> ServiceCapacity:
    """Set a workshop's daily capacity (its own Lapas's staff). Lowering it below what is
    booked on a day keeps those bookings; only new ones are refused."""
    if not user_may_manage_lapas(user=user, lapas=workshop.lapas):
        raise PermissionDenied(_("You may only manage the workshops of your own Lapas."))
    if units_per_day is None or not 0 <= units_per_day <= 1_000_000:
        raise BookingError({"units_per_day": _("Enter a capacity from 0 to 1.000.000 units.")})
    capacity, _created = ServiceCapacity.objects.update_or_create(
        workshop=workshop, defaults={"units_per_day": units_per_day, "updated_by": user}
    )
    return capacity
