"""The /api/v1/ OpenAPI document is true and the API never answers 5xx (issue 15, item 4).

Schemathesis generates requests from /api/v1/openapi.json, valid and invalid ones, and
sends them through Django's WSGI application in-process (so against the test database),
anonymously and as a central admin (who passes every permission check and so reaches the
deepest code). Each answer must be no server error, a documented status, of the documented
content type and matching the documented body. The budget is small and fixed, and
derandomised, so the run is the same every time and stays within seconds.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from shop.api import api
from shop.api_errors import ErrorOut

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 12

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    database="none",
)
schema.app = get_wsgi_application()

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _one_connection():
    # Django's test client keeps the test's database connection across a request; the WSGI
    # application closes it when the request finishes, which would end the test's
    # transaction. Schemathesis calls the application directly, so keep it open here too.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def shop_data(lapas, product, central_admin):
    """Something for every list to show: a Lapas, a product with a released batch."""
    from tests.factories import released_batch

    released_batch(product=product, quantity=5)
    return product


@pytest.fixture
def staff_headers(central_admin, settings) -> dict:
    """A logged-in session and a CSRF token, as a browser would send them. Made directly:
    the test client would put back the connection closing that _one_connection takes
    away."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(central_admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = central_admin.get_session_auth_hash()
    session.save()
    token = "schemathesis0csrf0token000000000"  # 32 letters and digits, as Django's secret
    cookies = {settings.SESSION_COOKIE_NAME: session.session_key, settings.CSRF_COOKIE_NAME: token}
    return {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRFToken": token,
    }


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_get_documented_answers_and_no_server_error(case, shop_data):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@FUZZ_SETTINGS
def test_staff_requests_get_documented_answers_and_no_server_error(case, shop_data, staff_headers):
    case.call_and_validate(checks=CHECKS, headers=staff_headers)


# --- the document itself -------------------------------------------------------------------


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_errors(client, db):
    document = _document(client)

    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = set(operation["responses"])
            assert {"404", "422"} <= statuses, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= statuses, (method, path)
            for status in statuses & {"401", "403", "404", "422"}:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (
                    method,
                    path,
                    status,
                )


def test_schemas_of_the_same_name_are_the_same_class():
    # The POS's ProductOut once replaced the catalogue's component of the same name.
    seen: dict[str, type] = {}

    def walk(annotation, wrapper=False):
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            if wrapper:  # ninja's own envelope of a response or of the parameters
                for field in annotation.model_fields.values():
                    walk(field.annotation)
                return
            if annotation.__name__ in seen:
                assert seen[annotation.__name__] is annotation, annotation.__name__
                return
            seen[annotation.__name__] = annotation
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for arg in getattr(annotation, "__args__", ()) or ():
            walk(arg)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    walk(model, wrapper=True)
                for model in operation.models:
                    walk(model, wrapper=True)
    assert {"ProductOut", "PosProductOut", "BatchOut", "PosBatchOut"} <= set(seen)


def test_an_anonymous_write_is_a_documented_401(client, db):
    response = client.post("/api/v1/batches", data="{}", content_type="application/json")

    assert response.status_code == 401
    assert ErrorOut(**response.json()).code == "not_authenticated"


def test_a_refusal_carries_its_code(client, workshop_staff, db):
    client.force_login(workshop_staff)

    response = client.get("/api/v1/pnbp/entries")

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden" and body["detail"]


def test_an_invalid_request_names_the_field(client, db):
    response = client.get("/api/v1/products/", {"page": "0"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["page"]
    assert "page" in body["detail"]
