"""The README's demo logins work as the README says (issue 18): every user of its "Demo
logins" table signs in with the demo password on the form the README names (the shop's
takes the e-mail address, Wagtail's the username) and opens every page listed beside it.

The table is read from README.md itself, so a row changed there is checked as written."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from shop.apps.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[3] / "README.md"
# Wagtail's login form takes the username; these users sign in there (README).
CMS_LOGINS = {"editor"}


def readme_logins() -> list[tuple[str, list[str]]]:
    """(username, [url, ...]) of each row of the README's demo logins table."""
    section = README.read_text().split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        rows.append((cells[0].strip("`"), re.findall(r"`(/[^`]*)`", cells[2])))
    return rows


@pytest.fixture
def demo(demo_shop, db):
    return demo_shop


def _sign_in(username: str) -> Client:
    client = Client()
    user = get_user_model().objects.get(username=username)
    if username in CMS_LOGINS:
        client.post("/cms/login/", {"username": username, "password": DEMO_PASSWORD})
    else:
        client.post(
            "/accounts/login/",
            {"login-username": user.email, "login-password": DEMO_PASSWORD, "login_submit": "1"},
        )
    assert SESSION_KEY in client.session, f"{username} could not sign in"
    return client


def test_the_readme_lists_every_demo_user():
    usernames = [username for username, _urls in readme_logins()]

    assert {"pembeli", "instansi", "kantor.bps", "admin", "kasir.yogya"} <= set(usernames)
    assert all(urls for _username, urls in readme_logins())


def test_each_readme_demo_login_opens_the_pages_the_readme_names(demo):
    refused = []

    for username, urls in readme_logins():
        client = _sign_in(username)
        for url in urls:
            response = client.get(url, follow=True)
            if response.status_code != 200 or "/login/" in response.request["PATH_INFO"]:
                refused.append(f"{username} {url}: {response.status_code}")

    assert not refused, refused


def test_the_demo_institutional_buyer_may_ask_for_a_quote(demo):
    from shop.institutions.selectors import approved_organisation_for_user

    client = _sign_in("instansi")
    instansi = get_user_model().objects.get(username="instansi")

    assert approved_organisation_for_user(instansi) is not None
    assert client.get("/accounts/institution/quotes/request/").status_code == 200


def test_a_demo_buyer_without_an_organisation_may_not(demo):
    client = _sign_in("pembeli")

    assert client.get("/accounts/institution/quotes/request/").status_code in (302, 403)
