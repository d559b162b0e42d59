"""A printed receipt's time is in its Lapas's zone (WIB, WITA, WIT); its trace links
follow the address the shop is reached at (a demo on another port), unless
KARYA_PUBLIC_URL names the public address."""

import pytest

from shop.pos.services import sale_record

from .conftest import sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(session, cashier, bag, bag_batch):
    return sale_record(
        user=cashier, data=sale(session, (bag, bag_batch.code, 1, 140000), tendered="140000")
    )


def test_the_receipt_links_to_the_address_the_demo_runs_at(
    client, cashier, recorded, bag_batch, settings
):
    settings.KARYA_PUBLIC_URL = ""
    client.force_login(cashier)

    html = client.get(recorded["receipt_url"], HTTP_HOST="127.0.0.1:8123").content.decode()

    assert f"http://127.0.0.1:8123/trace/{bag_batch.code}/" in html
    assert "127.0.0.1:8000" not in html


def test_karya_public_url_wins_over_the_request(client, cashier, recorded, bag_batch, settings):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id/"
    client.force_login(cashier)

    html = client.get(recorded["receipt_url"], HTTP_HOST="127.0.0.1:8123").content.decode()

    assert f"https://karya.example.id/trace/{bag_batch.code}/" in html
    assert "127.0.0.1:8123/trace" not in html


def test_outside_a_request_the_configured_base_is_used(settings):
    from shop.apps.core.public_url import public_base_url

    settings.KARYA_PUBLIC_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://karya.lan:8000/"

    assert public_base_url() == "http://karya.lan:8000"


def test_the_receipt_shows_the_sale_time_in_the_lapass_zone(client, cashier, recorded, lapas):
    lapas.addresses.update(state="Sulawesi Selatan")
    client.force_login(cashier)

    html = client.get(recorded["receipt_url"]).content.decode()

    assert " WITA</span>" in html
