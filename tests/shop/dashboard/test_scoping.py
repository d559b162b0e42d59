"""Staff of one Lapas see and edit only their own Lapas's products and orders."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ProductFactory, WorkshopFactory, place_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_product(other_lapas):
    return ProductFactory(
        title="Lemari Jati Cipinang", workshop=WorkshopFactory(lapas=other_lapas, name="Mebel")
    )


def order_for(product):
    from oscar.test.factories import create_basket

    basket = create_basket(empty=True)
    basket.add_product(product, 1)
    return place_order(basket=basket)


def test_workshop_staff_list_only_their_lapas_products(
    client, workshop_staff, product, other_product
):
    client.force_login(workshop_staff)

    response = client.get(reverse("dashboard:catalogue-product-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert product.title in body
    assert other_product.title not in body


def test_workshop_staff_cannot_open_or_edit_another_lapas_product(
    client, workshop_staff, other_product
):
    client.force_login(workshop_staff)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": other_product.pk})

    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Diubah", "upc": other_product.upc})

    assert response.status_code == 404
    other_product.refresh_from_db()
    assert other_product.title == "Lemari Jati Cipinang"


def test_workshop_staff_can_edit_their_own_product_page(client, workshop_staff, product):
    client.force_login(workshop_staff)

    response = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))

    assert response.status_code == 200


def test_workshop_staff_see_only_orders_of_their_lapas(
    client, workshop_staff, product, other_product
):
    own = order_for(product)
    foreign = order_for(other_product)
    client.force_login(workshop_staff)

    listing = client.get(reverse("dashboard:order-list")).content.decode()
    detail = client.get(reverse("dashboard:order-detail", kwargs={"number": foreign.number}))

    assert f"/dashboard/orders/{own.number}/" in listing
    assert f"/dashboard/orders/{foreign.number}/" not in listing
    assert detail.status_code == 404


def test_workshop_staff_cannot_manage_lapas_or_users(client, workshop_staff):
    client.force_login(workshop_staff)

    for name in ("dashboard:partner-list", "dashboard:users-index"):
        assert client.get(reverse(name)).status_code in (302, 403)


def test_a_buyer_has_no_dashboard_and_no_cms(client, buyer):
    client.force_login(buyer)

    assert client.get(reverse("dashboard:index")).status_code in (302, 403)
    assert client.get("/cms/").status_code in (302, 403)


def test_one_login_works_for_the_dashboard_and_the_cms(client, central_admin):
    client.login(username=central_admin.username, password="secret-pass-123")

    assert client.get(reverse("dashboard:index")).status_code == 200
    assert client.get("/cms/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_an_editor_reaches_the_cms_but_not_the_dashboard(client, db):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    editor = user_assign_role(user=UserFactory(username="editor"), role_code="editor")
    client.force_login(editor)

    assert client.get("/cms/").status_code == 200
    assert client.get("/cms/pages/").status_code == 200
    assert client.get(reverse("dashboard:index")).status_code in (302, 403)


def test_central_admin_edits_a_lapas_with_its_satker_code(client, central_admin, lapas):
    client.force_login(central_admin)

    page = client.get(f"/admin/partner/partner/{lapas.pk}/change/")

    assert page.status_code == 200
    assert lapas.satker_code in page.content.decode()


def test_a_bad_satker_code_is_refused_with_a_message(lapas):
    from django.core.exceptions import ValidationError

    lapas.satker_code = "12AB"
    with pytest.raises(ValidationError) as error:
        lapas.full_clean(exclude=["code"])
    assert "satker_code" in error.value.message_dict
