"""The staff's and cashier's pages on a 360 x 740 phone and a 768 x 1024 tablet, in
Indonesian and in English (issue 18 parts 3 and 4): the dashboard's home, order list and
order, product list and product form, batches, the PNBP ledger, split, deposits and
reports, the point of sale's staff screens and the cashier's app. Each page answers 200,
the page itself does not scroll sideways (a wide table scrolls inside its own wrapper),
and axe-core finds no serious or critical violation, at both sizes.

The newer pages of issues 16 and 19 are tried the same way in test_new_pages_phone.py.
Kept quick: a small shop made here (not the whole demo), one browser context per
language, and each page loaded once and measured at both sizes (the viewport is resized
on the loaded page).
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from playwright.sync_api import expect

from production_link.models import Deposit, LedgerEntry, StockLocation
from shop.pos.models import PosLocation, PosSession, StockTransfer
from tests.browser.axe import axe_install, axe_violations
from tests.browser.shop_pages import log_in

Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}

# How far the document scrolls sideways, and the outermost elements past the right edge
# that are not inside a box that scrolls (or clips) on its own: what widens the page.
WIDTH = """() => {
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const culprits = wide > 0 ? [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
            && getComputedStyle(el).position !== "fixed" && !clipped(el))
        .slice(0, 5).map((el) => el.tagName + "#" + el.id + "." + el.className) : [];
    return {wide, culprits};
}"""
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def staff_shop(product, lapas, central_admin):
    """A released batch, a paid order booked in the ledger and deposited, a gallery with
    stock sent to it, a transfer and an open cash session with the admin as cashier."""
    from production_link.pnbp.services import deposit_create
    from production_link.services import stock_location_warehouse
    from shop.pos import services as pos_services
    from shop.pos import transfers
    from tests.factories import released_batch
    from tests.production_link.pnbp_support import pay, place

    batch = released_batch(product=product, quantity=20)
    order = pay(place((product, 2)), central_admin)
    entries = LedgerEntry.objects.filter(order=order)
    deposit_create(lapas=lapas, entry_ids=[e.pk for e in entries], user=central_admin)
    gallery = PosLocation.objects.create(
        stock_location=StockLocation.objects.create(
            lapas=lapas, kind=StockLocation.Kind.GALLERY, name="Galeri Karya", city="Tangerang"
        ),
        venue="Jl. Veteran 2",
    )
    gallery.cashiers.add(central_admin)
    transfer = transfers.transfer_send(
        user=central_admin,
        source=stock_location_warehouse(lapas=lapas),
        destination=gallery.stock_location,
        lines=[transfers.TransferLineRequest(batch_id=batch.pk, quantity=5)],
    )
    transfers.transfer_receive(user=central_admin, transfer=transfer, received={}, reasons={})
    pos_services.session_open(user=central_admin, location=gallery, opening_float="200000")
    return {"order": order, "batch": batch, "product": product, "admin": central_admin}


def staff_pages(shop) -> list[tuple[str, str]]:
    order, session = shop["order"], PosSession.objects.get()
    return [
        ("dashboard", reverse("dashboard:index")),
        ("orders", reverse("dashboard:order-list")),
        ("order", reverse("dashboard:order-detail", kwargs={"number": order.number})),
        ("products", reverse("dashboard:catalogue-product-list")),
        ("product form", reverse("dashboard:catalogue-product", kwargs={"pk": shop["product"].pk})),
        ("batches", reverse("production_dashboard:batch-list")),
        ("new batch", reverse("production_dashboard:batch-create")),
        ("batch", reverse("production_dashboard:batch-detail", kwargs={"pk": shop["batch"].pk})),
        ("PNBP ledger", reverse("pnbp_dashboard:entry-list")),
        ("revenue split", reverse("pnbp_dashboard:split-list")),
        ("deposits", reverse("pnbp_dashboard:deposit-list")),
        (
            "deposit",
            reverse("pnbp_dashboard:deposit-detail", kwargs={"pk": Deposit.objects.get().pk}),
        ),
        ("PNBP reports", reverse("pnbp_reports_dashboard:index")),
        ("POS locations", reverse("pos_dashboard:location-list")),
        ("transfer", reverse("pos_dashboard:transfer-detail", kwargs={"pk": _pk(StockTransfer)})),
        ("cash sessions", reverse("pos_dashboard:session-list")),
        ("cash session", reverse("pos_dashboard:session-detail", kwargs={"pk": session.pk})),
        ("POS payments", reverse("pos_dashboard:payment-list")),
        ("cashier's app", reverse("pos_app:shell")),
    ]


def _pk(model) -> int:
    return model.objects.order_by("pk").first().pk


def _measure(page, where) -> list[str]:
    problems = []
    width = page.evaluate(WIDTH)
    if width["wide"] > 0:
        problems.append(f"{where} {width['wide']} px too wide {width['culprits']}")
    problems.extend(f"{where} {line}" for line in axe_violations(page))
    return problems


def test_staff_pages_on_a_phone_and_a_tablet_in_both_languages(browser, live_server, staff_shop):
    problems = []
    pages = staff_pages(staff_shop)
    # The point of sale has no /en/ (one service worker scope): it follows the browser's
    # language, so each language has its own context.
    for language, locale, prefix in (("id", "id-ID", ""), ("en", "en-US", "/en")):
        context = browser.new_context(locale=locale, viewport=PHONE, has_touch=True)
        axe_install(context)
        page = context.new_page()
        log_in(page, live_server, staff_shop["admin"])
        for name, path in pages:
            url = live_server.url + (path if path.startswith("/pos/") else prefix + path)
            page.set_viewport_size(PHONE)
            response = page.goto(url)
            if response.status != 200:
                problems.append(f"[{language} {name}] HTTP {response.status}")
                continue
            page.wait_for_load_state()
            problems += _measure(page, f"[{language} phone {name} {path}]")
            page.set_viewport_size(TABLET)
            problems += _measure(page, f"[{language} tablet {name} {path}]")
        context.close()
    assert not problems, "\n".join(problems)
