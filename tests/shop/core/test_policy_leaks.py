"""The leaks found by trying the demo shop in each role, each closed by the policy."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from production_link.models import Batch
from shop.apps.core.services import user_assign_role
from shop.apps.order import statuses
from tests.factories import ProductFactory, UserFactory, WorkshopFactory

Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db


def role(username, code, lapas):
    return user_assign_role(user=UserFactory(username=username), role_code=code, lapas=lapas)


@pytest.fixture
def treasurer(lapas):
    return role("bendahara.policy", "treasurer", lapas)


@pytest.fixture
def kalapas(lapas):
    return role("kalapas.policy", "kalapas", lapas)


@pytest.fixture
def cashier(lapas):
    return role("kasir.policy", "cashier", lapas)


@pytest.fixture
def awaiting_order(product, lapas):
    """A bank-transfer order of the Lapas, awaiting payment (made directly: the subject
    here is who may mark it paid, not how it is placed)."""
    order = Order.objects.create(
        number=f"P{uuid.uuid4().int % 10**9:09d}",
        currency="IDR",
        total_incl_tax=Decimal("150000"),
        total_excl_tax=Decimal("150000"),
        status=statuses.AWAITING_PAYMENT,
        guest_email="pembeli@example.test",
    )
    Line.objects.create(
        order=order,
        partner=lapas,
        partner_name=lapas.name,
        partner_sku=product.upc,
        product=product,
        title=product.title,
        quantity=1,
        line_price_incl_tax=Decimal("150000"),
        line_price_excl_tax=Decimal("150000"),
        line_price_before_discounts_incl_tax=Decimal("150000"),
        line_price_before_discounts_excl_tax=Decimal("150000"),
        unit_price_incl_tax=Decimal("150000"),
        unit_price_excl_tax=Decimal("150000"),
        num_allocated=1,
    )
    if any(field.name == "lapas" for field in Order._meta.fields):
        Order.objects.filter(pk=order.pk).update(lapas=lapas)  # an order belongs to one Lapas
    return order


def test_the_treasurer_can_neither_reprice_nor_delete_a_product(client, treasurer, product):
    client.force_login(treasurer)
    page = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    delete = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})

    assert client.get(page).status_code == 403
    assert client.post(page, {"title": "Murah", "pricing-price_online": "1"}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete).status_code == 403

    product.refresh_from_db()
    assert product.title == "Roti Sobek Cokelat"
    assert product.stockrecords.get().price == Decimal("150000")


def test_the_kalapas_cannot_plan_a_batch_through_the_api(client, kalapas, product):
    client.force_login(kalapas)
    before = Batch.objects.count()

    response = client.post(
        "/api/v1/batches",
        {
            "product_id": product.pk,
            "workshop_id": product.workshop_id,
            "planned_quantity": 10,
            "production_date": "2026-12-01",
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Batch.objects.count() == before
    # …but reads the batches of the Lapas.
    assert client.get("/api/v1/batches").status_code == 200


def test_workshop_staff_cannot_open_the_product_delete_page(client, workshop_staff, product):
    client.force_login(workshop_staff)
    delete = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})

    assert client.get(delete).status_code == 403
    assert client.post(delete).status_code == 403
    assert (
        client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})).status_code
        == 200
    )


def test_the_cashier_sees_nothing_of_the_dashboard(client, cashier):
    client.force_login(cashier)

    for url in (
        "/dashboard/",
        "/dashboard/catalogue/",
        "/dashboard/orders/",
        "/dashboard/batches/",
    ):
        assert client.get(url).status_code == 403, url
    assert "Point of sale" not in client.get("/").content.decode()


def test_workshop_staff_are_neither_offered_nor_allowed_paid(
    client, workshop_staff, awaiting_order
):
    client.force_login(workshop_staff)
    url = reverse("dashboard:order-detail", kwargs={"number": awaiting_order.number})

    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Paid"' not in page.content.decode()

    response = client.post(url, {"order_action": "change_order_status", "new_status": "Paid"})
    assert response.status_code == 403
    awaiting_order.refresh_from_db()
    assert awaiting_order.status == statuses.AWAITING_PAYMENT


def test_the_treasurer_is_offered_paid(client, treasurer, awaiting_order):
    client.force_login(treasurer)
    url = reverse("dashboard:order-detail", kwargs={"number": awaiting_order.number})

    assert 'value="Paid"' in client.get(url).content.decode()


def test_a_variant_cannot_go_under_another_lapas_product(client, workshop_staff, other_lapas):
    foreign = ProductFactory(workshop=WorkshopFactory(lapas=other_lapas, name="Mebel"))
    client.force_login(workshop_staff)

    url = reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": foreign.pk})
    assert client.get(url).status_code == 404


def test_the_menu_follows_the_policy(client, workshop_staff, treasurer):
    client.force_login(workshop_staff)
    staff_menu = client.get("/dashboard/").content.decode()
    client.force_login(treasurer)
    treasurer_menu = client.get("/dashboard/").content.decode()

    assert reverse("production_dashboard:batch-create") in staff_menu
    assert reverse("pnbp_dashboard:entry-list") not in staff_menu
    assert reverse("pnbp_dashboard:entry-list") in treasurer_menu
    assert reverse("production_dashboard:batch-list") not in treasurer_menu
