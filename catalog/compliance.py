"""The label-compliance gate: every rule about which facts a product needs before it may
be published (``is_public``) lives in this module, and nowhere else.

Three rule sets, chosen by the product class:

* **food** (``ProductClass.is_food``): licence number (P-IRT or BPOM MD/ML), ingredients,
  net quantity with unit, shelf life, and, if the product claims halal, a halal
  certificate number with an expiry date that has not passed;
* **goods** (other classes that are shipped): net quantity with unit and the material
  the goods are made of (the composition field);
* **services** (classes that are not shipped: laundry, catering, car wash): nothing,
  because nothing is packed or labelled.

Anything that is shipped also needs its gross weight in grams, which shipping uses.

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

RULES_FOOD = "food"
RULES_GOODS = "goods"
RULES_SERVICE = "service"


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
