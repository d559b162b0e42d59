import pytest

from production_link.services import batch_recall
from tests.factories import ProductFactory, WorkshopFactory, released_batch

pytestmark = pytest.mark.django_db


def test_public_trace_data_needs_no_login(client, bread, kalapas):
    batch = released_batch(product=bread, quantity=3)

    data = client.get(f"/api/v1/trace/{batch.code}").json()
    assert data["code"] == batch.code
    assert data["lapas"] == "Lapas Kelas I Tangerang"
    assert data["recalled"] is False

    batch_recall(batch_id=batch.pk, reason="Jamur", public_notice="Jangan dimakan.", user=kalapas)
    data = client.get(f"/api/v1/trace/{batch.code}").json()
    assert data["recall_notice"] == "Jangan dimakan."
    assert "Jamur" not in str(data)  # the internal reason stays inside
    assert client.get("/api/v1/trace/NOPE-0").status_code == 404


def test_staff_list_their_own_lapas_batches_only(client, workshop_staff, bread, other_lapas):
    own = released_batch(product=bread, quantity=4)
    foreign = ProductFactory(workshop=WorkshopFactory(lapas=other_lapas)).batches.get()
    client.force_login(workshop_staff)

    codes = {b["code"] for b in client.get("/api/v1/batches").json()["items"]}

    assert own.code in codes and foreign.code not in codes
    assert client.get(f"/api/v1/batches/{foreign.pk}").status_code == 404
    assert client.get(f"/api/v1/batches/{own.pk}").json()["units_by_location"]


def test_batches_need_a_login_and_a_staff_role(client, buyer):
    assert client.get("/api/v1/batches").status_code == 401
    client.force_login(buyer)
    assert client.get("/api/v1/batches").status_code == 403


def test_staff_plan_a_batch_through_the_api(client, workshop_staff, bread, workshop):
    from django.test import Client

    api = Client(enforce_csrf_checks=False)
    api.force_login(workshop_staff)
    payload = {
        "product_id": bread.pk,
        "workshop_id": workshop.pk,
        "planned_quantity": 20,
        "production_date": "2026-11-20",
    }

    created = api.post("/api/v1/batches", payload, content_type="application/json")
    bad = api.post(
        "/api/v1/batches", {**payload, "planned_quantity": 0}, content_type="application/json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["code"] == "TNG-ROTI-261120-01"
    assert bad.status_code == 422


def test_the_openapi_schema_lists_the_production_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/trace/{code}" in paths and "/api/v1/batches" in paths
