"""The one error shape of the /api/v1/ API and readable messages for invalid input.

Every refusal is ``{"detail": "<message in the user's language>", "code": "<machine
code>"}``; an invalid request (422) adds ``errors``, one ``{field, message}`` per problem,
``field`` written as the client wrote it (``lines[0].quantity``, ``page``).
"""

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import create_model

# The code of an error raised with a status only (HttpError(403, "…")).
CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "invalid",
    429: "throttled",
    503: "busy",
}

DESCRIPTIONS = {
    401: "Not logged in (code not_authenticated).",
    403: "Logged in, but not allowed (code forbidden, or a more precise one).",
    404: "No such object, or not one this user may see (code not_found).",
    422: "The request is invalid (code invalid); errors names each wrong field.",
    503: "The database is busy; nothing to fix in the request, try again (code busy).",
}


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list[FieldErrorOut] = []


def error_body(detail, code: str | None = None, *, status: int = 400, errors=None) -> dict:
    body = {"detail": str(detail), "code": code or CODES.get(status, "invalid")}
    if errors:
        body["errors"] = errors
    return body


# ninja documents a response through a model with one field, "response".
ErrorResponse = create_model("ErrorResponse", response=(ErrorOut, ...))


def field_path(loc) -> str:
    """("body", "payload", "lines", 0, "quantity") → "lines[0].quantity"."""
    parts = list(loc)
    # ninja puts where the value came from, and the view's parameter name, first.
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def error_message(error: dict) -> str:
    """pydantic's error, in words the user reads (and a translator can translate)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("this field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("must be at least %(limit)s.") % {"limit": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("must be at most %(limit)s.") % {"limit": limit}
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        return _("too long: at most %(limit)s.") % {"limit": limit}
    if kind in ("string_too_short", "too_short"):
        return _("too short or empty.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("enter a date (YYYY-MM-DD) or a time in ISO 8601.")
    if kind.startswith("uuid"):
        return _("not a valid UUID.")
    if kind.startswith("decimal") or kind in ("float_parsing", "float_type"):
        return _("enter an amount in whole rupiah.")
    if kind in ("literal_error", "enum"):
        return _("choose one of %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be an object.")
    if kind == "list_type":
        return _("must be a list.")
    if kind in ("string_type", "bool_type", "bool_parsing"):
        return _("has the wrong type.")
    if kind == "json_invalid":
        return _("the body is not valid JSON.")
    if kind == "value_error":
        # Our own validators raise ValueError with a translated message.
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    return str(error.get("msg", _("invalid value.")))


def validation_messages(errors) -> list[dict]:
    return [{"field": field_path(e.get("loc", ())), "message": error_message(e)} for e in errors]
