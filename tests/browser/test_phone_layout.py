"""The shop on a phone, in a real chromium: no buyer page scrolls sideways at 360 px, the
menu opens from its button and the "Shop for" submenu by a tap, touch targets are at least
24 x 24 px and buttons 44 px high."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_install
from tests.browser.shop_pages import (
    buyer_pages,
    checkout_as_guest,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}

# Measured in the page: how far it scrolls sideways, the buttons lower than 44 px, and
# axe's own target-size rule (WCAG 2.2 2.5.8: 24 x 24 px, or enough space around).
MEASURE = """async () => {
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    const culprits = wide > 0 ? [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
            && getComputedStyle(el).position !== "fixed")
        .slice(-5).map((el) => el.tagName + "." + el.className) : [];
    const low = [...document.querySelectorAll("main button, main .btn, main input[type=submit]")]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 43.5)
        .map((el) => (el.id || el.className) + " " + Math.round(el.getBoundingClientRect().height) + "px");
    const axeResult = await window.axe.run(document, {runOnly: ["target-size"]});
    const small = axeResult.violations.flatMap((v) => v.nodes.map((n) => n.target.join(" ")));
    return {wide, culprits, low, small};
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True}


@pytest.fixture(autouse=True)
def _patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def test_no_buyer_page_is_wider_than_a_phone(page, live_server, shop_pages):
    axe_install(page.context)
    problems = []

    def check(name):
        page.wait_for_load_state()
        found = page.evaluate(MEASURE)
        if found["wide"] > 0:
            problems.append(f"{name}: {found['wide']} px wider than the screen {found['culprits']}")
        if found["low"]:
            problems.append(f"{name}: buttons under 44 px {found['low']}")
        if found["small"]:
            problems.append(f"{name}: touch targets under 24 px {found['small']}")

    for name, path in buyer_pages(shop_pages):
        page.goto(live_server.url + path)
        check(name)
    checkout_as_guest(page, live_server, shop_pages, check)

    assert not problems, "\n".join(problems)


def test_the_menu_and_its_submenu_open_by_touch(page, live_server, shop_pages):
    page.goto(live_server.url + "/")
    menu = page.locator("#primary-menu")
    expect(menu).to_be_hidden()

    page.locator(".nav-menu-button").tap()
    expect(menu).to_be_visible()
    expect(page.locator(".nav-menu-button")).to_have_attribute("aria-expanded", "true")
    category = menu.get_by_role("link", name="Roti dan Kue Kering")
    expect(category).to_be_visible()

    # "Shop for" opens by a tap, in the flow of the menu: its link can be tapped.
    segments = page.locator(".nav-segments")
    expect(segments.locator(".subnav")).to_be_hidden()
    segments.locator(".nav-toggle").tap()
    expect(segments.locator(".nav-toggle")).to_have_attribute("aria-expanded", "true")
    segment_link = segments.get_by_role("link", name="Kantor dan Instansi")
    expect(segment_link).to_be_visible()
    box = segment_link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert (
        page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('a')?.textContent.trim()",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        == "Kantor dan Instansi"
    )  # not covered by anything (the hero covered it before)

    category.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roti dan Kue Kering")


ABOVE = """(limit) => [...document.querySelectorAll("body *")]
    .filter((el) => el.offsetParent !== null && el.children.length < 4)
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.height >= 24 && r.top < limit)
    .map(([el, r]) => `${el.tagName}.${el.className} ${Math.round(r.top)}+${Math.round(r.height)}`)
    .slice(0, 40)"""


@pytest.mark.parametrize("language", ["id", "en"])
def test_add_to_basket_is_on_the_first_screen_of_a_product_page(
    page, live_server, shop_pages, language
):
    prefix = "" if language == "id" else "/en"
    page.goto(live_server.url + prefix + shop_pages.product.get_absolute_url())
    button = page.locator("#add_to_basket_form button[type=submit]")
    expect(button).to_be_visible()

    box = button.bounding_box()
    assert box["y"] >= 0
    # What stands above the button, for the message when it is too far down.
    above = page.evaluate(ABOVE, box["y"])
    assert box["y"] + box["height"] <= PHONE["height"], (
        f"the button's bottom is at {box['y'] + box['height']:.0f} px, "
        f"below the first screen of {PHONE['height']} px; above it: {above}"
    )
    # The title and the price are above it: the buyer knows what the button buys.
    for fact in (page.locator("main h1"), page.locator(".product_main .price_color").first):
        assert fact.bounding_box()["y"] < box["y"]
