"""Indonesian pages are Indonesian: the buyer's journey from the home page to the thank-you
page, the dashboard's order pages and the cashier's POS app, rendered in Indonesian, use no
message that has no Indonesian translation (Oscar's, Django's or Karya's own) and show no
English text from those catalogues.

The list of English messages each page uses is taken while it renders: every message
looked up in the translation catalogues is recorded, then checked for a translation.
A message that is the same word in both languages is named in SAME_IN_INDONESIAN.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.translation import trans_real
from oscar.core.loading import get_model

from shop.apps.order import statuses
from tests.shop.checkout.test_checkout import ADDRESS

Order = get_model("order", "Order")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_rates")]

# Messages whose Indonesian is the English word itself (or a name, code or symbol).
SAME_IN_INDONESIAN = {
    "Email",
    "Status",
    "Total",
    "UPC",
    "SKU",
    "Online",
    "Karya",
    "PNBP",
    "Lapas",
    "QRIS",
    "Stripe",
    "English",
    "Bahasa Indonesia",
    "Dashboard",
    "Batch",
    "Supplier SKU",
    "Partner SKU",
    "Admin",
    "Voucher",
    "HTML",
    "CSV",
    "Login",
    "Logout",
    "Manual",
    "Bank",
    "Menu",
    "Subtotal",
    "80 mm",
    "58 mm",
    "OK",
}
# What is left of a message once its placeholders, markup and units are taken out: if no
# letters are left, it has no words to translate.
_PLACEHOLDERS = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}|<[^>]+>|&\w+;")
_NOT_WORDS = re.compile(r"\b(?:kg|g|mm|cm)\b|[^A-Za-z]+")


def _words(msgid: str) -> str:
    return _NOT_WORDS.sub("", _PLACEHOLDERS.sub(" ", msgid))


class _Text(HTMLParser):
    """The text a reader sees or hears: text outside script and style, and the attributes
    shown or read aloud."""

    SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        attrs = dict(attrs)
        if attrs.get("lang", "id") != "id":  # the language switch names English in English
            return
        for name in self.SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts]


def is_english(msgid: str, translated: str) -> bool:
    if translated != msgid:
        return False
    if msgid in SAME_IN_INDONESIAN:
        return False
    return bool(_words(msgid))


@pytest.fixture
def lookups(monkeypatch):
    """Every message looked up in the catalogues while the test runs: msgid -> result."""
    seen = {}
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def recording_gettext(self, message):
        result = gettext(self, message)
        if self.language() == "id":
            seen[message] = result
        return result

    def recording_ngettext(self, singular, plural, number):
        result = ngettext(self, singular, plural, number)
        if self.language() == "id":
            seen[singular] = ngettext(self, singular, plural, 1)
        return result

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", recording_ngettext)
    return seen


def _translated() -> set[str]:
    """The English messages the Indonesian catalogues translate into other words."""
    catalog = trans_real.translation("id")._catalog
    return {
        key
        for key, _value in catalog.items()
        if isinstance(key, str)
        and "\x04" not in key
        and key not in SAME_IN_INDONESIAN
        and catalog[key] != key
        and _words(key)
    }


class Pages:
    def __init__(self, client, lookups):
        self.client, self.lookups, self.found = client, lookups, {}

    def _check(self, name, response):
        assert response.status_code == 200, (name, response.status_code)
        messages = dict(self.lookups)
        english = {
            msgid.split("\x04")[-1]
            for msgid, result in messages.items()
            if is_english(msgid.split("\x04")[-1], result.split("\x04")[-1])
        }
        # A message may still sit on the page in English where a template prints it
        # without translating it (a stored status, a hard-coded word): every text the page
        # shows that is the English of a translated message is English left.
        # A word can be both: "Unit" is the Indonesian of "Units" and the English of
        # "Unit" (Satuan); a text this page got from the catalogue as a translation is
        # Indonesian.
        indonesian = {result.split("\x04")[-1] for result in messages.values()}
        translated = _translated()  # once a page: it reads the whole catalogue
        english |= {
            text
            for text in visible_text(response.content.decode())
            if text in translated and text not in indonesian
        }
        if english:
            self.found[name] = sorted(english)
        return response

    def report(self) -> str:
        return "English left on Indonesian pages:\n" + "\n".join(
            f"{page}: {text!r}" for page, texts in self.found.items() for text in texts
        )

    def get(self, name, url, **kwargs):
        self.lookups.clear()  # only what this page looks up
        return self._check(name, self.client.get(url, **kwargs))

    def post(self, name, url, data):
        self.lookups.clear()
        return self._check(name, self.client.post(url, data, follow=True))


@pytest.fixture
def pages(client, lookups):
    return Pages(client, lookups)


def test_the_buyers_pages_from_home_to_thank_you_are_in_indonesian(pages, product):
    from cms.models import HomePage
    from tests.factories import CategoryFactory

    category = CategoryFactory(name="Makanan")
    product.categories.add(category)
    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    home.save_revision().publish()

    pages.get("home", "/")
    pages.get("catalogue", reverse("catalogue:index"))
    pages.get("category", category.get_absolute_url())
    pages.get("product", product.get_absolute_url())
    pages.get("search", "/search/", data={"q": "roti"})
    pages.post("basket (added)", reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    pages.get("basket", reverse("basket:summary"))
    pages.get("checkout: sign in or guest", reverse("checkout:index"))
    pages.post(
        "checkout: address",
        reverse("checkout:index"),
        {"username": "tamu@example.test", "options": "anonymous"},
    )
    pages.post(
        "checkout: address refused",
        reverse("checkout:shipping-address"),
        {**ADDRESS, "postcode": "12"},
    )
    pages.post("checkout: shipping and payment", reverse("checkout:shipping-address"), ADDRESS)
    pages.get("checkout: payment method", reverse("checkout:payment-method"))
    pages.post("checkout: preview", reverse("checkout:payment-method"), {"method": "bank_transfer"})
    pages.post("thank you", reverse("checkout:preview"), {"action": "place_order"})

    assert Order.objects.count() == 1
    assert not pages.found, pages.report()


def test_the_dashboards_order_pages_are_in_indonesian(client, pages, product, central_admin):
    from tests.shop.checkout.test_checkout import add_to_basket, checkout

    add_to_basket(client, product)
    checkout(client, guest_email="tamu@example.test")
    order = Order.objects.get()
    client.force_login(central_admin)
    detail = reverse("dashboard:order-detail", kwargs={"number": order.number})

    pages.get("order list", reverse("dashboard:order-list"))
    pages.get("order list, searched", reverse("dashboard:order-list"), data={"status": "Paid"})
    pages.get("order statistics", reverse("dashboard:order-stats"))
    pages.get("order", detail)
    pages.post(
        "order, paid", detail, {"order_action": "change_order_status", "new_status": statuses.PAID}
    )
    line = order.lines.get()
    pages.get(
        "order line",
        reverse("dashboard:order-line-detail", kwargs={"number": order.number, "line_id": line.pk}),
    )
    pages.get("dashboard home", reverse("dashboard:index"))

    assert not pages.found, pages.report()


def test_the_pos_app_is_in_indonesian(pages, client, central_admin):
    client.force_login(central_admin)

    pages.get("POS", "/pos/")

    assert not pages.found, pages.report()
