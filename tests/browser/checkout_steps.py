"""The guest checkout's steps as a buyer takes them in the browser, from the basket page's
checkout link to placing the order, for the browser tests that buy."""

from playwright.sync_api import expect


def guest_checkout(page, *, email: str, method: str = "bank_transfer") -> None:
    """From the basket page: as a guest, to an address in Yogyakarta, paying by ``method``
    (Karya's payment method: bank_transfer, or stripe for a card), then place the order."""
    page.locator("a[href$='/checkout/']").last.click()

    page.fill("#id_username", email)
    page.check("input[name=options][value=anonymous]")
    page.locator("form button[type=submit]").filter(has_text="Lanjut").first.click()

    page.fill("#id_first_name", "Dewi Lestari")
    page.fill("#id_line1", "Jl. Malioboro No. 52")
    page.fill("#id_line2", "Kel. Sosromenduran")
    page.fill("#id_line3", "Kec. Gedong Tengen")
    page.fill("#id_line4", "Kota Yogyakarta")
    page.select_option("#id_state", "DI Yogyakarta")
    page.fill("#id_postcode", "55271")
    page.fill("#id_phone_number", "081234567890")
    page.locator("main form button[type=submit]").last.click()

    expect(page.get_by_role("heading", name="Bagaimana Anda ingin membayar?")).to_be_visible()
    page.check(f"input[name=method][value={method}]")
    page.click("#choose-payment")

    page.click("#place-order")
