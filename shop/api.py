"""Karya's HTTP API, version 1, at /api/v1/ (OpenAPI schema at /api/v1/openapi.json,
browsable docs at /api/v1/docs). Each app adds its router here."""

import logging

from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from catalog.api import router as catalog_router
from production_link.api import router as production_router
from production_link.pnbp.api import router as pnbp_router
from production_link.reports.api import router as pnbp_reports_router
from shop.api_errors import DESCRIPTIONS, ErrorResponse, error_body, validation_messages
from shop.apps.core.policy import api_apply_policy
from shop.pos.api import router as pos_router

logger = logging.getLogger(__name__)


class _Schema(OpenAPISchema):
    """ninja's OpenAPI document with two guarantees it does not give by itself."""

    def add_schema_definitions(self, definitions: dict) -> None:
        # ninja names a component after its class and keeps the last one of a name: the
        # POS's ProductOut once replaced the catalogue's, so documented bodies were wrong.
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                raise RuntimeError(f"Two API schemas are named {name!r}; rename one.")
        super().add_schema_definitions(definitions)

    def responses(self, operation) -> dict:
        # Every operation documents the errors it can answer, in the one error shape.
        result = super().responses(operation)
        statuses = [404, 422, 503]
        if operation.auth_callbacks:
            statuses = [401, 403, *statuses]
        for status in statuses:
            if status not in result:
                schema, _required = self._create_schema_from_model(
                    ErrorResponse, mode="serialization"
                )
                result[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {self.api.renderer.media_type: {"schema": schema}},
                }
        return dict(sorted(result.items()))


class KaryaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Schema(api=self, path_prefix=path_prefix)


api = KaryaAPI(
    title="Karya API",
    version="1",
    description=(
        "Goods and services from the workshops of Indonesia's correctional institutions. "
        "Prices are whole rupiah (IDR)."
    ),
    urls_namespace="api-v1",
)
api.add_router("", catalog_router)
api.add_router("", production_router)
api.add_router("", pnbp_reports_router)
api.add_router("", pnbp_router)
api.add_router("", pos_router)
# Every operation gets the auth of its rule in the permission policy (public ones none).
api_apply_policy(api)


# Every error in one shape, {"detail": message, "code": machine code}, the one documented.


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = validation_messages(exc.errors)
    detail = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return api.create_response(request, error_body(detail, "invalid", errors=errors), status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request, error_body(_("Log in to use this operation."), "not_authenticated"), status=401
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(
        request,
        error_body(exc.message, getattr(exc, "code", None), status=exc.status_code),
        status=exc.status_code,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body(_("Not found."), "not_found"), status=404)


@api.exception_handler(OperationalError)
def _busy(request, exc):
    # SQLite (the embedded default) waits 20 s for the write lock; past that, or on a
    # PostgreSQL lock timeout, the client is told to retry rather than shown a 500.
    logger.warning("API request found the database busy: %s", exc)
    return api.create_response(
        request,
        error_body(_("The server is busy. Try again in a moment."), "busy"),
        status=503,
    )
