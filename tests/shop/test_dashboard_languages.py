"""Every dashboard page of Karya's own apps speaks one language at a time (issue 18 part 1):
rendered in Indonesian it shows no English left from the translation catalogues, rendered
in English no Indonesian.

The pages are not listed by hand: every URL pattern of Karya's own staff apps (the
dashboard's pages whose view lives in Karya's code, the point of sale's printed pages, the
campaign report) is taken from the URL resolver and filled with an object of the demo
shop, as the demo's central admin sees it. A pattern that is neither filled nor skipped
with a reason fails the test, so a new page cannot be forgotten. Skipped are only the
endpoints that take POST alone (checked: a GET answers 405) and file downloads.

Indonesian pages are checked as tests/shop/test_indonesian.py checks the buyer's pages.
English pages are checked two ways: no text on them is the Indonesian translation of a
catalogue message (an Indonesian string frozen at import time, or a copy typed into a
template), and no heading, label, table header or button holds a common Indonesian word
(a string typed in Indonesian that never went through gettext).
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver, reverse
from django.utils.translation import trans_real
from oscar.core.loading import get_model

from production_link.models import Batch, Deposit, LedgerEntry, Workshop
from tests.shop import test_indonesian
from tests.shop.test_indonesian import (
    SAME_IN_INDONESIAN,
    Pages,
    _Text,
    _words,
    lookups,  # noqa: F401 - a fixture, asked for by name
)

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db

# The modules whose views are Karya's own (Oscar's and Wagtail's own pages are not).
KARYA_MODULES = ("shop.", "production_link.", "catalog.", "cms.")
# Where Karya's staff pages live.
# (Wagtail's admin, the campaign report's home under /cms/, speaks Wagtail's own catalogue
# and the editor's chosen language; test_new_pages_phone.py reads the report.)
STAFF_PREFIXES = ("dashboard/", "pos/")

# Patterns that are not pages: each says why it is left out.
POST_ONLY = {
    # Forms posted from the batch page; the batch page itself is checked.
    "production_dashboard:batch-plan",
    "production_dashboard:batch-production",
    "production_dashboard:batch-qc",
    "production_dashboard:batch-qc-rework",
    "production_dashboard:batch-write-off",
    "production_dashboard:batch-release",
    "production_dashboard:batch-recall",
    # Retrying a refund: a button on the refund page.
    "payments_dashboard:refund-retry",
    # Recording a payment or a delivery: forms on the invoice page.
    "invoicing_dashboard:invoice-payment",
    "invoicing_dashboard:delivery-create",
    # Removing a parcel: a button on the order's parcels page.
    "parcels_dashboard:parcel-remove",
    # Approving a PNBP report: a button on the report page.
    "pnbp_reports_dashboard:approve",
    # Programme, monev and report chain: forms on the programme, monev and region pages.
    "programme_dashboard:programme-budget-add",
    "programme_dashboard:programme-budget-delete",
    "programme_dashboard:programme-milestone-add",
    "programme_dashboard:programme-milestone-done",
    "programme_dashboard:monev-answers",
    "programme_dashboard:monev-finding-add",
    "programme_dashboard:monev-follow-up-add",
    "programme_dashboard:monev-follow-up-status",
    "programme_dashboard:report-submit",
    "programme_dashboard:report-resubmit",
    "programme_dashboard:region-acknowledge",
    "programme_dashboard:region-return",
    # A new programme: the form sits on the programme list.
    "programme_dashboard:programme-create",
    # Deleting a training course: a button on the training list.
    "training_dashboard:delete",
    # A new deposit is made from the ledger's ticked entries; billing code, NTPN and
    # cancelling are forms on the deposit page.
    "pnbp_dashboard:deposit-create",
    "pnbp_dashboard:deposit-billing",
    "pnbp_dashboard:deposit-ntpn",
    "pnbp_dashboard:deposit-cancel",
    # Receiving a returned transfer: a form on the transfer page.
    "pos_dashboard:transfer-return",
    # Verifying a QRIS payment: a button on the payments list.
    "pos_dashboard:payment-verify",
    # A workshop's daily capacity: a form on the service days page.
    "commissions_dashboard:capacity-set",
    # Declining a quote, clearing a reservation: forms on the quote and reservations pages.
    "institutions_dashboard:quote-decline",
    "institutions_dashboard:reservation-clear",
}
DOWNLOADS = {
    # Files (PDF, PNG, ZPL, CSV, XLSX, the buyer's uploads): no page text to read.
    "production_dashboard:qc-evidence",
    "production_dashboard:batch-label-png",
    "production_dashboard:batch-label-pdf",
    "production_dashboard:batch-label-zpl",
    "production_dashboard:batch-trace-csv",
    "invoicing_dashboard:receivables-csv",
    "invoicing_dashboard:invoice-pdf",
    "invoicing_dashboard:delivery-pdf",
    "pnbp_reports_dashboard:export",
    "insight_dashboard:csv",
    "procurement_dashboard:ekatalog",
    "procurement_dashboard:price-list",
    "programme_dashboard:region-consolidated-export",
    "institutions_dashboard:attachment-download",
    "institutions_dashboard:po-download",
    "pos_print:receipt-pdf",
    "pos_print:z-report-pdf",
    # The point of sale's service worker and web app manifest (JavaScript, JSON).
    "pos_app:sw",
    "pos_app:manifest",
}

# Words an English dashboard page never uses but an Indonesian one does all the time.
INDONESIAN_WORDS = {
    "dan",
    "yang",
    "untuk",
    "dengan",
    "tidak",
    "belum",
    "sudah",
    "atau",
    "dari",
    "pada",
    "simpan",
    "batal",
    "batalkan",
    "hapus",
    "tambah",
    "tambahkan",
    "cari",
    "lihat",
    "semua",
    "kembali",
    "pesanan",
    "tanggal",
    "jumlah",
    "harga",
    "keterangan",
    "catatan",
    "setoran",
    "kirim",
    "terima",
    "ubah",
    "buat",
    "baru",
    "nama",
    "alamat",
    "kota",
    "stok",
    "produk",
    "bengkel",
    "pembeli",
    "dibayar",
    "dikirim",
    "diproses",
    "menunggu",
    "selesai",
    "unduh",
    "cetak",
    "berlaku",
    "sampai",
    "hari",
    "bulan",
    "tahun",
    "laporan",
    "lokasi",
    "sesi",
    "kasir",
    "penjualan",
    "barang",
    "jenis",
    "kode",
    "masa",
    "izin",
}
_WORD = re.compile(r"[A-Za-z]+")

# Words the staff pages use that Indonesian writes the same: codes and abbreviations of the
# Indonesian state (NTPN, NPWP, satker), units, month names, loanwords.
SAME_ON_STAFF_PAGES = {
    "NTPN",
    "NPWP",
    "PO",
    "satker",
    "TOTAL",
    "Label",
    "Margin",
    "Margin (%)",
    "Slug",
    "Semester",
    "Semester %(number)s %(year)s",
    "September",
    "November",
    "Nov.",
    "Volume",
    "unit",
    "l",
    "ml",
    "pcs",
    "Pouch",
    "Halal %(number)s",
    "PNBP %",
    "PNBP %%",
    "QRIS (POS)",
    # Karya's own Indonesian names of the point of sale's payment sources.
    "Tunai (POS)",
    "Premi %%",
}
# The country's English name is its Indonesian name.
SAME_IN_ENGLISH = {"Indonesia"}

# Query strings a page needs to show something (the PNBP report: which report, which Lapas).
QUERIES = {"pnbp_reports_dashboard:report": lambda: f"?kind=monthly&lapas={_tangerang().pk}"}


def _tangerang():
    return Partner.objects.get(short_code="TNG")


def _patterns(patterns=None, prefix="", namespace=""):
    """(route, name, view module) of every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern.callback.__module__


