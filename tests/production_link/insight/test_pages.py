"""The insight pages: who may open them, for which Lapas, in both languages, their CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from production_link.insight import counters

pytestmark = pytest.mark.django_db

PAGES = ("index", "demand", "products", "buyers")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(page: str, lang: str = "id", **query) -> str:
    with translation.override(lang):  # the language is the URL's prefix (/en/...)
        url = reverse(f"insight_dashboard:{page}")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize("page", PAGES)
def test_workshop_staff_see_their_own_lapas(shop, workshop_staff, lapas, page):
    response = _client(workshop_staff).get(_url(page))
    assert response.status_code == 200
    content = response.content.decode()
    assert lapas.name in content
    assert "Kain Batik Tulis" not in content  # the other Lapas's product
    assert "<svg" in content or page == "index"


def test_the_kalapas_sees_what_to_make_next_and_why(shop, kalapas):
    response = _client(kalapas).get(_url("index", lang="en"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Make another batch of Kue Lapis" in content
    assert "Batch " in content and "sold 1 units in 1 days" in content


def test_pages_in_indonesian_by_default(shop, workshop_staff):
    content = _client(workshop_staff).get(_url("index")).content.decode()
    assert "Wawasan permintaan" in content
    assert "Buat lagi satu batch Kue Lapis" in content


@pytest.mark.parametrize("page", PAGES)
def test_another_lapas_is_refused(shop, other_workshop_staff, lapas, page):
    response = _client(other_workshop_staff).get(_url(page, lapas=lapas.pk))
    assert response.status_code == 403


def test_every_lapas_together_is_for_central_admins_only(shop, workshop_staff, central_admin):
    assert _client(workshop_staff).get(_url("buyers", lapas="all")).status_code == 403
    response = _client(central_admin).get(_url("buyers", lapas="all"))
    assert response.status_code == 200
    assert "Jawa Barat" in response.content.decode()  # the other Lapas's buyer province


@pytest.mark.parametrize("who", ["buyer", "treasurer"])
def test_buyers_and_treasurers_are_refused(shop, request, who):
    user = request.getfixturevalue(who)
    for page in PAGES:
        assert _client(user).get(_url(page)).status_code == 403
    assert _client(user).get(reverse("insight_dashboard:csv", args=["funnel"])).status_code == 403


def test_the_anonymous_are_sent_to_log_in(shop):
    response = Client().get(_url("index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_period_that_means_nothing_is_said_and_the_year_shown(shop, workshop_staff):
    response = _client(workshop_staff).get(_url("index", lang="en", months="7"))
    assert response.status_code == 200
    assert "Choose 3, 6 or 12 months." in response.content.decode()
    assert response.context["scope"].months == 12
    response = _client(workshop_staff).get(_url("index", lapas="abc"))
    assert response.status_code == 200
    assert response.context["errors"]


def test_no_buyer_is_named_on_the_pages(shop, central_admin):
    client = _client(central_admin)
    for page in PAGES:
        content = client.get(_url(page, lapas="all")).content.decode()
        assert "pembeli.roti" not in content
        assert "tamu@example.test" not in content


def _rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_csv_holds_the_figures_of_the_chart(shop, workshop_staff):
    with translation.override("en"):
        url = reverse("insight_dashboard:csv", args=["provinces"])
    response = _client(workshop_staff).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert _rows(response) == [
        ["Province", "Orders", "Sales (Rp)"],
        ["Banten", "2", "50000"],
        ["DKI Jakarta", "1", "20000"],
    ]


def test_csv_neutralises_formulas_typed_into_the_search(shop, workshop_staff):
    counters.search_note(query="=HYPERLINK(1)", result_count=0)
    response = _client(workshop_staff).get(
        reverse("insight_dashboard:csv", args=["searches-unmet"])
    )
    queries = [row[0] for row in _rows(response)[1:]]
    assert "'=hyperlink(1)" in queries


def test_csv_of_another_lapas_is_refused_and_an_unknown_table_is_404(
    shop, other_workshop_staff, workshop_staff, lapas
):
    url = reverse("insight_dashboard:csv", args=["funnel"])
    assert _client(other_workshop_staff).get(f"{url}?lapas={lapas.pk}").status_code == 403
    unknown = reverse("insight_dashboard:csv", args=["nothing"])
    assert _client(workshop_staff).get(unknown).status_code == 404


@pytest.fixture
def regional_officer(shop, lapas):
    from production_link.programme.models import Region, RegionalOfficer, RegionLapas
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    region = Region.objects.create(name="Kanwil Banten", province="Banten")
    RegionLapas.objects.create(region=region, lapas=lapas)
    user = user_assign_role(
        user=UserFactory(username="kanwil.banten"), role_code="regional_officer"
    )
    RegionalOfficer.objects.create(user=user, region=region)
    return user


def test_a_regional_officer_sees_the_lapas_of_their_region(regional_officer, lapas, other_lapas):
    client = _client(regional_officer)
    response = client.get(_url("buyers"))
    assert response.status_code == 200
    assert response.context["scope"].lapas_ids == (lapas.pk,)
    content = response.content.decode()
    assert "Kanwil Banten" in content
    assert "Jawa Barat" not in content  # the other Lapas's buyer province
    assert client.get(_url("products", lapas=lapas.pk)).status_code == 200
    assert client.get(_url("products", lapas=other_lapas.pk)).status_code == 403
