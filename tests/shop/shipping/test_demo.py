"""The demo buyer has an order on its way, with its courier and waybill (issue 23)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.order import statuses
from shop.apps.shipping.demo import SHIPPED_ORDER_NUMBER, SHIPPED_WAYBILL, parcel_demo_load

Order = get_model("order", "Order")
OrderParcel = get_model("shipping", "OrderParcel")

pytestmark = pytest.mark.django_db


def test_pembeli_follows_a_shipped_parcel_from_the_order_page(demo_shop, client):
    order = Order.objects.get(number=SHIPPED_ORDER_NUMBER)
    (parcel,) = order.parcels.all()
    assert order.user.username == "pembeli"
    assert order.status == statuses.SHIPPED
    assert (parcel.courier, parcel.waybill) == ("jne", SHIPPED_WAYBILL)

    client.force_login(order.user)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert parcel.tracking_url in page.content.decode()


def test_loading_the_parcel_demo_again_changes_nothing(demo_shop):
    before = OrderParcel.objects.count()

    parcel_demo_load()

    assert OrderParcel.objects.count() == before
