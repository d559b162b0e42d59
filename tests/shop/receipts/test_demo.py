"""The demo buyer keeps receipts of their paid orders (issue 23)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.shop.receipts.test_receipts import pdf_strings

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_pembeli_downloads_the_receipt_of_a_paid_demo_order(demo_shop, client):
    paid = Order.objects.filter(user__username="pembeli", recorded_payment__isnull=False)
    order = paid.order_by("number").first()
    batch = order.lines.first().allocations.first().batch
    client.force_login(order.user)

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    receipt = client.get(reverse("receipts:order", kwargs={"order_number": order.number}))

    assert paid.count() > 1
    assert reverse("receipts:order", kwargs={"order_number": order.number}) in page.content.decode()
    assert batch.code in pdf_strings(receipt.content)
    assert order.lapas.name in pdf_strings(receipt.content)
    # The profile page leads to the data download; the footer to the privacy notice.
    profile = client.get(reverse("customer:profile-view")).content.decode()
    assert reverse("privacy:account") in profile and reverse("privacy:notice") in profile
