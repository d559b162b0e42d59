"""Hostile input gets a 4xx with a clear message and changes nothing (issue 15, item 4):
ids and pages in other scripts or past the database's range, huge quantities, impossible
dates, huge CSV cells."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from production_link.inputs import MAX_INT, parse_id, parse_page
from production_link.models import Batch
from production_link.services.imports import batches_import_csv
from tests.factories import ProductClassFactory, ProductFactory

pytestmark = pytest.mark.django_db


# --- the shared helper --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        (str(MAX_INT), MAX_INT),
        (str(MAX_INT + 1), None),
        ("99999999999999999999999", None),
        ("²", None),  # a digit to str.isdigit, not to int
        ("٣", None),  # Arabic-Indic three: int() reads it, an id it is not
        ("0", None),
        ("-1", None),
        ("1.5", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_page_falls_back_to_the_first_page():
    assert parse_page("3") == 3
    assert parse_page("99999999999999999999999") == 1
    assert parse_page("²") == 1
    assert parse_page(None) == 1


# --- query strings of the API ---------------------------------------------------------------


def test_a_page_past_any_listing_is_a_422_naming_page(client, product):
    response = client.get("/api/v1/products/", {"page": "99999999999999999999999"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["errors"][0]["field"] == "page"


def test_a_page_past_the_end_is_empty(client, product):
    response = client.get("/api/v1/products/", {"page": "500"})

    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("category", ["²", "٣", "99999999999999999999", "-1"])
def test_a_category_that_is_no_id_matches_nothing(client, product, category):
    response = client.get("/api/v1/products/", {"category": category})

    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("product_id", ["99999999999999999999", "0"])
def test_a_product_id_out_of_range_is_a_422(client, product_id):
    assert client.get(f"/api/v1/products/{product_id}/").status_code == 422


@pytest.fixture
def treasurer(lapas):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(
        user=UserFactory(username="bendahara"), role_code="treasurer", lapas=lapas
    )


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
@pytest.mark.parametrize("path", ["/api/v1/pnbp/entries", "/api/v1/pnbp/deposits"])
def test_pnbp_lapas_filter_that_names_no_lapas_is_a_404(client, treasurer, path, value):
    client.force_login(treasurer)

    response = client.get(path, {"lapas": value})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
def test_report_lapas_that_names_no_lapas_is_a_422(client, treasurer, value):
    client.force_login(treasurer)

    response = client.get("/api/v1/pnbp/reports/monthly", {"lapas": value})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lapas"


# --- planning a batch through the API -----------------------------------------------------------


@pytest.fixture
def planner(central_admin):
    api = Client()
    api.force_login(central_admin)
    return api


def _plan(api, **changes):
    return api.post("/api/v1/batches", changes, content_type="application/json")


@pytest.fixture
def payload(bread, workshop):
    return {
        "product_id": bread.pk,
        "workshop_id": workshop.pk,
        "planned_quantity": 20,
        "production_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    }


@pytest.mark.parametrize("quantity", [2147483648, 10**23, 1_000_001, 0, -5])
def test_a_planned_quantity_out_of_bounds_is_refused(planner, payload, quantity):
    response = _plan(planner, **{**payload, "planned_quantity": quantity})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "planned_quantity"
    assert not Batch.objects.exists()


def test_a_batch_made_in_year_one_expiring_in_9999_is_refused(planner, payload):
    response = _plan(
        planner, **{**payload, "production_date": "0001-01-01", "expiry_date": "9999-12-31"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "production_date"
    assert not Batch.objects.exists()


def test_a_production_date_in_the_future_is_refused(planner, payload):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _plan(planner, **{**payload, "production_date": tomorrow.isoformat()})

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "production_date", "message": body["errors"][0]["message"]}]
    assert "production_date" in body["detail"]


def test_an_expiry_far_beyond_the_kinds_shelf_life_is_refused(planner, payload, bread):
    made = timezone.localdate() - datetime.timedelta(days=1)
    food = ProductFactory(
        workshop=bread.workshop, product_class=ProductClassFactory(name="Roti", is_food=True)
    )

    too_long = _plan(
        planner,
        **{
            **payload,
            "product_id": food.pk,
            "expiry_date": (made + datetime.timedelta(days=4 * 365)).isoformat(),
        },
    )
    fine = _plan(
        planner,
        **{
            **payload,
            "product_id": food.pk,
            "expiry_date": (made + datetime.timedelta(days=365)).isoformat(),
        },
    )
    before = _plan(
        planner,
        **{**payload, "expiry_date": (made - datetime.timedelta(days=1)).isoformat()},
    )

    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "expiry_date"
    assert fine.status_code == 201, fine.content
    assert before.status_code == 422


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "99999-01-01", ""])
def test_a_date_that_is_no_date_is_a_422(planner, payload, value):
    response = _plan(planner, **{**payload, "production_date": value})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "production_date"


# --- the CSV import -------------------------------------------------------------------------------


HEADER = "product_upc,workshop,planned_quantity,production_date,expiry_date\n"


def _csv(bread, workshop, quantity="10", made=None):
    made = made or (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    return (HEADER + f"{bread.upc},{workshop.code},{quantity},{made},\n").encode()


def test_a_csv_quantity_of_ten_to_the_23rd_is_refused(central_admin, bread, workshop):
    result = batches_import_csv(
        file_bytes=_csv(bread, workshop, quantity="1" + "0" * 23), user=central_admin
    )

    assert not result.ok and not Batch.objects.exists()
    assert "planned_quantity" in result.errors[0][1]


def test_a_csv_cell_of_128_kilobytes_is_refused(central_admin, bread, workshop):
    huge = "x" * (128 * 1024 + 10)

    result = batches_import_csv(
        file_bytes=(HEADER + f"{bread.upc},{huge},10,2026-11-20,\n").encode(), user=central_admin
    )

    assert not result.ok and not Batch.objects.exists()


def test_a_csv_cell_over_the_limit_names_its_column(central_admin, bread, workshop):
    result = batches_import_csv(
        file_bytes=(HEADER + f"{bread.upc},{'y' * 500},10,2026-11-20,\n").encode(),
        user=central_admin,
    )

    assert not result.ok and "workshop" in result.errors[0][1]


def test_a_csv_batch_made_in_year_one_is_refused(central_admin, bread, workshop):
    result = batches_import_csv(
        file_bytes=_csv(bread, workshop, made="0001-01-01"), user=central_admin
    )

    assert not result.ok and not Batch.objects.exists()


def test_a_good_csv_still_imports(central_admin, bread, workshop):
    result = batches_import_csv(file_bytes=_csv(bread, workshop), user=central_admin)

    assert result.ok, result.errors
    assert Batch.objects.count() == 1


# --- query strings of the dashboard pages --------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
def test_the_pnbp_page_with_a_lapas_that_is_no_id_is_a_404(client, treasurer, value):
    from django.urls import reverse

    client.force_login(treasurer)

    response = client.get(reverse("pnbp_dashboard:entry-list"), {"lapas": value})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
def test_a_pos_transfer_for_a_lapas_that_is_no_id_is_a_404(client, central_admin, value):
    from django.urls import reverse

    client.force_login(central_admin)

    response = client.get(reverse("pos_dashboard:transfer-create"), {"lapas": value})

    assert response.status_code == 404
