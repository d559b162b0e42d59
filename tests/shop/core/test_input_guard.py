"""A NUL character in a query string or a JSON API body is refused before any view: the
database cannot hold one, and a search for it came back as an HTTP 500."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_an_api_query_is_a_422_in_the_api_error_shape(client):
    response = client.get("/api/v1/products/", {"q": "roti\x00"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_nul_in_a_json_body_is_a_422(client):
    response = client.post(
        "/api/v1/pos/sales/sync", '{"sales": ["\\u0000"]}', content_type="application/json"
    )

    assert response.status_code == 422


def test_a_nul_in_a_page_query_is_a_400(client):
    response = client.get("/search/", {"q": "\x00"})

    assert response.status_code == 400


def test_ordinary_text_passes(client):
    assert client.get("/api/v1/products/", {"q": "roti"}).status_code == 200
