"""The campaign report in the CMS: editors and central admins see orders and paid revenue
per campaign and channel; workshop staff and buyers do not get in."""

import time

import pytest
from django.urls import reverse

from shop.marketing import services
from shop.marketing.models import Channel
from shop.marketing.touch import Touch
from tests.shop.marketing.test_attribution import _basket

pytestmark = pytest.mark.django_db
URL = "/cms/campaigns/"


@pytest.fixture
def editor(db):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(user=UserFactory(username="editor"), role_code="editor")


@pytest.fixture
def campaign_order(product):
    from tests.factories import place_order

    order = place_order(basket=_basket(product), channel="pos", provider="cash")
    online = place_order(basket=_basket(product))
    services.order_attribution_record(
        order_id=online.pk,
        touch=Touch(
            channel=Channel.EMAIL,
            source="newsletter",
            medium="email",
            campaign="lebaran-2026",
            at=time.time(),
        ),
    )
    return order, online


def test_the_editor_reads_orders_per_campaign_and_channel(client, editor, campaign_order):
    client.force_login(editor)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "lebaran-2026" in body and "newsletter" in body
    assert reverse("marketing_campaign_report") == URL


def test_a_bad_period_is_said_and_the_last_year_shown(client, central_admin, campaign_order):
    client.force_login(central_admin)

    response = client.get(URL, {"since": "2026-12-31", "until": "2026-01-01"})

    assert response.status_code == 200
    assert "lebaran-2026" in response.content.decode()
    assert response.context["error"]


@pytest.mark.parametrize("who", ["workshop_staff", "buyer"])
def test_others_do_not_get_the_report(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(URL)

    assert response.status_code in (302, 403)
    assert "lebaran" not in response.content.decode()
