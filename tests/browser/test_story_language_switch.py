"""A visitor reads a workshop story in Indonesian, switches to English in the header and
lands on the English story, then switches back, in a real chromium."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.models import HomePage, LapasIndexPage, LapasPage, WorkshopStoryPage
from tests.factories import LapasFactory, WorkshopFactory

# The live server runs in another thread, so the data must be committed; the rollback
# restores what the migrations made (home page, locales, roles) for the tests after this one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def translate(page, **fields):
    copy = type(page).objects.get(
        pk=page.copy_for_translation(Locale.objects.get(language_code="en")).pk
    )
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


@pytest.fixture
def story(db):
    lapas = LapasFactory(name="Lapas Kelas I Tangerang")
    workshop = WorkshopFactory(lapas=lapas, name="Bengkel Roti", skills="Fermentasi adonan")
    home = HomePage.objects.get()
    index = home.add_child(instance=LapasIndexPage(title="Lapas dan Bengkel", slug="lapas"))
    lapas_page = index.add_child(
        instance=LapasPage(title=lapas.name, slug="tangerang", lapas=lapas, intro="Lapas.")
    )
    story = lapas_page.add_child(
        instance=WorkshopStoryPage(
            title="Bengkel Roti Lapas Tangerang",
            slug="bengkel-roti",
            workshop=workshop,
            intro="Roti dipanggang setiap pagi.",
        )
    )
    translate(home, title="Karya", hero_title="Handmade in prison workshops")
    translate(index, title="Prisons and workshops", slug="prisons")
    translate(lapas_page)
    translate(
        story,
        title="The bakery of Lapas Tangerang",
        slug="bakery",
        intro="Bread baked every morning.",
    )
    return story


def test_the_language_switch_on_a_story_lands_on_the_english_story(page, live_server, story):
    page.goto(live_server.url + story.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bengkel Roti Lapas Tangerang")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator(".topbar .language-switch").get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(r"/en/prisons/tangerang/bakery/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The bakery of Lapas Tangerang")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Bread baked every morning.")

    # Back again with the keyboard: the switch is reachable and works without a mouse.
    page.locator(".topbar .language-switch").get_by_role("link", name="Bahasa Indonesia").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/lapas/tangerang/bengkel-roti/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bengkel Roti Lapas Tangerang")
