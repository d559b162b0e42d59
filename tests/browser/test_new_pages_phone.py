"""The pages built for issues 16 and 19, tried as their users would on a 360 x 740 phone, in
Indonesian and in English, over the demo shop: the programme and its monev, the Kanwil's
region comparison, the procurement catalogue, training, demand insight, invoices and aged
receivables, quotes (the institution's and the Lapas's), service bookings and the campaign
report. Each page answers 200, does not scroll sideways, has no serious axe violation, and
its headings, labels, table headers and buttons hold no word of the other language.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.axe import axe_install, axe_violations
from tests.browser.shop_pages import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}

# The demo's buyer of an approved organisation (the demo user "instansi" has the role but
# no organisation, so it may not ask for quotes).
BUYER = "kantor.bps"

# How far the document scrolls sideways, and the last few elements past the right edge.
WIDTH = """() => {
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    const culprits = wide > 0 ? [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
            && getComputedStyle(el).position !== "fixed")
        .slice(-5).map((el) => el.tagName + "." + el.className) : [];
    return {wide, culprits};
}"""

# The page's own words (not the data it lists): headings, labels, table headers, buttons,
# in the shop's <main> or the dashboard's .page-content.
CHROME_TEXT = """() => [...document.querySelectorAll("main, .page-content")]
    .flatMap((root) => [...root.querySelectorAll(
        "h1, h2, h3, th, label, legend, button, .btn, summary, caption")])
    .filter((el) => el.offsetParent !== null || el.tagName === "TH")
    .map((el) => el.innerText.trim()).filter(Boolean)"""

# Words that give away the other language in a page's own words.
ENGLISH_WORDS = {"the", "and", "with", "your", "from", "save", "submit", "add", "delete", "show"}
INDONESIAN_WORDS = {
    "dan",
    "yang",
    "untuk",
    "dengan",
    "dari",
    "simpan",
    "tambah",
    "hapus",
    "tampilkan",
    "kirim",
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True}


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo(demo_shop_committed):
    # Committed (the live server reads through its own connections): a copy of the run's
    # demo database (tests/conftest.py).
    return demo_shop_committed


def _pages_by_user():
    """(username, [(name, path)]) for every new page, with the demo's objects filled in."""
    from production_link.programme.models import Programme
    from shop.institutions.models import Quote
    from shop.invoicing.models import Invoice

    programme = Programme.objects.order_by("pk").first()
    buyer_quote = Quote.objects.filter(requested_by__username=BUYER).order_by("pk").first()
    tangerang_quote = Quote.objects.filter(lapas__short_code="TNG").order_by("pk").first()
    invoice = Invoice.objects.filter(order__lapas__short_code="TNG").order_by("pk").first()
    kalapas = [
        ("programme list", "/dashboard/programme/"),
        ("monev", "/dashboard/programme/monev/"),
        ("procurement", "/dashboard/procurement/"),
        ("training", "/dashboard/training/"),
        ("insight", "/dashboard/insight/"),
        ("insight demand", "/dashboard/insight/demand/"),
        ("insight products", "/dashboard/insight/products/"),
        ("insight buyers", "/dashboard/insight/buyers/"),
        ("aged receivables", "/dashboard/invoices/"),
        ("lapas quotes", "/dashboard/institutions/quotes/"),
        ("service days", "/dashboard/commissions/services/"),
        ("made to order", "/dashboard/commissions/made-to-order/"),
    ]
    if programme:
        kalapas.append(("programme detail", f"/dashboard/programme/{programme.pk}/"))
    if tangerang_quote:
        kalapas.append(("lapas quote", f"/dashboard/institutions/quotes/{tangerang_quote.pk}/"))
    if invoice:
        kalapas.append(("invoice", f"/dashboard/invoices/{invoice.order.number}/"))
    institution = [
        ("institution account", "/accounts/institution/"),
        ("institution quotes", "/accounts/institution/quotes/"),
        ("quote request", "/accounts/institution/quotes/request/"),
    ]
    if buyer_quote:
        institution.append(("institution quote", f"/accounts/institution/quotes/{buyer_quote.pk}/"))
    return [
        ("kalapas.tangerang", kalapas),
        ("bendahara.tangerang", [("aged receivables (treasurer)", "/dashboard/invoices/")]),
        (
            "kanwil.banten",
            [
                ("region comparison", "/dashboard/programme/region/"),
                ("region consolidated", "/dashboard/programme/region/consolidated/"),
                ("region insight", "/dashboard/insight/"),
            ],
        ),
        (BUYER, institution),
        ("rutan.jakpus", [("correctional unit quotes", "/accounts/institution/quotes/")]),
        ("staf.tangerang", [("training form", "/dashboard/training/new/")]),
        ("pembeli", [("service bookings", "/accounts/bookings/")]),
        ("editor", [("campaign report", "/cms/campaigns/")]),
        ("admin", [("organisations", "/dashboard/institutions/organisations/")]),
    ]


def _other_language_words(texts, words):
    found = set()
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text.lower()):
            if word in words:
                found.add(f"{word!r} in {text[:60]!r}")
    return found


def test_new_pages_on_a_phone_in_both_languages(page, live_server, demo):
    axe_install(page.context)
    User = get_user_model()
    problems = []
    for username, pages in _pages_by_user():
        page.context.clear_cookies()
        log_in(page, live_server, User.objects.get(username=username))
        for language, prefix, words in (("id", "", ENGLISH_WORDS), ("en", "/en", INDONESIAN_WORDS)):
            for name, path in pages:
                if path.startswith("/cms/") and prefix:
                    continue  # Wagtail's admin has no /en/: it speaks the editor's language
                where = f"[{language} {username} {name} {path}]"
                response = page.goto(live_server.url + prefix + path)
                if response.status != 200:
                    problems.append(f"{where} HTTP {response.status}")
                    continue
                page.wait_for_load_state()
                width = page.evaluate(WIDTH)
                if width["wide"] > 0:
                    problems.append(f"{where} {width['wide']} px too wide {width['culprits']}")
                problems.extend(f"{where} {line}" for line in axe_violations(page))
                if not path.startswith("/cms/"):  # Wagtail's admin has its own catalogue
                    for hit in sorted(_other_language_words(page.evaluate(CHROME_TEXT), words)):
                        problems.append(f"{where} other language: {hit}")
    assert not problems, "\n".join(problems)
