"""Batches from a CSV file: every row is checked first; one bad row and nothing is saved."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from ..inputs import parse_id
from ..selectors import lapas_for_user, workshops_for_user
from .batches import MAX_PLANNED_QUANTITY, batch_create

Product = get_model("catalogue", "Product")

COLUMNS = ("product_upc", "workshop", "planned_quantity", "production_date", "expiry_date")
MAX_ROWS = 2000
# No cell of this file is longer than a workshop's name; a longer one is a wrong file (and
# past 128 KB the csv module itself gives up).
MAX_CELL = 200


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self):
        return not self.errors


def _date(value, line, column, errors):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(
            (
                line,
                _("%(column)s: “%(value)s” is not a date like 2026-11-22.")
                % {"column": column, "value": value},
            )
        )
        return None


def batches_import_csv(*, file_bytes: bytes, user) -> ImportResult:
    result = ImportResult()
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((0, _("The file is not UTF-8 text. Save it as “CSV UTF-8”.")))
        return result
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows_read = list(reader)
    except csv.Error as error:
        result.errors.append(
            (
                reader.line_num,
                _("The file is not a readable CSV file (%(error)s).") % {"error": error},
            )
        )
        return result
    missing = [c for c in COLUMNS if c != "expiry_date" and c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(
            (1, _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    products = {
        p.upc: p
        for p in Product.objects.filter(stockrecords__partner__in=lapas_for_user(user)).distinct()
    }
    workshops = {}
    for w in workshops_for_user(user):
        workshops[w.name.casefold()] = w
        if w.code:
            workshops[w.code.casefold()] = w
    rows = []
    for line, row in enumerate(rows_read, start=2):
        if line - 1 > MAX_ROWS:
            result.errors.append((line, _("At most %(max)d rows per file.") % {"max": MAX_ROWS}))
            break
        errors = []
        too_long = [
            column
            for column, value in row.items()
            if column in COLUMNS and isinstance(value, str) and len(value) > MAX_CELL
        ]
        if too_long:
            result.errors.append(
                (
                    line,
                    _("%(columns)s: at most %(max)d characters.")
                    % {"columns": ", ".join(too_long), "max": MAX_CELL},
                )
            )
            continue
        product = products.get((row.get("product_upc") or "").strip())
        if product is None:
            errors.append(
                (
                    line,
                    _("product_upc: no product of your Lapas has the code “%(upc)s”.")
                    % {"upc": row.get("product_upc", "")},
                )
            )
        workshop = workshops.get((row.get("workshop") or "").strip().casefold())
        if workshop is None:
            errors.append(
                (
                    line,
                    _("workshop: “%(name)s” is not a workshop of your Lapas.")
                    % {"name": row.get("workshop", "")},
                )
            )
        raw_quantity = (row.get("planned_quantity") or "").strip()
        quantity = parse_id(raw_quantity)
        # A number too big for parse_id (10^23) is still a number: say it is too big.
        huge = quantity is None and raw_quantity.isascii() and raw_quantity.isdigit()
        if quantity is None and not (huge and raw_quantity.strip("0")):
            errors.append((line, _("planned_quantity: enter a whole number, at least 1.")))
        elif huge or quantity > MAX_PLANNED_QUANTITY:
            errors.append(
                (
                    line,
                    _("planned_quantity: at most %(max)s units in one batch.")
                    % {"max": f"{MAX_PLANNED_QUANTITY:,}".replace(",", ".")},
                )
            )
        made = _date((row.get("production_date") or "").strip(), line, "production_date", errors)
        if made is None and not any(e[1].startswith("production_date") for e in errors):
            errors.append((line, _("production_date: required.")))
        expires = _date((row.get("expiry_date") or "").strip(), line, "expiry_date", errors)
        result.errors.extend(errors)
        rows.append((line, product, workshop, quantity, made, expires))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for line, product, workshop, quantity, made, expires in rows:
                try:
                    result.created.append(
                        batch_create(
                            product=product,
                            workshop=workshop,
                            planned_quantity=quantity,
                            production_date=made,
                            expiry_date=expires,
                            user=user,
                        )
                    )
                except ValidationError as error:
                    for messages in (
                        error.message_dict.values()
                        if hasattr(error, "error_dict")
                        else [error.messages]
                    ):
                        for message in messages:
                            result.errors.append((line, message))
                except PermissionDenied as error:
                    result.errors.append((line, str(error)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = []
    return result


class _Rollback(Exception):
    """Undo every row of an import that had an error."""