def staff_url_names() -> set[str]:
    """The URL names of Karya's own staff pages, as the resolver knows them today."""
    return {
        name
        for route, name, module in _patterns()
        if route.startswith(STAFF_PREFIXES) and module.startswith(KARYA_MODULES)
    }


def _first(queryset):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the demo has no {queryset.model.__name__}"
    return found


def page_kwargs() -> dict[str, dict]:
    """URL name -> the kwargs that fill it with one of the demo's objects."""
    from production_link.programme.models import Programme, ReportSubmission
    from shop.institutions.models import Organisation, Quote
    from shop.invoicing.models import Invoice
    from shop.pos.models import PosConflict, PosLocation, PosSession, StockTransfer

    order = _first(Order.objects.filter(lines__isnull=False).exclude(channel="pos").distinct())
    pos_order = _first(Order.objects.filter(channel="pos"))
    note = order.notes.order_by("pk").first() or order.notes.create(message="Demo note")
    product = _first(Product.objects.filter(structure="standalone"))
    parent = Product.objects.filter(structure="parent").order_by("pk").first()
    pk = lambda model, **where: {"pk": _first(model.objects.filter(**where)).pk}  # noqa: E731
    filled = {
        "dashboard:order-list": {},
        "dashboard:order-stats": {},
        "dashboard:order-detail": {"number": order.number},
        "dashboard:order-detail-note": {"number": order.number, "note_id": note.pk},
        "dashboard:order-line-detail": {
            "number": order.number,
            "line_id": order.lines.order_by("pk").first().pk,
        },
        "dashboard:order-shipping-address": {"number": order.number},
        "dashboard:catalogue-product": {"pk": product.pk},
        "dashboard:catalogue-product-create": {
            "product_class_slug": product.get_product_class().slug
        },
        "payments_dashboard:order-refund": {"number": order.number},
        "parcels_dashboard:upload": {},
        "parcels_dashboard:order-parcels": {"number": order.number},
        "production_dashboard:batch-list": {},
        "production_dashboard:batch-create": {},
        "production_dashboard:batch-import": {},
        "production_dashboard:batch-detail": pk(Batch, status=Batch.Status.RELEASED),
        "invoicing_dashboard:receivables": {},
        "invoicing_dashboard:invoice-detail": {
            "order_number": _first(Invoice.objects.all()).order.number
        },
        "pnbp_reports_dashboard:index": {},
        "pnbp_reports_dashboard:report": {},
        "insight_dashboard:index": {},
        "insight_dashboard:demand": {},
        "insight_dashboard:products": {},
        "insight_dashboard:buyers": {},
        "procurement_dashboard:index": {},
        "programme_dashboard:programme-list": {},
        "programme_dashboard:programme-detail": pk(Programme),
        "programme_dashboard:monev": {},
        "programme_dashboard:region-index": {},
        "programme_dashboard:region-submission": pk(ReportSubmission),
        "programme_dashboard:region-consolidated": {},
        "training_dashboard:list": {},
        "training_dashboard:create": {},
        "pnbp_dashboard:entry-list": {},
        "pnbp_dashboard:entry-detail": pk(LedgerEntry),
        "pnbp_dashboard:split-list": {},
        "pnbp_dashboard:deposit-list": {},
        "pnbp_dashboard:deposit-detail": pk(Deposit),
        "pos_dashboard:location-list": {},
        "pos_dashboard:location-create": {},
        "pos_dashboard:location-update": pk(PosLocation),
        "pos_dashboard:transfer-list": {},
        "pos_dashboard:transfer-create": {},
        "pos_dashboard:transfer-detail": pk(StockTransfer),
        "pos_dashboard:session-list": {},
        "pos_dashboard:session-detail": pk(PosSession),
        "pos_dashboard:conflict-list": {},
        "pos_dashboard:payment-list": {},
        "pos_dashboard:settings": {},
        "pos_print:receipt": {"number": pos_order.number},
        "pos_print:z-report": pk(PosSession),
        "pos_app:shell": {},
        "commissions_dashboard:service-days": {},
        "commissions_dashboard:commission-list": {},
        "institutions_dashboard:quote-list": {},
        "institutions_dashboard:quote-detail": pk(Quote),
        "institutions_dashboard:reservation-list": {},
        "institutions_dashboard:organisation-list": {},
        "institutions_dashboard:organisation-detail": pk(Organisation),
    }
    if parent is not None:
        filled["dashboard:catalogue-product-create-child"] = {"parent_pk": parent.pk}
    conflict = PosConflict.objects.order_by("pk").first()
    if conflict is not None:
        filled["pos_dashboard:conflict-detail"] = {"pk": conflict.pk}
    return filled


