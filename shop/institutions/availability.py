"""Products reserved for internal needs, as the partner Strategy sees them: the set of
active reservations is read once per change (shared cache), so a listing page costs no
query per product; the buyer's organisation is read only for a reserved product."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability

from shop.apps.core import shared_cache


class ReservedForInternalNeeds(availability.Base):
    """Not for sale to this buyer until the reservation ends."""

    code = "unavailable"

    def __init__(self, until):
        self.until = until

    @property
    def message(self):
        return _("Reserved for the internal needs of correctional units until %(date)s.") % {
            "date": formats.date_format(self.until, "SHORT_DATE_FORMAT")
        }

    @property
    def short_message(self):
        return _("Reserved for correctional units")

    def is_purchase_permitted(self, quantity):
        return False, self.message


def active_reservations() -> dict:
    """{product id: reserved until} of every reservation still running today."""
    from .models import ProductReservation

    today = timezone.localdate()

    def read():
        return dict(
            ProductReservation.objects.filter(reserved_until__gte=today).values_list(
                "product_id", "reserved_until"
            )
        )

    return shared_cache.get_local("institutions-reservations", read, today.isoformat())


def reserved_availability(*, product, user, available):
    """``available`` (the Strategy's own verdict) unless the product is reserved for
    internal needs and ``user`` does not buy for a correctional unit."""
    if not available.is_available_to_buy:
        return available
    until = active_reservations().get(product.pk)
    if until is None:
        return available
    from .selectors import user_is_internal_buyer

    if user is not None and user_is_internal_buyer(user):
        return available
    return ReservedForInternalNeeds(until)


def _reservation_changed(sender, **kwargs) -> None:
    shared_cache.invalidate()


def connect() -> None:
    """A reservation set or cleared shows on the next page view in every process. (A
    module-level receiver: signals hold their receivers weakly.)"""
    from .models import ProductReservation

    shared_cache.connect_writes(
        [ProductReservation], _reservation_changed, uid="karya-institutions-reservations"
    )
