"""Format rules for packaging and label facts. Each message names the field it is about,
so it reads well under the field in a form and on its own in an API error or a log.

Whether a product has *enough* facts to be sold is another question, answered by
catalog.compliance; these rules only say whether what was entered is well formed.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .choices import LicenceType

PIRT_MIN_DIGITS = 15
_SEPARATORS = re.compile(r"[\s.\-/]")
_BPOM = re.compile(r"^(MD|ML)\d{6,20}$")
_PSAT = re.compile(r"^(PSAT)?(PD|PL)\d{8,20}$")
_HALAL = re.compile(r"^(ID)?\d{10,30}$")
_SNI = re.compile(r"^SNI (ISO |IEC |ISO/IEC )?\d{1,5}(-\d{1,4})*(:\d{4})?$")


def validate_positive(value):
    if value is not None and value <= 0:
        raise ValidationError(_("Enter a number above zero."), code="not_positive")


def validate_pirt_number(value: str) -> None:
    digits = _SEPARATORS.sub("", value or "")
    if not digits.isdigit() or len(digits) < PIRT_MIN_DIGITS:
        raise ValidationError(
            _(
                "Licence number: a P-IRT number has at least %(count)d digits "
                "(e.g. 2063271010123-25)."
            ),
            params={"count": PIRT_MIN_DIGITS},
            code="pirt",
        )


def validate_bpom_number(value: str) -> None:
    compact = _SEPARATORS.sub("", (value or "").upper())
    if not _BPOM.match(compact):
        raise ValidationError(
            _(
                "Licence number: a BPOM number is MD or ML followed by its digits "
                "(e.g. MD 224510001234)."
            ),
            code="bpom",
        )


def validate_psat_number(value: str) -> None:
    compact = _SEPARATORS.sub("", (value or "").upper())
    if not _PSAT.match(compact):
        raise ValidationError(
            _(
                "Licence number: a PSAT registration (fresh produce) is PD or PL followed by "
                "its digits (e.g. PSAT PD 3374010012345)."
            ),
            code="psat",
        )


def validate_halal_number(value: str) -> None:
    compact = _SEPARATORS.sub("", (value or "").upper())
    if value and not _HALAL.match(compact):
        raise ValidationError(
            _(
                "Halal certificate number: 10 to 30 digits, optionally starting with ID "
                "(e.g. ID00110000123450122)."
            ),
            code="halal",
        )


def validate_sni_number(value: str) -> None:
    if value and not _SNI.match(" ".join(value.split())):
        raise ValidationError(
            _("SNI number: SNI, the standard's number and its year (e.g. SNI 8100:2015)."),
            code="sni",
        )


def label_errors(product) -> dict[str, list]:
    """Errors between fields of one product's label and packaging, by field name."""
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if product.licence_number:
        if product.licence_type == LicenceType.PIRT:
            _collect(add, "licence_number", validate_pirt_number, product.licence_number)
        elif product.licence_type == LicenceType.BPOM:
            _collect(add, "licence_number", validate_bpom_number, product.licence_number)
        elif product.licence_type == LicenceType.PSAT:
            _collect(add, "licence_number", validate_psat_number, product.licence_number)
        else:
            add(
                "licence_type",
                _("Licence type: choose P-IRT, BPOM or PSAT for this licence number."),
            )
    _licence_date_errors(product, add)
    if product.halal_certificate_number and not product.halal_certificate_expiry:
        add(
            "halal_certificate_expiry",
            _("Halal certificate expiry: enter the date the certificate expires."),
        )
    if product.halal_certificate_expiry and not product.halal_certificate_number:
        add(
            "halal_certificate_number",
            _("Halal certificate number: enter the number of the certificate."),
        )
    if product.net_quantity is not None and not product.net_quantity_unit:
        add("net_quantity_unit", _("Net quantity unit: choose g, kg, ml, l or pcs."))
    if product.net_quantity_unit and product.net_quantity is None:
        add("net_quantity", _("Net quantity: enter the amount for this unit."))
    sizes = {"length_cm": product.length_cm, "width_cm": product.width_cm}
    sizes["height_cm"] = product.height_cm
    if any(v is not None for v in sizes.values()):
        for field, value in sizes.items():
            if value is None:
                add(field, _("Dimensions: enter length, width and height together, in cm."))
    return errors


def _licence_date_errors(product, add) -> None:
    from django.utils import timezone

    from .licences import PIRT_VALID_YEARS, add_years

    issued = product.licence_issued_on
    expires = product.licence_expires_on
    if (issued or expires) and not product.licence_number:
        add("licence_number", _("Licence number: enter the number these dates belong to."))
    if issued and issued > timezone.localdate():
        add("licence_issued_on", _("Licence issue date: it cannot be in the future."))
    if issued and expires and expires <= issued:
        add("licence_expires_on", _("Licence expiry: it must be after the issue date."))
    elif (
        issued
        and expires
        and product.licence_type == LicenceType.PIRT
        and expires > add_years(issued, PIRT_VALID_YEARS)
    ):
        add(
            "licence_expires_on",
            _("Licence expiry: a P-IRT is valid for %(years)d years from its issue date.")
            % {"years": PIRT_VALID_YEARS},
        )
    if product.licence_type == LicenceType.PSAT and product.licence_number and not expires:
        add(
            "licence_expires_on", _("Licence expiry: enter the date the PSAT registration expires.")
        )
    if product.sni_certificate_expiry and not product.sni_number:
        add("sni_number", _("SNI number: enter the standard the certificate is for."))


def _collect(add, field, validator, value):
    try:
        validator(value)
    except ValidationError as error:
        for message in error.messages:
            add(field, message)


def plain_number(value: Decimal) -> str:
    """500.000 → "500", 1.500 → "1,5" (in Indonesian): no trailing zeros, no exponent."""
    return number_format(Decimal(format(Decimal(value).normalize(), "f")))
