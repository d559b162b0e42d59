"""Catalogue content in two languages (issue 18): English text where it exists, the
Indonesian one with a visible note where it does not, English search on English names,
both languages in the sitemap and JSON-LD, the English title edited in the dashboard
by the same people (and only them) as before."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from catalog import selectors
from tests.catalog.test_storefront import json_ld
from tests.factories import CategoryFactory, ProductFactory, WorkshopFactory, released_batch
from tests.shop.dashboard.test_catalogue import (  # noqa: F401  (food: a publishable product)
    food,
    open_page,
    page_data,
    product_url,
)
from tests.shop.search.test_search import backend  # noqa: F401  (fixture: both backends)

Product = get_model("catalogue", "Product")
Segment = get_model("catalogue", "Segment")

pytestmark = pytest.mark.django_db

NOTE = "Not yet translated into English"


def english_url(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def indonesian_url(obj) -> str:
    with translation.override("id"):
        return obj.get_absolute_url()


def visible(body: str) -> str:
    """The page without its JSON-LD (which names the other language's title too)."""
    return re.sub(r"<script[^>]*>.*?</script>", "", body, flags=re.S)


@pytest.fixture
def translated(product):
    product.title_en = "Chocolate Pull-apart Bread"
    product.description_en = "<p>Soft bread with chocolate.</p>"
    product.ingredients_en = "Wheat flour, chocolate, sugar."
    product.save()
    return product


def test_an_english_page_shows_the_english_texts_without_a_note(client, translated):
    body = client.get(english_url(translated)).content.decode()

    assert "Chocolate Pull-apart Bread" in body
    assert "Soft bread with chocolate." in body
    assert NOTE not in body


def test_the_indonesian_page_keeps_the_indonesian_texts(client, translated):
    body = visible(client.get(indonesian_url(translated)).content.decode())

    assert "Roti Sobek Cokelat" in body
    assert "Chocolate Pull-apart Bread" not in body
    assert NOTE not in body


def test_an_untranslated_product_shows_indonesian_on_english_pages_with_a_note(client, product):
    product.description = "<p>Roti lembut isi cokelat.</p>"
    product.save()

    body = client.get(english_url(product)).content.decode()

    assert "Roti Sobek Cokelat" in body
    assert NOTE in body
    # Screen readers read the fallback as Indonesian.
    assert re.search(r'<div class="rich-text" lang="id">\s*<p>Roti lembut isi cokelat', body)


def test_a_category_and_a_segment_fall_back_with_a_note(client, product):
    category = CategoryFactory(name="Roti dan Kue")
    segment = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    product.categories.add(category)
    product.segments.add(segment)

    for obj in (category, segment):
        body = client.get(english_url(obj)).content.decode()
        assert NOTE in body

    category.name_en = "Bread and Cakes"
    category.save()
    body = client.get(english_url(category)).content.decode()
    assert "Bread and Cakes" in body
    assert NOTE not in body


def test_json_ld_is_in_the_page_language_and_names_the_other(client, translated):
    english = json_ld(client.get(english_url(translated)).content.decode())
    indonesian = json_ld(client.get(indonesian_url(translated)).content.decode())

    assert english["name"] == "Chocolate Pull-apart Bread"
    assert english["alternateName"] == "Roti Sobek Cokelat"
    assert english["description"] == "Soft bread with chocolate."
    assert english["url"].endswith(english_url(translated))
    assert indonesian["name"] == "Roti Sobek Cokelat"
    assert indonesian["alternateName"] == "Chocolate Pull-apart Bread"


def test_the_sitemap_lists_each_product_in_both_languages_with_alternates(client, translated):
    body = client.get("/sitemap.xml").content.decode()

    indonesian, english = indonesian_url(translated), english_url(translated)
    assert english.startswith("/en/")
    assert re.search(rf"<loc>[^<]*{re.escape(english)}</loc>", body)
    assert re.search(rf'hreflang="id"\s+href="[^"]*{re.escape(indonesian)}"', body)
    assert re.search(rf'hreflang="en"\s+href="[^"]*{re.escape(english)}"', body)


# --- Search


def search_titles(query: str, language: str) -> list[str]:
    with translation.override(language):
        return [p.title for p in selectors.product_search(query=query).products]


def test_english_search_finds_english_names_with_english_stems(backend, product):  # noqa: F811
    # Words that the English-Indonesian term list does not know: only the English name
    # can find them.
    product.title_en = "Sunflower Seed Rolls"
    product.save()
    other = ProductFactory(title="Kursi Jati", workshop=product.workshop)

    assert search_titles("sunflower", "en") == ["Sunflower Seed Rolls"]
    assert search_titles("roll", "en") == ["Sunflower Seed Rolls"]
    # Not yet translated: still found by its Indonesian name, and shown with it.
    assert search_titles("kursi", "en") == [other.title]
    assert search_titles("cokelat", "id") == ["Roti Sobek Cokelat"]


def test_english_search_finds_english_category_and_workshop_names(backend, product):  # noqa: F811
    category = CategoryFactory(name="Aneka Roti")
    product.categories.add(category)
    assert search_titles("patisserie", "en") == []

    category.name_en = "Patisserie"
    category.save()
    workshop = product.workshop
    workshop.name_en = "Brickoven Workshop"
    workshop.save()

    assert search_titles("patisserie", "en") == ["Roti Sobek Cokelat"]
    assert search_titles("brickoven", "en") == ["Roti Sobek Cokelat"]


def test_the_english_search_page_finds_the_bread(client, translated):
    response = client.get("/en/search/", {"q": "chocolate bread"})

    assert response.status_code == 200
    assert "Chocolate Pull-apart Bread" in response.content.decode()


def test_the_title_sort_reads_the_visitors_language(product):
    product.title_en = "Chocolate Bread"
    product.save()
    ProductFactory(title="Bantal Batik", title_en="Batik Cushion", workshop=product.workshop)
    ProductFactory(title="Anyaman Rotan", workshop=product.workshop)  # not translated

    with translation.override("en"):
        found = [p.title for p in selectors.product_list(sort=selectors.SORT_TITLE)]

    assert found == ["Anyaman Rotan", "Batik Cushion", "Chocolate Bread"]


# --- Dashboard


def test_workshop_staff_edit_the_english_title_in_the_dashboard(client, workshop_staff, food):  # noqa: F811
    product = food
    client.force_login(workshop_staff)
    data = page_data(open_page(client, product))
    data["title_en"] = "Chocolate Pull-apart Bread"
    data["ingredients_en"] = "Wheat flour, chocolate."
    data["packaging_material_en"] = "Food-grade PP plastic"

    response = client.post(product_url(product), data)

    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert product.title_en == "Chocolate Pull-apart Bread"
    assert product.ingredients_en == "Wheat flour, chocolate."
    assert product.packaging_material_en == "Food-grade PP plastic"
    assert product.title_ind == "Roti Tawar Gandum"


def test_the_plain_title_edits_indonesian_even_on_the_english_dashboard(
    client,
    workshop_staff,
    food,  # noqa: F811
):
    translated = food
    translated.title_en = "Whole Wheat Bread"
    translated.save()
    client.force_login(workshop_staff)
    with translation.override("en"):
        url = product_url(translated)
    assert url.startswith("/en/")
    response = client.get(url)
    assert response.context["form"]["title"].value() == "Roti Tawar Gandum"
    data = page_data(response)
    data["title"] = "Roti Tawar Gandum Utuh"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    translated.refresh_from_db()
    assert translated.title_ind == "Roti Tawar Gandum Utuh"
    assert translated.title_en == "Whole Wheat Bread"


def test_another_lapas_staff_cannot_edit_the_english_title(
    client, other_workshop_staff, translated
):
    client.force_login(other_workshop_staff)

    response = client.post(
        product_url(translated), {"title": "Diubah", "title_en": "Changed", "upc": translated.upc}
    )

    assert response.status_code == 404
    translated.refresh_from_db()
    assert translated.title_en == "Chocolate Pull-apart Bread"


def test_a_buyer_cannot_edit_the_english_title(client, buyer, translated):
    client.force_login(buyer)

    response = client.post(product_url(translated), {"title_en": "Changed"})

    assert response.status_code in (302, 403)
    translated.refresh_from_db()
    assert translated.title_en == "Chocolate Pull-apart Bread"


def test_central_staff_name_a_category_in_english(client, central_admin):
    category = CategoryFactory(name="Mebel")
    client.force_login(central_admin)
    url = reverse("dashboard:catalogue-category-update", kwargs={"pk": category.pk})
    form = client.get(url).context["form"]
    assert "name_en" in form.fields

    response = client.post(
        url,
        {
            "name": "Mebel",
            "name_en": "Furniture",
            "slug": category.slug,
            "is_public": "on",
            "treebeard_position": "first-child",
            "treebeard_ref_node": "",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    category.refresh_from_db()
    assert (category.name_ind, category.name_en) == ("Mebel", "Furniture")


def test_a_workshop_named_in_english_keeps_names_unique_per_lapas(product):
    # Workshops without an English name store none (NULL), so two of one Lapas do not
    # collide on the English name.
    second = WorkshopFactory(lapas=product.workshop.lapas, name="Bengkel Batik")
    assert second.name_en is None and product.workshop.name_en is None


def test_listing_cards_mark_untranslated_titles_as_indonesian(client, product):
    ProductFactory(title="Kursi Jati", title_en="Teak Chair", workshop=product.workshop)

    body = client.get("/en/catalogue/").content.decode()

    assert 'lang="id">Roti Sobek Cokelat</a>' in body
    assert '">Teak Chair</a>' in body


def test_the_django_admin_edits_both_languages(client, central_admin, product):
    segment = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    category = CategoryFactory(name="Roti")
    client.force_login(central_admin)

    for obj, field in (
        (product, "title"),
        (product.workshop, "name"),
        (segment, "name"),
        (category, "name"),
        (product.product_class, "name"),
    ):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        body = client.get(url).content.decode()
        assert f'name="{field}_ind"' in body and f'name="{field}_en"' in body, url


def test_workshop_staff_cannot_reach_the_django_admin(client, workshop_staff, product):
    client.force_login(workshop_staff)
    url = reverse("admin:catalogue_product_change", args=[product.pk])

    assert client.get(url).status_code == 302  # to the admin's login


def test_the_batch_list_finds_a_batch_by_either_title(client, workshop_staff, translated):
    batch = released_batch(product=translated, quantity=3)
    client.force_login(workshop_staff)

    for query in ("Sobek", "Pull-apart"):
        body = client.get(reverse("production_dashboard:batch-list"), {"q": query})
        assert batch.code in body.content.decode(), query


def test_an_english_product_page_costs_no_more_queries_than_the_indonesian(client, translated):
    # Translations are columns of the same rows: the English page reads what the
    # Indonesian one reads. Another product's pages warm the caches of both languages.
    other = ProductFactory(title="Kursi Jati", title_en="Teak Chair", workshop=translated.workshop)
    client.get(indonesian_url(other))
    client.get(english_url(other))
    with CaptureQueriesContext(connection) as indonesian:
        assert client.get(indonesian_url(translated)).status_code == 200
    with CaptureQueriesContext(connection) as english:
        assert client.get(english_url(translated)).status_code == 200

    assert len(english) <= len(indonesian)
