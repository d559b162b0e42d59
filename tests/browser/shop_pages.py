"""A small shop with every kind of buyer page filled in (a labelled food product with
institutional tiers, its category, a batch to trace, a workshop story, a paid order for
the dashboard, a gallery for the point of sale), and the walks through it that the
accessibility and phone-layout browser tests share."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalog.choices import LicenceType
from cms.models import HomePage, LapasIndexPage, LapasPage, SegmentPage, WorkshopStoryPage
from production_link.models import BatchStock, StockLocation
from shop.apps.core.services import user_assign_role
from shop.pos.models import PosLocation
from tests.factories import (
    CategoryFactory,
    LapasFactory,
    ProductFactory,
    UserFactory,
    WorkshopFactory,
    released_batch,
)

ProductPriceTier = get_model("catalogue", "ProductPriceTier")


@pytest.fixture
def shop_pages(transactional_db, shipping_rates):
    lapas = LapasFactory(name="Lapas Kelas IIA Yogyakarta", short_code="YGY")
    food = CategoryFactory(name="Makanan dan Minuman")
    bread = CategoryFactory(name="Roti dan Kue Kering", parent=food)
    workshop = WorkshopFactory(
        lapas=lapas, name="Bengkel Roti", field_of_work=food, skills="Fermentasi adonan"
    )
    product = ProductFactory(
        title="Roti Sobek Cokelat Keju Isi Dua Belas",
        workshop=workshop,
        stockrecord__price=Decimal("35000"),
        stockrecord__num_in_stock=40,
        categories=[bread],
        label_name="Roti Sobek Cokelat Keju Karya Lapas Yogyakarta",
        ingredients="Tepung terigu, gula, telur, mentega, cokelat bubuk, keju cheddar, ragi",
        allergens="Gluten, telur, susu",
        storage_instructions="Simpan di tempat sejuk dan kering, jauh dari sinar matahari",
        shelf_life_days=5,
        licence_type=LicenceType.PIRT,
        licence_number="206360301012326",
        halal_claimed=True,
        halal_certificate_number="ID00110000123450122",
        halal_certificate_expiry=datetime.date.today() + datetime.timedelta(days=400),
    )
    ProductPriceTier.objects.create(product=product, min_quantity=10, price=Decimal("32000"))
    ProductPriceTier.objects.create(product=product, min_quantity=50, price=Decimal("30000"))
    batch = product.batches.get()

    home = HomePage.objects.get()
    home.featured_products.create(product=product)
    home.save_revision().publish()
    index = home.add_child(instance=LapasIndexPage(title="Lapas dan Bengkel", slug="lapas"))
    lapas_page = index.add_child(
        instance=LapasPage(title=lapas.name, slug="yogyakarta", lapas=lapas, intro="Lapas.")
    )
    story = lapas_page.add_child(
        instance=WorkshopStoryPage(
            title="Bengkel Roti Lapas Yogyakarta",
            slug="bengkel-roti",
            workshop=workshop,
            intro="Roti dipanggang setiap pagi.",
        )
    )
    story.save_revision().publish()
    # A buyer segment in the header's "Shop for" menu.
    home.add_child(
        instance=SegmentPage(
            title="Kantor dan Instansi",
            slug="kantor",
            intro="Untuk kantor dan sekolah.",
            category=food,
            show_in_menus=True,
        )
    )

    admin = UserFactory(username="admin.pusat", is_staff=True, is_superuser=True)
    cashier = user_assign_role(
        user=UserFactory(username="kasir.yogya", first_name="Sri", last_name="Wahyuni"),
        role_code="cashier",
        lapas=lapas,
    )
    gallery = StockLocation.objects.create(
        lapas=lapas, kind=StockLocation.Kind.GALLERY, name="Galeri Karya Malioboro"
    )
    location = PosLocation.objects.create(stock_location=gallery, venue="Jl. Malioboro 52")
    location.cashiers.add(cashier)
    sold_at_gallery = released_batch(product=product, quantity=3)
    BatchStock.objects.filter(batch=sold_at_gallery).update(location=gallery)

    return SimpleNamespace(
        product=product,
        category=bread,
        batch=batch,
        story=story,
        admin=admin,
        cashier=cashier,
        gallery_batch=sold_at_gallery,
    )


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def buyer_pages(shop):
    """The pages a buyer reads before the basket, as (name, path)."""
    return [
        ("home", "/"),
        ("catalogue", "/catalogue/"),
        ("category", shop.category.get_absolute_url()),
        ("product", shop.product.get_absolute_url()),
        ("search", "/search/?q=roti"),
        ("trace", f"/trace/{shop.batch.code}/"),
        ("story", shop.story.url),
    ]


def checkout_as_guest(page, live_server, shop, check):
    """Puts the product in the basket and walks the guest checkout to the thank-you page,
    calling check(name) on the basket, every checkout step and the thank-you page."""
    page.goto(live_server.url + shop.product.get_absolute_url())
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(live_server.url + "/basket/")
    check("basket")
    page.locator("a[href$='/checkout/']").last.click()

    expect(page.locator("#id_username")).to_be_visible()
    check("checkout: who")
    page.fill("#id_username", "tamu@example.test")
    page.check("input[name=options][value=anonymous]")
    page.locator("main form button[type=submit]").first.click()

    expect(page.locator("#id_first_name")).to_be_visible()
    check("checkout: address")
    page.fill("#id_first_name", "Dewi Lestari")
    page.fill("#id_line1", "Jl. Malioboro No. 52")
    page.fill("#id_line4", "Kota Yogyakarta")
    page.select_option("#id_state", "DI Yogyakarta")
    page.fill("#id_postcode", "55271")
    page.fill("#id_phone_number", "081234567890")
    page.locator("main form button[type=submit]").last.click()

    # Courier or pick-up at the gallery: the courier, the first choice.
    expect(page).to_have_url(re.compile(r"/checkout/shipping-method/$"))
    check("checkout: delivery")
    page.locator("main form button[type=submit]").first.click()

    expect(page.locator("input[name=method][value=bank_transfer]")).to_be_visible()
    check("checkout: payment")
    page.check("input[name=method][value=bank_transfer]")
    page.click("#choose-payment")
    expect(page.locator("#place-order")).to_be_visible()
    check("checkout: preview")
    page.click("#place-order")
    expect(page.locator("[id^=transfer-]").first).to_be_visible()
    check("thank you")


def open_pos_session(page, live_server):
    page.goto(live_server.url + "/pos/")
    expect(page.locator("#location-list input[type=radio]")).to_be_checked()
    page.fill("#opening-float", "100000")
    page.click("#open-button")
    expect(page.locator("#view-sell")).to_be_visible()
