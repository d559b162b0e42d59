import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.core.demo import DEMO_PASSWORD, DEMO_USERS, demo_counts
from shop.institutions.services import CUSTOM_PRODUCT_CLASS

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def test_loading_twice_gives_the_same_shop(demo):
    first = demo_counts()
    call_command("load_demo_data", stdout=io.StringIO())

    assert demo_counts() == first


def test_demo_shop_has_lapas_workshops_and_products_across_the_standard(demo):
    assert Partner.objects.count() >= 3
    assert all(p.workshops.exists() for p in Partner.objects.all())
    assert Product.objects.browsable().count() >= 40
    tops = set(Category.objects.filter(depth=1).values_list("name", flat=True))
    assert {"Pertanian dan Perikanan", "Jasa", "Industri"} <= tops
    assert Product.objects.filter(product_class__requires_shipping=False).exists()
    # Every product has a picture but the custom items made for one quote (shop.institutions).
    assert all(
        p.images.exists() for p in Product.objects.exclude(product_class__slug=CUSTOM_PRODUCT_CLASS)
    )
    assert all(p.stockrecords.exists() for p in Product.objects.all())


def test_every_demo_login_works(demo):
    roles = {user["role"] for user in DEMO_USERS}
    assert {
        "buyer",
        "workshop_staff",
        "cashier",
        "treasurer",
        "kalapas",
        "editor",
        "central_admin",
    } <= roles
    for user in DEMO_USERS:
        assert authenticate(username=user["username"], password=DEMO_PASSWORD), user["username"]


def test_demo_home_page_features_products(demo, client):
    response = client.get("/")

    assert response.status_code == 200
    assert len(response.context["featured"]) == 8


def test_demo_prints_the_logins(db, capsys):
    call_command("load_demo_data")

    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for user in DEMO_USERS:
        assert user["username"] in out


def test_demo_workshop_staff_sees_only_their_lapas_in_the_dashboard(demo, client):
    client.login(username="staf.tangerang", password=DEMO_PASSWORD)

    body = client.get(reverse("dashboard:catalogue-product-list")).content.decode()

    assert "KRY-TNG-" in body
    assert "KRY-CPN-" not in body


def test_demo_has_one_approved_monthly_report_of_the_kalapas(demo):
    from production_link.models import PnbpReport

    # (the work programme demo approves the last quarter's monev report as well)
    report = PnbpReport.objects.get(kind="monthly")
    assert report.approved_by.username == "kalapas.tangerang"
