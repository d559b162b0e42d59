"""The demo marketing site: every page type, in Indonesian and English, loaded twice the
same."""

import pytest
from wagtail.models import Locale, Page

from cms.demo import cms_demo_counts, cms_demo_load
from cms.models import (
    ArticlePage,
    ContactPage,
    ExhibitionPage,
    HomePage,
    ImpactPage,
    LapasPage,
    SegmentPage,
    WorkshopStoryPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def count(model, lang):
    return model.objects.live().filter(locale__language_code=lang).count()


def test_demo_site_has_every_page_in_both_languages(demo):
    for lang in ("id", "en"):
        assert count(HomePage, lang) == 1
        assert count(SegmentPage, lang) == 2
        assert count(LapasPage, lang) >= 1
        assert count(WorkshopStoryPage, lang) >= 1
        assert count(ExhibitionPage, lang) == 2
        assert count(ArticlePage, lang) == 3
        assert count(ImpactPage, lang) == 1
        assert count(ContactPage, lang) == 1
    english = Locale.objects.get(language_code="en")
    for page in Page.objects.filter(depth__gte=3, locale__language_code="id"):
        assert page.has_translation(english), page.title


def test_loading_the_demo_site_again_changes_nothing(demo):
    first = cms_demo_counts()

    cms_demo_load()

    assert cms_demo_counts() == first


def test_a_visitor_goes_from_home_to_a_story_a_segment_and_an_exhibition(demo, client):
    home = client.get("/")
    stories, segments = home.context["stories"], home.context["segments"]
    exhibitions = home.context["exhibitions"]

    assert stories and segments and exhibitions
    for page in (stories[0], segments[0], exhibitions[0]):
        assert page.url in home.content.decode()
        assert client.get(page.url).status_code == 200
    english = client.get(stories[0].url).context["language_links"][1]
    assert english["is_translation"]
    assert client.get(english["url"]).status_code == 200
