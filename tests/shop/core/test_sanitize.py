"""User-written HTML: one allow-list (shop.apps.core.sanitize) cleans it on save and on
render; no template or code prints stored text unescaped unless it is listed below with the
reason it is harmless; script payloads stored in every user-written field never reach a page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import reverse
from oscar.core.loading import get_model

from shop.apps.core.sanitize import RICH_TEXT_FIELDS, sanitize_html
from tests.factories import CategoryFactory

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Segment = get_model("catalogue", "Segment")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Partner = get_model("partner", "Partner")

ROOT = Path(__file__).resolve().parents[3]
SHORT_PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
PAYLOAD = (
    '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)" onclick="alert(3)">link</a>'
    '<svg onload=alert(4)></svg><iframe src="https://evil.example"></iframe>'
)

# Every place that prints text unescaped, and why it is harmless. Keyed by file and the
# line's text (stripped), so moving code around does not matter but any new use fails.
REVIEWED = {
    (
        "production_link/insight/charts.py",
        "axes = format_html(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        "format_html(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        "legend = format_html_join(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        "lines = format_html_join(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        'mark_safe("".join(bars)),  # noqa: S308 - each piece built by format_html above',
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        'return SafeString("")',
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        "return format_html(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "production_link/insight/charts.py",
        "ticks = format_html_join(",
    ): "Demand-insight charts (SVG): every number and label goes through format_html or format_html_join, which escape it; the pieces are joined only after that.",
    (
        "catalog/selectors.py",
        "return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped above",
    ): "JSON-LD of a product: json.dumps, then <, > and & escaped as json_script does, so "
    "nothing in it can close the <script type=application/ld+json> element.",
    (
        "cms/templatetags/karya_cms.py",
        "return mark_safe(  # noqa: S308 - escaped above, like json_script",
    ): "The |jsonld filter: the same escaping as json_script.",
    (
        "shop/apps/core/sanitize.py",
        "return mark_safe(sanitize_html(value))  # noqa: S308 - cleaned by the allow-list above",
    ): "The sanitiser itself: the value has just been cleaned by nh3 with the allow-list.",
    (
        "shop/apps/shipping/methods.py",
        "return format_html(",
    ): "Shipping descriptions: format_html escapes every argument (Lapas names, zones).",
    (
        "shop/apps/shipping/methods.py",
        'format_html_join("", "<li>{}</li>", rows),',
    ): "One escaped row per parcel (format_html_join escapes its arguments).",
    (
        "catalog/templatetags/catalogue_i18n.py",
        "return format_html(",
    ): "The not-yet-translated note: a fixed sentence through gettext, escaped by format_html.",
    (
        "templates/oscar/dashboard/partials/alert_messages.html",
        "{{ message|safe }}",
    ): "Oscar's dashboard messages: only those the code tags 'safe' (built from templates "
    "that escape what they show) keep their HTML; every other message is escaped.",
    (
        "templates/pos/app/sw.js",
        "const PRECACHE = {{ precache|safe }};",
    ): "The POS service worker's precache list: json.dumps of the app's own URLs and "
    "static files (shop.pos.views_app._precache_urls), nothing a user writes.",
}
UNESCAPED = re.compile(
    r"\|\s*safe\b|\|\s*safeseq\b|\bmark_safe\(|\bformat_html(_join)?\(|\bSafeString\(|"
    r"autoescape\s+off"
)
SOURCE_DIRS = ("shop", "catalog", "production_link", "cms", "templates")


def _unescaped_uses():
    uses = set()
    for top in SOURCE_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt", ".xml", ".js"}:
                continue
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            for line in path.read_text(encoding="utf-8").splitlines():
                match = UNESCAPED.search(line)
                if not match:
                    continue
                if line.lstrip().startswith(("from ", "import ")):
                    continue
                # Plain-text e-mails are not HTML: nothing in them is interpreted.
                if "autoescape" in match.group(0) and path.suffix == ".txt":
                    continue
                uses.add((relative, line.strip()))
    return uses


def test_every_unescaped_output_is_sanitised_or_reviewed():
    uses = _unescaped_uses()

    unreviewed = sorted(uses - REVIEWED.keys())
    assert not unreviewed, (
        "Unescaped output of possibly user-written text: print stored HTML with "
        "|sanitize (shop.apps.core.sanitize), or add the line to REVIEWED with the reason "
        f"it carries no user input: {unreviewed}"
    )
    stale = sorted(REVIEWED.keys() - uses)
    assert not stale, f"REVIEWED lists lines that no longer exist: {stale}"


def test_the_allow_list_keeps_formatting_and_drops_what_runs():
    html = (
        "<p>Roti <strong>lembut</strong> <em>tanpa</em> pengawet.</p><ul><li>200 g</li></ul>"
        '<a href="https://karya.example/tentang">Tentang</a>'
    )

    cleaned = sanitize_html(html + PAYLOAD)

    assert "<p>Roti <strong>lembut</strong> <em>tanpa</em> pengawet.</p>" in cleaned
    assert "<ul><li>200 g</li></ul>" in cleaned
    assert 'href="https://karya.example/tentang"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg"):
        assert bad not in cleaned
    assert sanitize_html(None) == ""


class _Scripts(HTMLParser):
    """What a browser would run: script elements and event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in {"iframe", "svg"}:
            self.found.append(f"<{tag}>")
        # JSON data blocks (JSON-LD) are not run; their text is escaped JSON.
        types = {name: (value or "").lower() for name, value in attrs if name == "type"}
        self._in_script = tag == "script" and types.get("type", "") in (
            "",
            "text/javascript",
            "module",
        )

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data}")


