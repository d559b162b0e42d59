"""The label-compliance gate: every rule about which facts a product needs before it may
be published (``is_public``) lives in this module, and nowhere else.

Three rule sets, chosen by the product class:

* **food** (``ProductClass.is_food``): licence number (P-IRT, BPOM MD/ML or PSAT) that
  has not expired (catalog.licences knows the dates), ingredients,
  net quantity with unit, shelf life, and, if the product claims halal, a halal
  certificate number with an expiry date that has not passed;
* **goods** (other classes that are shipped): net quantity with unit and the material
  the goods are made of (the composition field);
* **services** (classes that are not shipped: laundry, catering, car wash): nothing,
  because nothing is packed or labelled.

Anything that is shipped also needs its gross weight in grams, which shipping uses; an
SNI mark whose certificate has expired blocks any product.

Outside publishing, the point of sale asks :func:`sale_refusal` before selling.

Format rules (what a P-IRT number looks like, …) are catalog.validators'; this module
only asks whether the facts are there. Every publishing path (dashboard form, bulk
action, Django admin, services, the daily halal check) goes through
:func:`missing_facts`.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import licences
from .choices import LicenceType

RULES_FOOD = "food"
RULES_GOODS = "goods"
RULES_SERVICE = "service"
# The facts that lapse with time: a product published with them may lose them any day.
EXPIRY_FIELDS = {"licence_expires_on", "halal_certificate_expiry", "sni_certificate_expiry"}


@dataclass(frozen=True)
class MissingFact:
    field: str  # the Product field to fill in
    label: str  # what is missing, as a short phrase

    def __str__(self):
        return str(self.label)


def rule_set(product) -> str:
    product_class = product.get_product_class()
    if product_class is not None and product_class.is_food:
        return RULES_FOOD
    if product_class is not None and not product_class.requires_shipping:
        return RULES_SERVICE
    return RULES_GOODS


def missing_facts(product, *, today: date | None = None) -> list[MissingFact]:
    """The facts ``product`` still lacks to be published, in label order; [] if none."""
    today = today or timezone.localdate()
    rules = rule_set(product)
    missing: list[MissingFact] = []
    if rules == RULES_SERVICE:
        return missing
    if rules == RULES_FOOD:
        if not product.licence_number:
            missing.append(MissingFact("licence_number", _("licence number (P-IRT or BPOM)")))
        elif not product.licence_type:
            missing.append(MissingFact("licence_type", _("licence type")))
        else:
            missing += _licence_missing(product, today)
        if not (product.ingredients or "").strip():
            missing.append(MissingFact("ingredients", _("ingredients")))
    if product.net_quantity is None or not product.net_quantity_unit:
        missing.append(MissingFact("net_quantity", _("net quantity with its unit")))
    if rules == RULES_GOODS and not (product.ingredients or "").strip():
        missing.append(MissingFact("ingredients", _("material (what the goods are made of)")))
    if rules == RULES_FOOD:
        if not product.shelf_life_days:
            missing.append(MissingFact("shelf_life_days", _("shelf life in days")))
        if product.halal_claimed:
            missing += _halal_missing(product, today)
    missing += _sni_missing(product, today)
    if product.is_shipping_required and not product.gross_weight_grams:
        missing.append(
            MissingFact("gross_weight_grams", _("gross weight in grams (shipping uses it)"))
        )
    return missing


def _halal_missing(product, today: date) -> list[MissingFact]:
    if not product.halal_certificate_number:
        return [MissingFact("halal_certificate_number", _("halal certificate number"))]
    expiry = product.halal_certificate_expiry
    if expiry is None:
        return [MissingFact("halal_certificate_expiry", _("halal certificate expiry date"))]
    if expiry < today:
        return [
            MissingFact(
                "halal_certificate_expiry",
                _("a halal certificate that has not expired (it expired on %(date)s)")
                % {"date": date_format(expiry)},
            )
        ]
    return []


def _licence_missing(product, today: date) -> list[MissingFact]:
    # A licence's dates are catalog.licences' (a P-IRT's follow from its issue date or
    # its number); PSAT has no such rule, so its expiry must be entered.
    expiry = licences.food_licence_expiry(product)
    if expiry is None and product.licence_type == LicenceType.PSAT:
        return [MissingFact("licence_expires_on", _("licence expiry date"))]
    if expiry is not None and expiry < today:
        return [
            MissingFact(
                "licence_expires_on",
                _("a licence that has not expired (%(licence)s expired on %(date)s)")
                % {"licence": LicenceType(product.licence_type).label, "date": date_format(expiry)},
            )
        ]
    return []


def _sni_missing(product, today: date) -> list[MissingFact]:
    expiry = product.sni_certificate_expiry
    if product.sni_number and expiry is not None and expiry < today:
        return [
            MissingFact(
                "sni_certificate_expiry",
                _("an SNI certificate that has not expired (it expired on %(date)s)")
                % {"date": date_format(expiry)},
            )
        ]
    return []


def is_publishable(product, *, today: date | None = None) -> bool:
    return not missing_facts(product, today=today)


def refusal_message(product, missing: list[MissingFact]) -> str:
    """One sentence naming everything that is missing, for forms, messages and e-mails."""
    facts = ", ".join(str(fact) for fact in missing)
    if rule_set(product) == RULES_FOOD:
        return _(
            "This food product cannot be published until its label is complete. Missing: %(facts)s."
        ) % {"facts": facts}
    return _("This product cannot be published yet. Missing: %(facts)s.") % {"facts": facts}


def publishing_errors(product, *, today: date | None = None) -> dict[str, list[str]] | None:
    """Form errors for a product about to be (or stay) public: the summary on
    ``is_public`` and one line under each field to fill in; None if it may be public."""
    missing = missing_facts(product, today=today)
    if not missing:
        return None
    errors = {"is_public": [refusal_message(product, missing)]}
    for fact in missing:
        errors.setdefault(fact.field, []).append(
            _("Needed before this product can be published: %(fact)s.") % {"fact": fact}
        )
    return errors


def check_publishable(product, *, today: date | None = None) -> None:
    """Raise ValidationError (by field) unless ``product`` may be public."""
    errors = publishing_errors(product, today=today)
    if errors:
        raise ValidationError(errors)


def sale_refusal(product, *, today: date | None = None) -> str:
    """Why ``product`` may not be sold at the till now, for the cashier; "" if it may.

    The till sells only what the shop may publish: a product withdrawn (by staff, or by
    the daily sweep when a licence expired) is refused; so is food lacking any fact of its
    label, and anything whose licence or certificate has expired (before the sweep has
    run). Other goods' facts (net quantity, material, gross weight) serve the online
    listing and shipping, and were checked when the product was published."""
    if not product.is_public:
        return _(
            "“%(title)s” has been withdrawn from sale and cannot be sold. Put it aside and "
            "tell the workshop staff."
        ) % {"title": product.get_title()}
    missing = missing_facts(product, today=today)
    if rule_set(product) != RULES_FOOD:
        missing = [fact for fact in missing if fact.field in EXPIRY_FIELDS]
    if missing:
        return _(
            "“%(title)s” cannot be sold: its label or licence is not in order (%(facts)s). "
            "Put it aside and tell the workshop staff."
        ) % {"title": product.get_title(), "facts": ", ".join(str(fact) for fact in missing)}
    return ""