def dashboard_pages() -> list[tuple[str, str]]:
    """(URL name, path) of every staff page, the dashboard's home first."""
    filled = page_kwargs()
    return [("dashboard:index", reverse("dashboard:index"))] + [
        (name, reverse(name, kwargs=kwargs) + (QUERIES[name]() if name in QUERIES else ""))
        for name, kwargs in sorted(filled.items())
    ]


@pytest.fixture
def demo(demo_shop, db):
    return demo_shop


@pytest.fixture
def admin_client(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def english_get(client, url: str):
    # The point of sale has no /en/ (one service worker scope): its language switch sets
    # Django's language cookie, which its pages follow.
    if url.startswith("/pos/"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        try:
            return client.get(url)
        finally:
            del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    return client.get("/en" + url)


def _indonesian_translations() -> set[str]:
    """Texts that are the Indonesian of a catalogue message and not English words too."""
    catalog = trans_real.translation("id")._catalog
    english = {key for key, _value in catalog.items() if isinstance(key, str)}
    found = set()
    for key, value in catalog.items():
        if not isinstance(key, str) or "\x04" in key or not isinstance(value, str):
            continue
        if (
            value != key
            and value not in english
            and value not in SAME_IN_INDONESIAN
            and _words(value)
            and len(value.split()) <= 12
        ):
            found.add(value)
    return found


class _UiText(_Text):
    """Text of headings, labels, table headers, buttons and legends: the page's own words,
    not the data it lists (a workshop's or product's Indonesian name)."""

    UI_TAGS = ("h1", "h2", "h3", "h4", "th", "label", "button", "legend", "caption")

    def __init__(self):
        super().__init__()
        self.ui, self._open = [], []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag in self.UI_TAGS:
            self._open.append(tag)
        if tag == "input" and dict(attrs).get("type") == "submit" and dict(attrs).get("value"):
            self.ui.append(dict(attrs)["value"])

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        super().handle_data(data)
        if self._open and not self._skip and data.strip():
            self.ui.append(" ".join(data.split()))


def data_names() -> set[str]:
    """Names the demo's data gives things, shown as they were entered."""
    from shop.institutions.models import Organisation
    from shop.pos.models import PosLocation

    names = set()
    for model, field in (
        (Partner, "name"),
        (Workshop, "name"),
        (Product, "title"),
        (Category, "name"),
        (PosLocation, "venue"),
        (Organisation, "name"),
    ):
        names |= set(model.objects.values_list(field, flat=True))
    from production_link.programme.models import BudgetLine

    names |= {location.name for location in PosLocation.objects.all()}
    # Group names (a role's name is data: "Bendahara penerimaan"), users' names, units
    # typed into a budget.
    names |= set(Group.objects.values_list("name", flat=True))
    names |= {user.get_full_name() for user in get_user_model().objects.all()}
    names |= set(BudgetLine.objects.values_list("unit", flat=True))
    return {" ".join(name.split()) for name in names if name}


def indonesian_left(html: str, translations: set[str], names: set[str]) -> list[str]:
    parser = _UiText()
    parser.feed(html)
    texts = [" ".join(part.split()) for part in parser.parts]
    found = {
        text
        for text in texts
        if text in translations and text not in SAME_IN_ENGLISH and text not in names
    }
    for text in parser.ui:
        if any(name in text for name in names):
            continue
        words = {word.lower() for word in _WORD.findall(text)}
        if words & INDONESIAN_WORDS:
            found.add(text)
    return sorted(found)


def test_every_staff_page_is_checked_or_skipped_with_a_reason(demo):
    names = staff_url_names()
    filled = set(page_kwargs()) | {"dashboard:index"}

    # Filled only when the demo has one: a parent product, a POS conflict.
    optional = {"dashboard:catalogue-product-create-child", "pos_dashboard:conflict-detail"}
    assert names - filled - POST_ONLY - DOWNLOADS <= optional, (
        f"staff pages neither checked nor skipped: {sorted(names - filled - POST_ONLY - DOWNLOADS)}"
    )
    assert not (POST_ONLY | DOWNLOADS) - names, "skips for pages that no longer exist"
    assert not filled & (POST_ONLY | DOWNLOADS)


def test_the_post_only_endpoints_refuse_a_get(admin_client):
    """The skip list stays honest: what it calls POST-only answers a GET with 405."""
    filled_with = {
        "pk": _first(Batch.objects.all()).pk,
        "number": _first(Order.objects.all()).number,
        "order_number": _first(Order.objects.all()).number,
    }
    for route, name, _module in _patterns():
        if name not in POST_ONLY:
            continue
        arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
        kwargs = {argument: filled_with.get(argument, 1) for argument in arguments}
        response = admin_client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 405, (name, response.status_code)


def test_every_dashboard_page_in_indonesian_has_no_english_left(admin_client, request, monkeypatch):
    monkeypatch.setattr(
        test_indonesian, "SAME_IN_INDONESIAN", SAME_IN_INDONESIAN | SAME_ON_STAFF_PAGES
    )
    pages = Pages(admin_client, request.getfixturevalue("lookups"))

    for name, url in dashboard_pages():
        pages.get(name, url)

    assert not pages.found, pages.report()


def test_every_dashboard_page_in_english_has_no_indonesian_left(admin_client):
    translations, names = _indonesian_translations(), data_names()
    found = {}

    for name, url in dashboard_pages():
        response = english_get(admin_client, url)
        assert response.status_code == 200, (name, response.status_code)
        left = indonesian_left(response.content.decode(), translations, names)
        if left:
            found[name] = left

    assert not found, "Indonesian left on English pages:\n" + "\n".join(
        f"{page}: {text!r}" for page, texts in found.items() for text in texts
    )