def injected_scripts(response) -> list[str]:
    parser = _Scripts()
    parser.feed(response.content.decode())
    return parser.found


@pytest.mark.django_db
def test_every_rich_text_field_is_cleaned_when_saved(product):
    category = CategoryFactory(name="Roti", description=PAYLOAD)
    product.description = PAYLOAD
    product.save()
    offer_range = Range.objects.create(name="Roti", description=PAYLOAD)
    offer = ConditionalOffer.objects.create(
        name="Promo",
        description=PAYLOAD,
        benefit=Benefit.objects.create(range=offer_range, type="Percentage", value=10),
        condition=Condition.objects.create(range=offer_range, type="Count", value=1),
    )
    page = FlatPage.objects.create(url="/tentang/", title="Tentang", content=PAYLOAD)

    saved = [category, product, offer_range, offer, page]
    assert {obj._meta.label for obj in saved} <= set(RICH_TEXT_FIELDS)
    for obj in saved:
        obj.refresh_from_db()
        for name in RICH_TEXT_FIELDS[obj._meta.label]:
            value = getattr(obj, name)
            assert "<script" not in value and "onerror" not in value, (obj, name)
            assert "javascript:" not in value, (obj, name)


@pytest.mark.django_db
def test_the_dashboard_cleans_a_product_description(client, workshop_staff, product):
    from tests.catalog.helpers import food_product
    from tests.shop.dashboard.test_catalogue import open_page, page_data, product_url

    product = food_product(
        title="Roti Tawar", workshop=product.workshop, categories=[CategoryFactory(name="Roti")]
    )
    client.force_login(workshop_staff)
    data = page_data(open_page(client, product))
    data["description"] = "<p>Roti <b>lembut</b></p>" + PAYLOAD

    response = client.post(product_url(product), data)

    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert product.description.startswith("<p>Roti <b>lembut</b></p>")
    assert "<script" not in product.description and "onerror" not in product.description


@pytest.mark.django_db
def test_stored_payloads_in_user_written_fields_never_reach_a_page(client, product):
    """Written past save() (a bulk load, a row from before the sanitiser): the pages still
    print nothing that runs, whether the field is rich text or plain text."""
    category = CategoryFactory(name="Roti")
    product.categories.add(category)
    segment = Segment.objects.create(name="Rumah tangga", slug="rumah-tangga")
    product.segments.add(segment)
    Product.objects.filter(pk=product.pk).update(
        title=f"Roti {SHORT_PAYLOAD}", description=PAYLOAD, ingredients=PAYLOAD
    )
    Category.objects.filter(pk=category.pk).update(description=PAYLOAD)
    Segment.objects.filter(pk=segment.pk).update(description=PAYLOAD)
    Partner.objects.filter(pk=product.lapas.pk).update(
        name=f"Lapas {SHORT_PAYLOAD}", description=PAYLOAD
    )
    product.workshop.__class__.objects.filter(pk=product.workshop.pk).update(
        name=f"Bengkel {SHORT_PAYLOAD}", description=PAYLOAD
    )
    product.refresh_from_db()
    category.refresh_from_db()

    pages = [
        product.get_absolute_url(),
        category.get_absolute_url(),
        reverse("catalogue:index"),
        reverse("catalogue:segment", kwargs={"slug": segment.slug}),
        reverse("search:search") + "?q=Roti",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert injected_scripts(response) == [], url


@pytest.mark.django_db
def test_a_flat_page_with_a_payload_runs_nothing(client):
    page = FlatPage.objects.create(url="/tentang-kami/", title="Tentang", content=PAYLOAD)
    page.sites.add(Site.objects.get_current())

    response = client.get("/tentang-kami/")

    assert response.status_code == 200
    assert injected_scripts(response) == []


@pytest.mark.django_db
def test_the_migration_cleans_html_stored_before_the_sanitiser():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("shop.apps.core.migrations.0001_sanitize_rich_text")
    page = FlatPage.objects.create(url="/lama/", title="Lama", content="<p>Lama</p>")
    FlatPage.objects.filter(pk=page.pk).update(content="<p>Lama</p>" + PAYLOAD)

    migration.sanitize_stored_html(apps, None)

    page.refresh_from_db()
    assert page.content.startswith("<p>Lama</p>")
    assert "<script" not in page.content and "onerror" not in page.content
