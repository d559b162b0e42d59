"""The card pay page is the one page whose Content-Security-Policy lets Stripe.js, its card
frames and its API in (KARYA_CSP_PAGE_UPDATES); every other page keeps Stripe out."""

import pytest
from django.urls import reverse

from tests.shop.payments.helpers import place_card_order

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (p.split() for p in policy.split(";") if p.strip())}


def test_the_pay_page_alone_allows_stripe(client, product, fake_stripe):
    _order, placed = place_card_order(client, product)

    pay = client.get(placed["Location"])

    assert pay.status_code == 200
    assert "https://js.stripe.com/v3/" in pay.content.decode()
    policy = directives(pay)
    assert "https://js.stripe.com" in policy["script-src"]
    assert any(v.startswith("'nonce-") for v in policy["script-src"])
    assert "https://js.stripe.com" in policy["frame-src"]
    assert "https://api.stripe.com" in policy["connect-src"]
    assert pay["Referrer-Policy"] == "strict-origin-when-cross-origin"

    for url in (reverse("basket:summary"), product.get_absolute_url(), reverse("checkout:index")):
        response = client.get(url)
        assert "stripe" not in response["Content-Security-Policy"], url
