"""Reading ids, pages and amounts from requests at the edge, for every app.

A query string is whatever a visitor typed: "²" is a digit to ``str.isdigit`` but not to
``int``, "99999999999999999999" overflows PostgreSQL's integer columns, "abc" is no id at
all. Each of these must be answered with a 4xx and a clear message, never reach the
database as a 500. Forms, ninja schemas and views read ids and pages through the helpers
and bounds here.

It lives in production_link because production_link/pnbp may import nothing from shop and
catalog and shop import production_link anyway.
"""

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination

# The largest value of PostgreSQL's ``integer`` (Django's AutoField, IntegerField,
# PositiveIntegerField): anything above cannot be an id or a stored quantity.
MAX_INT = 2_147_483_647
# No listing of ours has this many pages; a bigger page number is a mistake or a probe.
MAX_PAGE = 100_000

# An id in an API path or body: a positive integer the database can hold.
Id = Annotated[int, Field(ge=1, le=MAX_INT)]


def parse_id(value) -> int | None:
    """The id a query-string value names, or None if it names none: ASCII digits only
    (so "²" and "٣" are not ids), at least 1 and within the database's integer range."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INT else None


def parse_page(value, *, maximum: int = MAX_PAGE) -> int:
    """The page a query-string value asks for, 1 if it asks for none that could exist."""
    number = parse_id(value)
    return number if number is not None and number <= maximum else 1


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=1000)


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with the page bounded: a page past the end is an
    empty list, a page number no listing can reach (the offset overflowed PostgreSQL's
    bigint) is a 422 naming ``page``."""

    Input = PageInput


def invalid_input(error: DjangoValidationError, *, source: str = "body") -> NinjaValidationError:
    """A service's ValidationError as the API's 422: each message under the field it names
    (``{"planned_quantity": [...]}``), in the API's one error shape (shop/api.py)."""
    if hasattr(error, "error_dict"):
        pairs = [(f, m) for f, messages in error.message_dict.items() for m in messages]
    else:
        pairs = [("", m) for m in error.messages]
    return NinjaValidationError(
        [
            {
                "type": "value_error",
                "loc": (source, field) if field and field != "__all__" else (source,),
                "msg": message,
            }
            for field, message in pairs
        ]
    )
