"""The demo shows the marketing side: two campaigns with orders, a sent newsletter issue
with its log and a draft to try, and the product feeds built; loading again adds nothing."""

import pytest

from cms.models import NewsletterIssue
from shop.marketing import selectors
from shop.marketing.demo import marketing_demo_load
from shop.marketing.models import FeedFile, OrderAttribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def test_the_demo_has_two_campaigns_that_sold(demo, client):
    campaigns = {row.campaign: row for row in selectors.campaign_report(since=None)}

    assert {"promo-lebaran", "pameran-batik"} <= set(campaigns)
    assert campaigns["promo-lebaran"].paid_orders > 0
    assert campaigns["pameran-batik"].revenue > 0
    sent = NewsletterIssue.objects.get(slug="promo-lebaran")
    assert sent.status == NewsletterIssue.Status.SENT and sent.deliveries.count() == 3
    assert NewsletterIssue.objects.get(slug="batik-akhir-tahun").status == "draft"


def test_the_demo_feeds_are_served(demo, client):
    assert FeedFile.objects.count() == 4
    response = client.get("/feeds/google-en.xml")

    assert response.status_code == 200
    assert b"<g:price>" in b"".join(response.streaming_content)


def test_loading_the_marketing_demo_again_adds_nothing(demo):
    before = OrderAttribution.objects.count()

    marketing_demo_load()

    assert OrderAttribution.objects.count() == before
    assert NewsletterIssue.objects.count() == 2
