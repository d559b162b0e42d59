"""What a product's QC checklist is, and how an inspection's findings are judged.

A product inherits its kind's checklist; items of its own replace the kind's item of the
same code or add to it. A kind without items in the database falls back on the defaults
in checklists.yaml (by its slug, else by its compliance rule set), so a new kind is never
inspected against nothing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.formats import number_format
from django.utils.translation import gettext as _

CHECKLISTS_FILE = Path(__file__).with_name("checklists.yaml")


@dataclass(frozen=True)
class SpecItem:
    code: str
    label: str
    kind: str = "check"
    required: bool = True
    source: str = ""
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @property
    def is_measure(self) -> bool:
        return self.kind == "measure"

    @property
    def limits_display(self) -> str:
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        low = f"{_plain(self.min_value)}{unit}" if self.min_value is not None else ""
        high = f"{_plain(self.max_value)}{unit}" if self.max_value is not None else ""
        if low and high:
            return f"{low} … {high}"
        if low:
            return _("at least %(value)s") % {"value": low}
        return _("at most %(value)s") % {"value": high} if high else ""


@dataclass(frozen=True)
class Finding:
    item: SpecItem
    checked: bool
    value: Decimal | None
    ok: bool
    reason: str


def _plain(value: Decimal) -> str:
    return number_format(Decimal(format(Decimal(value).normalize(), "f")))


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def item_from_data(data: dict) -> SpecItem:
    return SpecItem(
        code=str(data["code"]),
        label=str(data["label"]),
        kind=data.get("kind", "check"),
        required=bool(data.get("required", True)),
        source=str(data.get("source") or ""),
        unit=str(data.get("unit") or ""),
        min_value=_decimal(data.get("min")),
        max_value=_decimal(data.get("max")),
    )


@lru_cache(maxsize=4)
def checklist_defaults(path: str = str(CHECKLISTS_FILE)) -> dict:
    """{"rule_sets": {name: [SpecItem]}, "kinds": {slug: [SpecItem]}} from the data file."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    rule_sets = {
        name: [item_from_data(item) for item in items]
        for name, items in (data.get("rule_sets") or {}).items()
    }
    kinds = {}
    for slug, items in (data.get("kinds") or {}).items():
        kinds[slug] = (
            rule_sets[items] if isinstance(items, str) else [item_from_data(i) for i in items]
        )
    return {"rule_sets": rule_sets, "kinds": kinds}


def _from_row(row) -> SpecItem:
    return SpecItem(
        code=row.code,
        label=row.label,
        kind=row.kind,
        required=row.required,
        source=row.source,
        unit=row.unit,
        min_value=row.min_value,
        max_value=row.max_value,
    )


def kind_defaults(product_class) -> list[SpecItem]:
    from catalog.compliance import RULES_FOOD, RULES_GOODS, RULES_SERVICE

    defaults = checklist_defaults()
    if product_class is not None and product_class.slug in defaults["kinds"]:
        return defaults["kinds"][product_class.slug]
    if product_class is not None and product_class.is_food:
        rules = RULES_FOOD
    elif product_class is not None and not product_class.requires_shipping:
        rules = RULES_SERVICE
    else:
        rules = RULES_GOODS
    return defaults["rule_sets"].get(rules, [])


def product_spec(product) -> list[SpecItem]:
    """The checklist a batch of ``product`` is inspected against, in order."""
    from ..models import QcSpecItem

    product_class = product.get_product_class()
    rows = QcSpecItem.objects.filter(product_class=product_class) if product_class else []
    items = {row.code: _from_row(row) for row in rows}
    if not items:
        items = {item.code: item for item in kind_defaults(product_class)}
    for row in QcSpecItem.objects.filter(product=product):
        items[row.code] = _from_row(row)
    return list(items.values())


def judge(spec: list[SpecItem], *, checks: dict, measurements: dict) -> list[Finding]:
    """Each item's finding: a required check must be ticked; a measurement, if taken (and
    it must be, for a required one), must lie within its limits."""
    findings = []
    for item in spec:
        checked = bool(checks.get(item.code))
        value = _decimal(measurements.get(item.code)) if item.is_measure else None
        reason = ""
        if item.is_measure:
            if value is None:
                if item.required:
                    reason = _("not measured")
            elif item.min_value is not None and value < item.min_value:
                reason = _("%(value)s is below the lowest allowed %(limit)s") % {
                    "value": _plain(value),
                    "limit": _plain(item.min_value),
                }
            elif item.max_value is not None and value > item.max_value:
                reason = _("%(value)s is above the highest allowed %(limit)s") % {
                    "value": _plain(value),
                    "limit": _plain(item.max_value),
                }
            checked = value is not None
        elif item.required and not checked:
            reason = _("not checked")
        findings.append(
            Finding(item=item, checked=checked, value=value, ok=not reason, reason=reason)
        )
    return findings


def failure_summary(findings) -> str:
    return "; ".join(f"{f.item.label}: {f.reason}" for f in findings if not f.ok)


def passing_findings(product) -> tuple[dict, dict]:
    """Checks and measurements with every item in order (demo data, tests)."""
    checks, measurements = {}, {}
    for item in product_spec(product):
        if item.is_measure:
            low, high = item.min_value, item.max_value
            if low is not None and high is not None:
                measurements[item.code] = (low + high) / 2
            else:
                measurements[item.code] = low if low is not None else high
        else:
            checks[item.code] = True
    return checks, measurements
