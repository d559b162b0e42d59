"""Indonesian and English versions of pages live in Wagtail's localisation; the language
switch goes to the translated page."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.cms.conftest import translate

pytestmark = pytest.mark.django_db


def links(response):
    return {link["code"]: link for link in response.context["language_links"]}


@pytest.fixture
def english_story(home, story, locale_en):
    home_en = translate(home, locale=locale_en, title="Karya", hero_title="Handmade in prisons")
    index_en = translate(story.get_parent().get_parent().specific, locale=locale_en, slug="prisons")
    lapas_en = translate(story.get_parent().specific, locale=locale_en)
    story_en = translate(
        story, locale=locale_en, title="The bakery", slug="bakery", intro="Bread every morning."
    )
    return {"home": home_en, "index": index_en, "lapas": lapas_en, "story": story_en}


def test_the_switch_on_a_story_goes_to_its_translation(client, story, english_story):
    response = client.get(story.url)

    assert links(response)["en"]["url"] == "/en/prisons/lapas-tangerang/bakery/"
    assert links(response)["en"]["is_translation"]
    assert links(response)["id"]["active"]


def test_the_english_story_is_served_in_english_and_switches_back(client, story, english_story):
    response = client.get("/en/prisons/lapas-tangerang/bakery/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "The bakery" in body
    assert links(response)["id"]["url"] == story.url
    assert links(response)["en"]["active"]


def test_a_page_without_translation_switches_to_the_home_page_of_that_language(
    client, home, story, locale_en
):
    translate(home, locale=locale_en, title="Karya", hero_title="Handmade in prisons")

    response = client.get(story.url)

    assert links(response)["en"]["url"] == "/en/"
    assert not links(response)["en"]["is_translation"]  # so no hreflang for it
    assert '<link rel="alternate" hreflang="en"' not in response.content.decode()


def test_english_home_page_lists_english_pages_only(client, home, story, english_story):
    response = client.get("/en/")

    assert response.status_code == 200
    assert response.context["page"] == english_story["home"]
    assert [s.pk for s in response.context["stories"]] == [english_story["story"].pk]


def test_shop_pages_keep_switching_by_path(client, product):
    with translation.override("id"):
        url = product.get_absolute_url()

    response = client.get(url)

    assert links(response)["en"]["url"] == "/en" + url


def test_an_editor_translates_a_page_with_the_cms_translate_action(
    client, editor, home, story, locale_en
):
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=[home.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [locale_en.pk], "include_subtree": "on"})

    assert response.status_code == 302
    english_story = story.get_translation(locale_en)
    assert english_story.specific.workshop_id == story.workshop_id
    assert not english_story.live  # a draft copy, for the editor to translate and publish
