"""The demo is built from its data files (issue 17 part 5): the marketing site's own pages,
the point of sale and the PNBP ledger read data/demo/cms_pages.yaml, pos.yaml and
pnbp.yaml, and what the demo shows is what those files say."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Locale, Page

from production_link.models import PublicHoliday, RevenueSplit
from shop.apps.core.datafiles import data_file
from shop.pos.models import PosLocation, PosSession

Checkout = get_model("order", "Checkout")

pytestmark = pytest.mark.django_db

PAGES = data_file("demo/cms_pages.yaml")
POS = data_file("demo/pos.yaml")
PNBP = data_file("demo/pnbp.yaml")


@pytest.fixture
def demo(demo_shop, db):
    """The demo shop, loaded once for this module (tests/conftest.py)."""


def both(entry):
    """The page of a cms_pages.yaml entry in Indonesian and its English translation."""
    page = Page.objects.get(slug=entry["slug"]["id"], locale__language_code="id").specific
    english = page.get_translation(Locale.objects.get(language_code="en")).specific
    assert english.slug == entry["slug"]["en"]
    return {"id": page, "en": english}


def test_the_sites_own_pages_hold_the_files_texts(demo):
    entries = [PAGES[name] for name in ("lapas_index", "exhibition_index", "news_index")]
    entries += [PAGES["impact"], PAGES["contact"], *PAGES["segments"], *PAGES["exhibitions"]]
    for entry in entries:
        for lang, page in both(entry).items():
            assert page.live
            for field, value in entry[lang].items():
                assert getattr(page, field) == value, (entry["slug"], lang, field)


def test_bodies_links_and_dates_come_from_the_files(demo):
    today = timezone.localdate()
    for show in PAGES["exhibitions"]:
        page = both(show)["id"]
        assert page.start_date == today + datetime.timedelta(days=show["starts_in_days"])
        assert page.end_date == today + datetime.timedelta(days=show["ends_in_days"])
        assert page.venue == show["venue"] and page.map_url == show["map_url"]
        shown = [f.product.upc for f in page.featured_products.order_by("sort_order")]
        assert shown == show["products"]
    for entry in PAGES["segments"]:
        for lang, page in both(entry).items():
            blocks = {block.block_type: block.value for block in page.body}
            assert blocks["rich_text"].source == entry["body"][lang]["text"]
            assert blocks["product_grid"]["heading"] == entry["body"][lang]["grid_heading"]
            if entry["body"].get("product"):
                assert blocks["product"]["product"].upc == entry["body"]["product"]
    contact = both(PAGES["contact"])
    assert contact["id"].to_address == PAGES["contact"]["to_address"]
    assert contact["en"].body[0].value.source == PAGES["contact"]["body"]["en"]


def test_the_point_of_sale_is_the_files(demo):
    for kind in ("gallery", "exhibition"):
        location = PosLocation.objects.get(stock_location__kind=kind)
        spec = POS[kind]
        assert location.stock_location.lapas.short_code == POS["lapas"]
        assert (location.name, location.venue) == (spec["name"], spec["venue"])
        assert location.cashiers.filter(username=POS["cashier"]).exists()
    session = PosSession.objects.get()
    assert session.difference == -POS["session"]["short_by"]
    assert session.difference_reason == POS["session"]["closing_reason"]
    assert session.opening_float == Decimal(POS["session"]["opening_float"])


def test_the_pnbp_ledger_is_the_files(demo):
    prefix = PNBP["number_prefix"]
    assert Checkout.objects.filter(number__startswith=prefix).count() == len(PNBP["orders"])
    split = RevenueSplit.objects.get(lapas__short_code=PNBP["revenue_split"]["lapas"])
    assert split.pnbp_percent == Decimal(PNBP["revenue_split"]["pnbp"])
    assert split.premi_percent == Decimal(PNBP["revenue_split"]["premi"])
    year = timezone.localdate().year
    for holiday in PNBP["fixed_holidays"]:
        assert PublicHoliday.objects.filter(
            date=datetime.date(year, holiday["month"], holiday["day"])
        ).exists()
