"""Shipping methods offered at checkout. Oscar stores the chosen method's code and name on
the order (``shipping_code``, ``shipping_method``) and its charge in the shipping fields."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.shipping import methods
from oscar.core import prices
from oscar.templatetags.currency_filters import currency

from shop.apps.shipping import selectors
from shop.apps.shipping.zones import Zone

Base = methods.Base
Free = methods.Free
NoShippingRequired = methods.NoShippingRequired
FixedPrice = methods.FixedPrice
OfferDiscount = methods.OfferDiscount
TaxExclusiveOfferDiscount = methods.TaxExclusiveOfferDiscount
TaxInclusiveOfferDiscount = methods.TaxInclusiveOfferDiscount

COURIER_CODE = "courier"
TO_BE_CALCULATED_CODE = "shipping-to-be-calculated"


def _price(basket, amount) -> prices.Price:
    # Shipping carries no tax: the charge is the same with and without it.
    return prices.Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)


class Courier(Base):
    """Delivery to the buyer's address: one parcel per Lapas, each at its zone's rate."""

    code = COURIER_CODE
    name = gettext_lazy("Courier to your address")

    def __init__(self, parcels: list[selectors.Parcel]):
        self.parcels = parcels

    @property
    def charge(self) -> Decimal:
        return sum((parcel.charge for parcel in self.parcels), Decimal("0"))

    @property
    def description(self):
        rows = []
        for parcel in self.parcels:
            weight = number_format(parcel.weight_kg, decimal_pos=2)
            text = _("%(lapas)s: %(weight)s kg, %(zone)s, %(charge)s") % {
                "lapas": parcel.lapas.display_name,
                "weight": weight,
                "zone": Zone(parcel.zone).label,
                "charge": currency(parcel.charge),
            }
            if parcel.estimated:
                text += " " + _("(weight partly estimated)")
            rows.append((text,))
        intro = _("Each Lapas sends its own parcel.") if len(self.parcels) > 1 else ""
        return format_html(
            "{}<ul class='shipping-parcels'>{}</ul>",
            intro,
            format_html_join("", "<li>{}</li>", rows),
        )

    def calculate(self, basket):
        return _price(basket, self.charge)


class GalleryPickup(Free):
    """Free pickup at a gallery of the Lapas; the order goes to "Ready for pickup"."""

    def __init__(self, location):
        self.location = location
        self.code = selectors.pickup_code(location)
        place = f"{location.name}, {location.city}" if location.city else location.name
        self.name = _("Pick up at %(gallery)s") % {"gallery": place}

    @property
    def description(self):
        return format_html(
            "{} {}",
            _("Free. We e-mail you when your order is ready; bring your order number."),
            _("Gallery of %(lapas)s.") % {"lapas": self.location.lapas.display_name},
        )


class ToBeCalculated(Base):
    """Shown on the basket page before the buyer has given an address. Never placed:
    checkout always asks for the address before it offers methods."""

    code = TO_BE_CALCULATED_CODE
    name = gettext_lazy("Shipping is calculated at checkout")
    description = gettext_lazy(
        "By the weight of your goods and the distance from each Lapas to your province; "
        "pickup at a gallery is free where offered."
    )

    def calculate(self, basket):
        return _price(basket, Decimal("0"))
