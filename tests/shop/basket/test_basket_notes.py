"""The basket page explains an institutional tier price instead of calling it a price
change (shop.apps.basket.views)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog import services
from tests.catalog.test_pricing import add, desk, institution  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def warnings(client):
    return [str(w) for w in client.get(reverse("basket:summary")).context["basket_warnings"]]


def test_a_tier_price_is_named_not_reported_as_a_price_drop(client, desk, institution):  # noqa: F811
    client.force_login(institution)

    add(client, desk, 5)

    [note] = warnings(client)
    assert "Meja Kantor Mahoni" in note and "Rp2.150.000" in note
    assert "Rp2.350.000" not in note  # not "the price has dropped since you added it"


def test_a_real_price_change_is_still_reported(client, desk, institution):  # noqa: F811
    client.force_login(institution)
    add(client, desk, 1)

    services.product_pricing_set(
        product=desk,
        user=None,
        online=Decimal("2400000"),
        tiers=[(3, Decimal("2250000")), (5, Decimal("2150000"))],
    )

    [warning] = warnings(client)
    assert "Rp2.350.000" in warning and "Rp2.400.000" in warning
