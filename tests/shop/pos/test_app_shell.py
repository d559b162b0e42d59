"""The POS web app's own pages: the shell at /pos/, its service worker and manifest."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from shop.apps.core.services import user_assign_role
from shop.pos import views_app
from tests.factories import UserFactory

KARYA_CSS = Path(__file__).resolve().parents[3] / "static" / "css" / "karya.css"


@pytest.fixture
def cashier(lapas):
    return user_assign_role(user=UserFactory(username="kasir"), role_code="cashier", lapas=lapas)


def test_the_shell_asks_for_a_login(client):
    response = client.get("/pos/")

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "next=/pos/" in response["Location"]


def test_a_buyer_gets_a_clear_403_page(client, buyer):
    client.force_login(buyer)

    response = client.get("/pos/")

    assert response.status_code == 403
    assert "pembeli" in response.content.decode()
    assert b"pos-config" not in response.content


def test_a_cashier_gets_the_app_with_its_config_and_a_csrf_cookie(client, cashier):
    client.force_login(cashier)

    response = client.get("/pos/")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "csrftoken" in response.cookies
    html = response.content.decode()
    config = json.loads(re.search(r'id="pos-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert config["user"]["id"] == cashier.pk
    assert config["urls"]["sync"] == "/api/v1/pos/sales/sync"
    assert config["urls"]["catalogue"] == "/api/v1/pos/locations/{id}/catalogue"
    assert config["csrf"]
    assert set(config["strings"]) == set(views_app.JS_STRINGS)
    # The language switch posts to Django's set_language and comes back to the app.
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/pos/"' in html


def test_a_central_admin_may_use_the_app(client, central_admin):
    client.force_login(central_admin)

    assert client.get("/pos/").status_code == 200


def test_the_service_worker_is_served_for_the_pos_scope_and_never_cached(client):
    response = client.get("/pos/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/pos/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script).group(1))
    assert "/pos/" in precache
    for name in views_app.APP_ASSETS:
        assert f"/static/{name}" in precache
    assert re.search(r'const VERSION = "[0-9a-f]{16}";', script)


def test_every_module_the_app_imports_is_precached():
    # A module missing from the list would break the app's first offline start.
    static = Path(views_app.__file__).resolve().parents[2] / "static"
    for script in (static / "pos").glob("*.js"):
        for imported in re.findall(r'from "\./([\w.-]+\.js)"', script.read_text()):
            assert f"pos/{imported}" in views_app.APP_ASSETS, (script.name, imported)
        assert f"pos/{script.name}" in views_app.APP_ASSETS


def test_the_manifest_makes_an_installable_app_in_the_shop_colours(client):
    response = client.get("/pos/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/pos/"
    assert manifest["scope"] == "/pos/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert "{}x{}".format(*image.size) == icon["sizes"]
    css = KARYA_CSS.read_text()
    assert f"--karya-indigo: {manifest['theme_color']};" in css
    assert f"--karya-cream: {manifest['background_color']};" in css
