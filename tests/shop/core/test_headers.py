"""Response headers and sessions: a Content-Security-Policy on every page (scripts from the
shop itself or with the response's nonce; Stripe nowhere but the pay page), the referrer
policy, and logging out by POST only."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_a_normal_page_has_a_strict_policy_with_this_responses_nonce(client, product):
    first = client.get(product.get_absolute_url())
    second = client.get(product.get_absolute_url())

    policy = directives(first)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    [nonce] = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    # Every inline script of the page carries the nonce; each response has its own.
    html = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline
    for attributes in inline:
        assert "application/ld+json" in attributes or f'nonce="{nonce[7:-1]}"' in attributes
    assert directives(second)["script-src"] != policy["script-src"]
    assert "stripe" not in first["Content-Security-Policy"]
    assert first["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_served_from_the_page_cache_get_their_own_nonce(client, settings):
    settings.KARYA_PAGE_CACHE_SECONDS = 60
    url = reverse("catalogue:index")

    responses = [client.get(url) for _ in range(3)]
    client.cookies.clear()

    nonces = set()
    for response in responses:
        [nonce] = [v for v in directives(response)["script-src"] if v.startswith("'nonce-")]
        assert f'nonce="{nonce[7:-1]}"' in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 3


def test_the_pos_app_and_print_pages_have_no_inline_handlers():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+=\"", text), path
        assert "javascript:" not in text, path


def test_wagtail_admin_alone_allows_its_inline_scripts(client, central_admin):
    client.force_login(central_admin)

    cms = directives(client.get("/cms/"))
    dashboard = directives(client.get(reverse("dashboard:index")))

    assert "'unsafe-inline'" in cms["script-src"]
    assert "'unsafe-inline'" not in dashboard["script-src"]
    assert any(v.startswith("'nonce-") for v in dashboard["script-src"])


def test_get_does_not_log_out_but_post_does(client, buyer):
    client.force_login(buyer)
    url = reverse("customer:logout")

    response = client.get(url)
    assert response.status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(url)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("url", ["/admin/logout/", "/cms/logout/", "/dashboard/logout/"])
def test_admin_wagtail_and_dashboard_log_out_by_post_only(client, central_admin, url):
    client.force_login(central_admin)

    assert client.get(url).status_code == 405
    assert SESSION_KEY in client.session
    client.post(url)
    assert SESSION_KEY not in client.session


def test_the_logout_button_is_a_post_form_with_a_csrf_token(client, buyer):
    client.force_login(buyer)

    html = client.get(reverse("customer:summary"), follow=True).content.decode()

    form = re.search(
        r'<form class="logout-form" method="post" action="([^"]+)">(.*?)</form>', html, re.S
    )
    assert form and form.group(1) == reverse("customer:logout")
    assert "csrfmiddlewaretoken" in form.group(2)
