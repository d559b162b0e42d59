"""Search engines and link previews: sitemap.xml, robots.txt, canonical links,
OpenGraph/Twitter tags and JSON-LD that parses."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from cms.models import HomePage
from tests.cms.conftest import translate
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "http://localhost"  # the Wagtail Site made by the cms migration


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return root, [loc.text for loc in root.findall("s:url/s:loc", NS)]


def jsonld(body):
    soup = BeautifulSoup(body, "html.parser")
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def test_sitemap_lists_pages_products_and_categories_in_both_languages(
    client, home, story, locale_en
):
    category = CategoryFactory(name="Makanan", slug="makanan")
    product = ProductFactory(title="Roti Gandum", categories=[category])
    hidden = ProductFactory(title="Roti Lama")
    hidden.is_public = False
    hidden.save()
    translate(home, locale=locale_en, title="Karya", hero_title="Handmade")

    root, locations = sitemap_locations(client)

    assert f"{BASE}/" in locations
    assert f"{BASE}/en/" in locations
    assert f"{BASE}{story.url}" in locations
    assert f"{BASE}{product.get_absolute_url()}" in locations
    assert f"{BASE}/en{product.get_absolute_url()}" in locations
    assert f"{BASE}{category.get_absolute_url()}" in locations
    assert not any(str(hidden.pk) + "/" in loc and "roti-lama" in loc for loc in locations)


def test_sitemap_names_the_language_versions_of_a_page(client, home, locale_en):
    translate(home, locale=locale_en, title="Karya", hero_title="Handmade")

    root, _ = sitemap_locations(client)

    home_entry = next(
        u for u in root.findall("s:url", NS) if u.find("s:loc", NS).text == BASE + "/"
    )
    alternates = {
        link.get("hreflang"): link.get("href") for link in home_entry.findall("x:link", NS)
    }
    assert alternates == {"id": BASE + "/", "en": BASE + "/en/"}


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    for path in ("/cms/", "/dashboard/", "/checkout/", "/basket/", "/accounts/"):
        assert f"Disallow: {path}" in text
    assert "Disallow: /\n" not in text


def test_pages_have_canonical_opengraph_and_twitter_tags(client, story, image):
    story.image = image
    story.search_description = "Roti dari Tangerang."
    story.save()

    soup = BeautifulSoup(client.get(story.url).content, "html.parser")

    assert soup.find("link", rel="canonical")["href"] == BASE + story.url
    assert soup.find("meta", property="og:title")["content"] == "Bengkel Roti"
    assert soup.find("meta", property="og:description")["content"] == "Roti dari Tangerang."
    assert soup.find("meta", property="og:url")["content"] == BASE + story.url
    assert soup.find("meta", property="og:image")["content"].startswith(BASE + "/media/images/")
    assert soup.find("meta", property="og:locale")["content"] == "id_ID"
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_shop_pages_get_canonical_links_too(client, product):
    soup = BeautifulSoup(client.get("/catalogue/?sort_by=title-asc").content, "html.parser")

    assert soup.find("link", rel="canonical")["href"] == BASE + "/catalogue/"
    alternates = {link["hreflang"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {"id", "en"}


def test_home_page_describes_the_organisation_in_json_ld(client, home):
    data = jsonld(client.get("/").content.decode())

    organisation = next(d for d in data if d["@type"] == "Organization")
    assert organisation["@context"] == "https://schema.org"
    assert organisation["name"] == "Karya"
    assert organisation["url"] == BASE + "/"


def test_exhibition_page_is_an_event_with_breadcrumbs_in_json_ld(client, exhibitions):
    page = exhibitions["upcoming"]

    data = jsonld(client.get(page.url).content.decode())

    event = next(d for d in data if d["@type"] == "Event")
    assert event["name"] == page.title
    assert event["startDate"] == page.start_date.isoformat()
    assert event["endDate"] == page.end_date.isoformat()
    assert event["location"]["name"] == "Gedung Smesco"
    assert event["location"]["address"]["addressLocality"] == "Jakarta Selatan"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert [c["name"] for c in crumbs] == [HomePage.objects.get().title, "Pameran", page.title]
    assert crumbs[-1]["item"] == BASE + page.url


def test_json_ld_cannot_break_out_of_its_script_tag(client, exhibitions):
    page = exhibitions["upcoming"]
    page.intro = "</script><script>alert(1)</script>"
    page.save()

    body = client.get(page.url).content.decode()

    assert "<script>alert(1)" not in body
    event = next(d for d in jsonld(body) if d["@type"] == "Event")
    assert event["description"] == "</script><script>alert(1)</script>"
