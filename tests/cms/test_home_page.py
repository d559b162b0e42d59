import pytest
from wagtail.models import Page

from cms.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    return user_assign_role(user=UserFactory(username="editor"), role_code="editor")


def test_the_site_root_is_karyas_home_page():
    home = HomePage.objects.get()

    assert home.get_site().root_page.specific == home
    assert home.url == "/"


def test_an_editor_edits_the_home_page_and_picks_products(client, editor, product):
    home = HomePage.objects.get()
    client.force_login(editor)

    edit = client.get(f"/cms/pages/{home.pk}/edit/")
    chooser = client.get("/cms/product_chooser/", {"q": "Sobek"})

    assert edit.status_code == 200
    assert chooser.status_code == 200
    assert product.title in chooser.json()["html"]


def test_unpublished_products_are_not_featured(client, product):
    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    product.is_public = False
    product.save()

    response = client.get("/")

    assert response.context["featured"] == []


def test_home_page_queries_do_not_grow_with_featured_products(client, product):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProductFactory

    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(6):
        home.featured_products.create(product=ProductFactory(workshop=product.workshop))
    with CaptureQueriesContext(connection) as seven:
        client.get("/")

    assert len(seven) == len(one)
    assert Page.objects.filter(depth=2).count() == 1
