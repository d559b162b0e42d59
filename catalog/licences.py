"""The licences a product holds, with the dates they lapse.

Four kinds of paper stand behind a product: its food licence (P-IRT, BPOM MD/ML, or PSAT
for fresh produce), a halal certificate and an SNI certificate. The numbers and dates are
fields of the product (they are label facts, printed and judged with the rest); this
module says which licences a product has and when each expires, for the compliance gate,
the daily sweep and its warnings.

A P-IRT is valid for five years: from its issue date when that is known; else its number
tells the year it expires (the last two digits), and it is taken as valid to the end of
that year.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .choices import LicenceType

FOOD_LICENCE = "licence"
HALAL = "halal"
SNI = "sni"
PIRT_VALID_YEARS = 5
# Days before expiry at which the Lapas is warned, the earliest first.
WARNING_DAYS = (60, 30)

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Licence:
    kind: str  # FOOD_LICENCE, HALAL or SNI
    name: object  # what it is, for people (lazy: read in the language of the reader)
    number: str
    expires_on: date | None
    field: str  # the product field that holds its expiry


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def pirt_expiry(*, number: str, issued_on: date | None) -> date | None:
    if issued_on is not None:
        return add_years(issued_on, PIRT_VALID_YEARS) - timedelta(days=1)
    digits = "".join(_DIGITS.findall(number or ""))
    if len(digits) < 2:
        return None
    return date(2000 + int(digits[-2:]), 12, 31)


def food_licence_expiry(product) -> date | None:
    if product.licence_expires_on is not None:
        return product.licence_expires_on
    if product.licence_type == LicenceType.PIRT and product.licence_number:
        return pirt_expiry(number=product.licence_number, issued_on=product.licence_issued_on)
    return None


def licence_list(product) -> list[Licence]:
    """The licences ``product`` holds (whatever its kind), each with its expiry."""
    found = []
    if product.licence_number and product.licence_type:
        found.append(
            Licence(
                FOOD_LICENCE,
                LicenceType(product.licence_type).label,
                product.licence_number,
                food_licence_expiry(product),
                "licence_expires_on",
            )
        )
    if product.halal_claimed and product.halal_certificate_number:
        found.append(
            Licence(
                HALAL,
                _("halal certificate"),
                product.halal_certificate_number,
                product.halal_certificate_expiry,
                "halal_certificate_expiry",
            )
        )
    if product.sni_number:
        found.append(
            Licence(
                SNI,
                _("SNI certificate"),
                product.sni_number,
                product.sni_certificate_expiry,
                "sni_certificate_expiry",
            )
        )
    return found


def expired_licences(product, *, today: date) -> list[Licence]:
    return [
        licence
        for licence in licence_list(product)
        if licence.expires_on is not None and licence.expires_on < today
    ]


def expiring_licences(product, *, today: date) -> list[tuple[Licence, int]]:
    """(licence, threshold) for each licence expiring within the warning window: the
    threshold is the smallest of WARNING_DAYS the days left still fit in."""
    due = []
    for licence in licence_list(product):
        if licence.expires_on is None or licence.expires_on < today:
            continue
        left = (licence.expires_on - today).days
        fitting = [days for days in WARNING_DAYS if left <= days]
        if fitting:
            due.append((licence, min(fitting)))
    return due


def licence_candidates():
    """Public products holding any licence: what the daily sweep looks at."""
    from django.db.models import Q
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    return (
        Product.objects.filter(is_public=True)
        .filter(
            ~Q(licence_number="")
            | Q(halal_claimed=True, halal_certificate_number__gt="")
            | ~Q(sni_number="")
        )
        .select_related("product_class", "parent__product_class")
        .order_by("pk")
    )
