"""Reads of institutional buyers and their quotes, scoped on the server: a buyer sees
their own organisation's quotes, Lapas staff the quotes asked of their own Lapas."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone

from shop.apps.order import statuses

from .models import (
    InstitutionalOrder,
    Organisation,
    OrganisationMember,
    ProductReservation,
    Quote,
    QuoteLine,
)

ZERO = Decimal("0")


# --- organisations -------------------------------------------------------------------------


def organisation_for_user(user) -> Organisation | None:
    """The organisation ``user`` buys for (whatever its status), or None."""
    if user is None or not user.is_authenticated:
        return None
    membership = OrganisationMember.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership is not None else None


def approved_organisation_for_user(user) -> Organisation | None:
    """The organisation ``user`` buys for, if central staff approved it."""
    organisation = organisation_for_user(user)
    return organisation if organisation is not None and organisation.is_approved else None


def user_is_organisation_buyer(user) -> bool:
    """Policy check: a member of an approved organisation."""
    return approved_organisation_for_user(user) is not None


def organisation_of_order(order) -> Organisation | None:
    """The organisation an order was placed for (an accepted quote, a service booking),
    or None for an ordinary sale."""
    row = (
        InstitutionalOrder.objects.select_related("organisation")
        .filter(order_id=getattr(order, "pk", order))
        .first()
    )
    return row.organisation if row is not None else None


def institutional_order_of(order) -> InstitutionalOrder | None:
    """The institutional row of an order (organisation, quote, PO number and document)."""
    return (
        InstitutionalOrder.objects.select_related("organisation", "quote")
        .filter(order_id=getattr(order, "pk", order))
        .first()
    )


def organisation_list(*, status: str | None = None):
    rows = Organisation.objects.prefetch_related("members__user")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "-requested_at", "pk")


def organisation_get(*, pk: int) -> Organisation:
    try:
        return Organisation.objects.prefetch_related("members__user").get(pk=pk)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing


def organisation_open_exposure_fallback(organisation) -> Decimal:
    """What the organisation owes on invoice terms now: the totals of its orders placed on
    invoice terms that are neither paid nor cancelled. (The invoicing app's own selector of
    open invoices replaces this where it is installed; see ``organisation_open_exposure``.)"""
    total = (
        InstitutionalOrder.objects.filter(
            organisation=organisation,
            payment_terms=Organisation.PaymentTerms.INVOICE,
            order__recorded_payment__isnull=True,
        )
        .exclude(order__status=statuses.CANCELLED)
        .aggregate(total=Sum("order__total_incl_tax"))["total"]
    )
    return total or ZERO


def organisation_open_exposure(organisation) -> Decimal:
    """What the organisation owes now, as the credit limit counts it: the invoicing app's
    open invoices when it provides them, else the unpaid orders on invoice terms."""
    try:
        from shop.invoicing.selectors import organisation_open_exposure as invoicing_exposure
    except ImportError:
        return organisation_open_exposure_fallback(organisation)
    return invoicing_exposure(organisation)


# --- reservations for internal needs -------------------------------------------------------


def active_reservation_of(product, today=None) -> ProductReservation | None:
    today = today or timezone.localdate()
    return ProductReservation.objects.filter(product=product, reserved_until__gte=today).first()


def reserved_product_ids(product_ids, today=None) -> dict[int, object]:
    """{product id: reserved until} for the products among ``product_ids`` reserved for
    internal needs today."""
    today = today or timezone.localdate()
    return dict(
        ProductReservation.objects.filter(
            product_id__in=list(product_ids), reserved_until__gte=today
        ).values_list("product_id", "reserved_until")
    )


def user_is_internal_buyer(user) -> bool:
    organisation = approved_organisation_for_user(user)
    return organisation is not None and organisation.is_internal


# --- quotes --------------------------------------------------------------------------------


def _quote_rows():
    return Quote.objects.select_related("organisation", "lapas").prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.select_related("product", "workshop")),
        "attachments",
        "orders__order",
    )


STATE_FILTERS = {
    "requested": Q(status=Quote.Status.REQUESTED),
    "sent": Q(status=Quote.Status.SENT),
    "accepted": Q(status=Quote.Status.ACCEPTED),
    "closed": Q(status__in=(Quote.Status.REJECTED, Quote.Status.DECLINED, Quote.Status.WITHDRAWN)),
}


def buyer_quote_list(*, user):
    """The quotes of the user's organisation, newest first (none without one)."""
    organisation = organisation_for_user(user)
    if organisation is None:
        return Quote.objects.none()
    return _quote_rows().filter(organisation=organisation)


def buyer_quote_get(*, user, pk: int) -> Quote:
    """A quote of the user's organisation; 404 for anybody else's."""
    quote = buyer_quote_list(user=user).filter(pk=pk).first()
    if quote is None:
        raise Http404
    return quote


def lapas_ids_of(user) -> list[int] | None:
    """The Lapas a staff member acts for; None for central admins (every Lapas)."""
    if user.is_superuser:
        return None
    return list(user.partners.values_list("pk", flat=True))


def lapas_quote_list(*, user, state: str = ""):
    """The quotes asked of the user's Lapas (every Lapas for central admins)."""
    rows = _quote_rows()
    lapas_ids = lapas_ids_of(user)
    if lapas_ids is not None:
        rows = rows.filter(lapas_id__in=lapas_ids)
    if state in STATE_FILTERS:
        rows = rows.filter(STATE_FILTERS[state])
    return rows


def lapas_quote_get(*, user, pk: int) -> Quote:
    """A quote of the user's Lapas; 404 for another Lapas's."""
    quote = lapas_quote_list(user=user).filter(pk=pk).first()
    if quote is None:
        raise Http404
    return quote


def quote_orders(quote) -> list:
    return [row.order for row in quote.orders.all()]
