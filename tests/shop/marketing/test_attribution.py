"""An order placed after landing from a campaign link is credited to that campaign: the
touch is kept in the session (even when the landing page came from the page cache), the
last non-direct touch wins, it expires, and POS sales keep their own channel."""

import time

import pytest
from django.test import Client, RequestFactory
from oscar.core.loading import get_model

from shop.marketing import selectors, services
from shop.marketing.models import Channel, OrderAttribution
from shop.marketing.touch import (
    SESSION_KEY,
    Touch,
    touch_from_request,
    touch_from_session,
)
from tests.shop.checkout.test_checkout import add_to_basket, checkout

Order = get_model("order", "Order")

CAMPAIGN = "/catalogue/?utm_source=newsletter&utm_medium=email&utm_campaign=Lebaran-2026"


def _request(path, referrer=""):
    extra = {"HTTP_REFERER": referrer} if referrer else {}
    return RequestFactory().get(path, **extra)


def test_utm_parameters_make_a_touch_lower_cased():
    touch = touch_from_request(_request(CAMPAIGN))

    assert touch.channel == Channel.EMAIL
    assert (touch.source, touch.medium, touch.campaign) == ("newsletter", "email", "lebaran-2026")
    assert touch.landing_path == "/catalogue/"


@pytest.mark.parametrize(
    ("referrer", "channel", "source"),
    [
        ("https://www.google.co.id/", Channel.SEARCH, "google"),
        ("https://l.facebook.com/l.php?u=x", Channel.SOCIAL, "facebook"),
        ("https://blog.example.org/batik", Channel.REFERRAL, "blog.example.org"),
    ],
)
def test_an_outside_referrer_is_a_touch(referrer, channel, source):
    touch = touch_from_request(_request("/catalogue/", referrer))

    assert (touch.channel, touch.source) == (channel, source)


@pytest.mark.parametrize(
    "referrer", ["", "http://testserver/catalogue/", "https://checkout.stripe.com/c/pay/x"]
)
def test_direct_visits_own_pages_and_payment_returns_are_no_touch(referrer):
    assert touch_from_request(_request("/catalogue/", referrer)) is None


def test_a_touch_expires_after_the_window(settings):
    settings.KARYA_ATTRIBUTION_DAYS = 30
    old = Touch(channel=Channel.EMAIL, source="newsletter", at=time.time() - 31 * 86400)
    fresh = Touch(channel=Channel.EMAIL, source="newsletter", at=time.time() - 29 * 86400)

    assert touch_from_session({SESSION_KEY: old.as_session()}).channel == Channel.DIRECT
    assert touch_from_session({SESSION_KEY: fresh.as_session()}).source == "newsletter"
    assert touch_from_session({SESSION_KEY: "garbage"}).channel == Channel.DIRECT
    assert touch_from_session({}).channel == Channel.DIRECT


@pytest.mark.django_db
@pytest.mark.usefixtures("shipping_rates")
def test_an_order_after_a_campaign_landing_is_credited_to_the_campaign(client, product):
    client.get(CAMPAIGN)
    # Later pages of the visit, from our own site, keep the touch.
    client.get("/catalogue/", HTTP_REFERER="http://testserver/")
    add_to_basket(client, product)

    checkout(client, guest_email="tamu@example.test")

    attribution = Order.objects.get().attribution
    assert attribution.channel == Channel.EMAIL
    assert (attribution.source, attribution.medium, attribution.campaign) == (
        "newsletter",
        "email",
        "lebaran-2026",
    )
    assert attribution.touched_at is not None
    (row,) = selectors.campaign_report()
    assert (row.campaign, row.orders, row.paid_orders, row.revenue) == ("lebaran-2026", 1, 0, 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("shipping_rates")
def test_the_last_non_direct_touch_wins(client, product):
    client.get(CAMPAIGN)
    client.get("/catalogue/?utm_source=facebook&utm_medium=social&utm_campaign=batik-week")
    client.get("/catalogue/")  # typed in: changes nothing
    add_to_basket(client, product)

    checkout(client, guest_email="tamu@example.test")

    attribution = Order.objects.get().attribution
    assert (attribution.channel, attribution.campaign) == (Channel.SOCIAL, "batik-week")


@pytest.mark.django_db
@pytest.mark.usefixtures("shipping_rates")
def test_an_order_without_a_touch_is_direct(client, product):
    add_to_basket(client, product)

    checkout(client, guest_email="tamu@example.test")

    assert Order.objects.get().attribution.channel == Channel.DIRECT
    assert selectors.campaign_report() == []


@pytest.mark.django_db
@pytest.mark.usefixtures("shipping_rates")
def test_a_landing_page_served_from_the_page_cache_still_records_the_touch(settings, product):
    settings.KARYA_PAGE_CACHE_SECONDS = 60
    Client().get(CAMPAIGN)  # an earlier visitor: the page is now in the cache
    visitor = Client()

    response = visitor.get(CAMPAIGN)

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert visitor.session[SESSION_KEY]["campaign"] == "lebaran-2026"
    add_to_basket(visitor, product)
    checkout(visitor, guest_email="tamu@example.test")
    assert Order.objects.get().attribution.campaign == "lebaran-2026"


@pytest.mark.django_db
def test_a_plain_anonymous_visit_gets_no_session_and_stays_cacheable(settings, product):
    settings.KARYA_PAGE_CACHE_SECONDS = 60

    response = Client().get("/catalogue/")

    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_recording_twice_keeps_the_first_attribution(product):
    from tests.factories import place_order

    order = place_order(basket=_basket(product))
    first = Touch(channel=Channel.EMAIL, source="newsletter", campaign="a", at=time.time())
    second = Touch(channel=Channel.SOCIAL, source="facebook", campaign="b", at=time.time())

    services.order_attribution_record(order_id=order.pk, touch=first)
    services.order_attribution_record(order_id=order.pk, touch=second)

    assert OrderAttribution.objects.get().campaign == "a"


@pytest.mark.django_db
def test_sales_by_channel_counts_pos_sales_under_their_own_channel(product, lapas, other_lapas):
    from tests.factories import place_order

    online = place_order(basket=_basket(product))
    services.order_attribution_record(
        order_id=online.pk,
        touch=Touch(channel=Channel.SHOPPING_FEED, source="google", medium="feed", at=time.time()),
    )
    place_order(basket=_basket(product), channel="pos", provider="cash")

    rows = {row.channel: row for row in selectors.sales_by_channel(lapas_ids=[lapas.pk])}

    assert set(rows) == {Channel.SHOPPING_FEED, selectors.POS}
    assert rows[selectors.POS].orders == 1 and rows[selectors.POS].paid_orders == 1
    assert rows[selectors.POS].revenue == 150000
    assert rows[Channel.SHOPPING_FEED].paid_orders == 0
    assert selectors.sales_by_channel(lapas_ids=[other_lapas.pk]) == []


def _basket(product):
    from oscar.apps.partner.strategy import Default
    from oscar.core.loading import get_model

    basket = get_model("basket", "Basket").objects.create()
    basket.strategy = Default()
    basket.add_product(product, 1)
    return basket
