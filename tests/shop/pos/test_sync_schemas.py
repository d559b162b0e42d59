"""The POS sync validates each sale with schemas (issue 14, item 5): a malformed sale is
answered "rejected" naming the field at fault, and the other sales of the same sync apply;
a malformed envelope is a 422."""

import pytest

from shop.pos.models import PosSale

from .conftest import post, sale

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/pos/sales/sync"


def _with(data: dict, path: str, value):
    """A copy of a sale with one field (dotted, with [n] for list items) changed."""
    import copy
    import re

    data = copy.deepcopy(data)
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    target = data
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("lines[0].quantity", 0, "lines[0].quantity"),
        ("lines[0].quantity", 2147483648, "lines[0].quantity"),
        ("lines[0].quantity", "two", "lines[0].quantity"),
        ("lines[0].product_id", "²", "lines[0].product_id"),
        ("lines[0].product_id", 99999999999999999999, "lines[0].product_id"),
        ("lines[0].unit_price", "-5", "lines[0].unit_price"),
        ("lines[0].unit_price", "1e30", "lines[0].unit_price"),
        ("payment.method", "gold", "payment.method"),
        ("payment.tendered", "lots", "payment.tendered"),
        ("created_at", "yesterday", "created_at"),
        ("session_id", "abc", "session_id"),
        ("uuid", "x", "uuid"),
        ("lines", [], "lines"),
        # Not an object: read as one without its fields.
        ("payment", "cash", "payment.method"),
    ],
)
def test_a_malformed_sale_names_its_field_and_the_others_apply(
    api, session, bag, bag_batch, path, value, field
):
    good_before = sale(session, (bag, None, 1, 140000))
    bad = _with(sale(session, (bag, None, 1, 140000)), path, value)
    good_after = sale(session, (bag, None, 1, 140000))

    response = post(api, SYNC, {"sales": [good_before, bad, good_after]})

    assert response.status_code == 200, response.content
    first, rejected, last = response.json()["results"]
    assert first["status"] == "recorded" and last["status"] == "recorded"
    assert rejected["status"] == "rejected" and rejected["code"] == "invalid"
    assert rejected["field"] == field
    assert rejected["message"].startswith(f"{field}: ")
    assert PosSale.objects.count() == 2


def test_a_sale_that_is_not_an_object_is_rejected_alone(api, session, bag, bag_batch):
    good = sale(session, (bag, None, 1, 140000))

    results = post(api, SYNC, {"sales": ["nonsense", 7, good]}).json()["results"]

    assert [r["status"] for r in results] == ["rejected", "rejected", "recorded"]
    assert results[0]["uuid"] is None


def test_every_problem_of_a_sale_is_listed(api, session, bag, bag_batch):
    bad = _with(sale(session, (bag, None, 0, 140000)), "payment.method", "gold")

    (result,) = post(api, SYNC, {"sales": [bad]}).json()["results"]

    assert {e["field"] for e in result["errors"]} == {"lines[0].quantity", "payment.method"}


def test_validated_sales_reach_the_services_in_their_shape(api, session, bag, bag_batch):
    data = sale(session, (bag, bag_batch.code, 2, 140000), tendered="300000")

    (result,) = post(api, SYNC, {"sales": [data]}).json()["results"]

    assert result["status"] == "recorded" and result["change"] == "20000"
    stored = PosSale.objects.get().payload
    assert stored["uuid"] == data["uuid"] and stored["session_id"] == session.pk
    assert stored["lines"][0]["batch_code"] == bag_batch.code


@pytest.mark.parametrize(
    "envelope",
    [{}, {"sales": "all of them"}, {"sales": {"uuid": "x"}}, {"sales": [{}] * 1001}, []],
)
def test_a_malformed_envelope_is_a_422(api, session, envelope):
    response = post(api, SYNC, envelope)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert not PosSale.objects.exists()


def test_the_openapi_document_shows_the_sale_schema(client, db):
    document = client.get("/api/v1/openapi.json").json()

    components = document["components"]["schemas"]
    assert {"PosSaleIn", "PosSaleLineIn", "PosPaymentIn"} <= set(components)
    sync = components["SyncIn"]["properties"]["sales"]
    assert sync["items"] == {"$ref": "#/components/schemas/PosSaleIn"}


def test_a_stale_csrf_token_is_told_apart_from_a_refusal(cashier, session, bag, bag_batch):
    # The POS app renews its token and retries only on this code (static/pos/api.js).
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cashier)

    response = client.post(
        SYNC,
        {"sales": [sale(session, (bag, bag_batch.code, 1, 140000))]},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not PosSale.objects.exists()
