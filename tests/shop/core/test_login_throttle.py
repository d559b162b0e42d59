"""Failed logins are throttled on every login form (django-axes through
shop.apps.core.login_throttle): after five failures for an account or from an address, a
clear message and a wait; a success resets the count; other accounts and addresses go on."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
LIMIT = 5


@pytest.fixture
def buyer():
    return UserFactory(username="budi", email="Budi@Example.test", is_staff=False)


@pytest.fixture
def editor():
    return UserFactory(username="editor", email="editor@example.test", is_staff=True)


def oscar_login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("customer:login"),
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR=ip,
    )


def form_login(client, url, username, password, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_repeated_failures_lock_the_account_with_a_message(client, buyer):
    for _ in range(LIMIT - 1):
        response = oscar_login(client, buyer.email, "wrong")
        assert response.status_code == 200  # the form again, with its error

    response = oscar_login(client, buyer.email, "wrong")

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    body = response.content.decode()
    assert "Terlalu banyak" in body and "15 menit" in body  # "too many", "15 minutes"

    # Even the right password waits now.
    response = oscar_login(client, buyer.email, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_message_follows_the_language(client, buyer):
    for _ in range(LIMIT):
        response = client.post(
            "/en/accounts/login/",
            {"login-username": buyer.email, "login-password": "wrong", "login_submit": "1"},
            REMOTE_ADDR="10.0.0.1",
        )

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_a_success_resets_the_count(client, buyer):
    for _ in range(LIMIT - 1):
        oscar_login(client, buyer.email, "wrong")

    response = oscar_login(client, buyer.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)
    client.logout()

    for _ in range(LIMIT - 1):
        assert oscar_login(client, buyer.email, "wrong").status_code == 200
    assert oscar_login(client, buyer.email, PASSWORD).status_code == 302


def test_another_account_from_another_address_is_unaffected(client, buyer, editor):
    for _ in range(LIMIT):
        oscar_login(client, buyer.email, "wrong", ip="10.0.0.1")

    response = oscar_login(client, editor.email, PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302
    assert logged_in(client)


def test_an_address_trying_many_accounts_is_locked(client, buyer):
    for n in range(LIMIT):
        oscar_login(client, f"nobody{n}@example.test", "wrong", ip="10.0.0.9")

    assert oscar_login(client, buyer.email, PASSWORD, ip="10.0.0.9").status_code == 429
    assert not logged_in(client)
    assert oscar_login(client, buyer.email, PASSWORD, ip="10.0.0.3").status_code == 302


def test_the_email_and_the_username_count_as_one_account(client, editor):
    """Oscar's form takes the e-mail address, Wagtail's and the admin's the username: both
    reach the same account, so changing forms or letter case does not buy more guesses."""
    for n in range(LIMIT - 1):
        oscar_login(client, editor.email.upper(), "wrong", ip=f"10.0.1.{n}")

    response = form_login(client, reverse("admin:login"), "editor", "wrong", ip="10.0.2.1")

    assert response.status_code == 429
    response = form_login(client, "/cms/login/", "editor", PASSWORD, ip="10.0.2.2")
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.parametrize("url", ["/cms/login/", "/admin/login/"])
def test_cms_and_admin_logins_are_throttled(client, editor, url):
    for _ in range(LIMIT - 1):
        assert form_login(client, url, "editor", "wrong").status_code == 200

    assert form_login(client, url, "editor", "wrong").status_code == 429
    assert form_login(client, url, "editor", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_address_behind_the_load_balancer_is_the_one_it_appended(client, buyer, settings):
    settings.KARYA_TRUSTED_PROXY_COUNT = 1
    for n in range(LIMIT):
        # The client writes any address it likes in front; the balancer appends the real one.
        client.post(
            reverse("customer:login"),
            {"login-username": f"x{n}@example.test", "login-password": "w", "login_submit": "1"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        )

    response = client.post(
        reverse("customer:login"),
        {"login-username": buyer.email, "login-password": PASSWORD, "login_submit": "1"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429
