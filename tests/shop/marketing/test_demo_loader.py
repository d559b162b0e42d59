"""The marketing demo loader on its own (the demo shop's module shares one loaded shop
across its tests: test_demo.py): online orders credited by the shares of its data, POS
sales left to their own channel, issues and feeds made, and a second load adds nothing."""

import pytest

from cms.models import NewsletterIssue
from shop.marketing import selectors
from shop.marketing.demo import marketing_demo_load
from shop.marketing.models import OrderAttribution

pytestmark = pytest.mark.django_db


def test_the_marketing_demo_credits_online_orders_by_the_shares_of_its_data(product, central_admin):
    from shop.payments.services import order_mark_paid
    from tests.factories import place_order
    from tests.shop.marketing.test_attribution import _basket

    orders = [place_order(basket=_basket(product)) for _ in range(3)]
    for order in orders:
        order_mark_paid(order_id=order.pk, user=central_admin, reference=f"TRF-{order.number}")
    pos = place_order(basket=_basket(product), channel="pos", provider="cash")

    counts = marketing_demo_load()

    assert counts["orders attributed"] == 3 and counts["product feeds"] == 4
    assert not OrderAttribution.objects.filter(order=pos).exists()
    total = sum(row.paid_orders for row in selectors.sales_by_channel())
    assert total == 4
    assert NewsletterIssue.objects.get(slug="promo-lebaran").deliveries.count() == 3
    marketing_demo_load()
    assert OrderAttribution.objects.count() == 3
