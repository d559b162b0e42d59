"""The government procurement catalogue (catalog.procurement): the e-Katalog workbook's
columns and rows, the price list PDF, and who may download which Lapas's files."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from catalog.models import ProductPriceTier
from catalog.procurement.exports import EKATALOG_HEADERS, ekatalog_xlsx
from catalog.procurement.selectors import procurement_rows
from tests.factories import CategoryFactory, ProductFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def url(name, lapas):
    with translation.override("id"):
        return reverse(f"procurement_dashboard:{name}", kwargs={"lapas_id": lapas.pk})


@pytest.fixture
def desk(lapas):
    furniture = CategoryFactory(name="Mebel")
    office = CategoryFactory(name="Mebel Kantor", parent=furniture)
    desk = ProductFactory(
        title="Meja Kerja Jati",
        description="<p>Meja kerja <b>kayu jati</b>.</p>",
        upc="MEJA-001",
        workshop=WorkshopFactory(lapas=lapas, name="Bengkel Mebel", code="MEBEL"),
        stockrecord__price=Decimal("1750000"),
        stockrecord__num_in_stock=7,
        categories=[office],
        gross_weight_grams=25000,
        length_cm=Decimal("120"),
        width_cm=Decimal("60"),
        height_cm=Decimal("75"),
    )
    ProductPriceTier.objects.create(product=desk, min_quantity=10, price=Decimal("1650000"))
    ProductPriceTier.objects.create(product=desk, min_quantity=40, price=Decimal("1550000"))
    return desk


def sheet_rows(content):
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Produk"]
    rows = list(sheet.iter_rows(values_only=True))
    return workbook, rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_has_the_columns_of_the_ekatalog_form(lapas, desk):
    _workbook, header, rows = sheet_rows(
        ekatalog_xlsx(lapas=lapas, rows=procurement_rows(lapas=lapas))
    )

    assert header == EKATALOG_HEADERS
    for column in (
        "Kategori Level 1",
        "Nama Produk",
        "Deskripsi Produk",
        "No Produk (SKU)",
        "Merek",
        "Kode KBKI",
        "PPN (%)",
        "Nilai TKDN (%)",
        "Unit Pengukuran",
        "Harga Satuan termasuk PPN (Rp)",
        "Stok",
        "Minimal Pembelian",
        "Wilayah Pengiriman",
        "Asal Produk",
        "URL Gambar 1",
    ):
        assert column in header
    (row,) = rows
    assert row["Kategori Level 1"] == "Mebel"
    assert row["Kategori Level 2"] == "Mebel Kantor"
    assert row["Nama Produk"] == "Meja Kerja Jati"
    assert row["Deskripsi Produk"] == "Meja kerja kayu jati."  # plain text, no HTML
    assert row["No Produk (SKU)"] == "MEJA-001"
    assert row["Merek"].endswith("Lapas Kelas I Tangerang")
    assert row["Jenis Produk"] == "Lokal"
    assert row["PPN (%)"] == 0
    assert row["Harga Satuan termasuk PPN (Rp)"] == 1750000
    assert row["Harga Bertingkat (Rp)"] == "≥10: 1650000; ≥40: 1550000"
    assert row["Stok"] == 7
    assert row["Minimal Pembelian"] == 1
    assert row["Berat (gram)"] == 25000
    assert row["Wilayah Pengiriman"] == "Seluruh Indonesia"
    assert row["Asal Produk"] == "Kota Tangerang, Banten"
    assert "Ukuran 120 × 60 × 75 cm" in row["Spesifikasi"]
    assert row["URL Produk"].endswith(desk.get_absolute_url())


def test_the_workbook_holds_only_the_priced_public_products_of_that_lapas(lapas, other_lapas, desk):
    ProductFactory(title="Kursi Draf", workshop=desk.workshop, is_public=False)
    ProductFactory(title="Tanpa Harga", workshop=desk.workshop, stockrecord=False)
    ProductFactory(title="Roti Cipinang", workshop=WorkshopFactory(lapas=other_lapas))

    titles = [row.title for row in procurement_rows(lapas=lapas)]

    assert titles == ["Meja Kerja Jati"]


def test_perishable_food_is_offered_in_the_province_of_the_lapas(lapas):
    ProductFactory(title="Roti Tawar", workshop=WorkshopFactory(lapas=lapas), shelf_life_days=4)

    (row,) = procurement_rows(lapas=lapas)

    assert row.delivery_area == "Provinsi Banten"


def test_a_title_that_looks_like_a_formula_stays_text(lapas):
    ProductFactory(
        title='=HYPERLINK("http://evil.test","x")', workshop=WorkshopFactory(lapas=lapas)
    )

    workbook = load_workbook(
        io.BytesIO(ekatalog_xlsx(lapas=lapas, rows=procurement_rows(lapas=lapas)))
    )
    cell = workbook["Produk"].cell(row=2, column=EKATALOG_HEADERS.index("Nama Produk") + 1)

    assert cell.data_type == "s"


def test_the_rows_take_the_same_queries_for_one_product_or_many(lapas, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        procurement_rows(lapas=lapas)
    for n in range(8):
        ProductFactory(
            title=f"Kursi {n}", workshop=desk.workshop, categories=[desk.categories.get()]
        )
    with CaptureQueriesContext(connection) as many:
        rows = procurement_rows(lapas=lapas)

    assert len(rows) == 9
    assert len(many) == len(one)


def test_workshop_staff_download_the_workbook_of_their_lapas(client, workshop_staff, lapas, desk):
    client.force_login(workshop_staff)

    response = client.get(url("ekatalog", lapas))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"e-katalog-{lapas.satker_code}-" in response["Content-Disposition"]
    _workbook, _header, rows = sheet_rows(response.content)
    assert [row["Nama Produk"] for row in rows] == ["Meja Kerja Jati"]


def test_the_price_list_lists_products_by_category_with_their_tier_prices(
    client, workshop_staff, lapas, desk
):
    client.force_login(workshop_staff)

    response = client.get(url("price-list", lapas))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Daftar Harga Lapas Kelas I Tangerang" in text
    assert f"Kode satker: {lapas.satker_code}" in text
    assert "Mebel > Mebel Kantor" in text
    assert "Meja Kerja Jati" in text
    assert "Rp1.750.000" in text
    assert "mulai 40 unit: Rp1.550.000" in text


def test_staff_of_another_lapas_get_nothing_of_this_one(client, other_workshop_staff, lapas, desk):
    client.force_login(other_workshop_staff)

    assert client.get(url("ekatalog", lapas)).status_code == 404
    assert client.get(url("price-list", lapas)).status_code == 404
    index = client.get(reverse("procurement_dashboard:index"))
    assert index.status_code == 200
    assert lapas.name not in index.content.decode()


def test_a_central_admin_downloads_any_lapas(client, central_admin, lapas, other_lapas, desk):
    client.force_login(central_admin)

    index = client.get(reverse("procurement_dashboard:index")).content.decode()

    assert lapas.name in index and other_lapas.name in index
    assert client.get(url("ekatalog", other_lapas)).status_code == 200


def test_buyers_and_treasurers_are_refused(client, buyer, lapas, desk):
    from shop.apps.core.services import user_assign_role
    from tests.factories import UserFactory

    treasurer = user_assign_role(
        user=UserFactory(username="bendahara"), role_code="treasurer", lapas=lapas
    )
    for user in (buyer, treasurer):
        client.force_login(user)
        assert client.get(url("ekatalog", lapas)).status_code == 403
    client.logout()
    assert client.get(url("ekatalog", lapas)).status_code == 302  # to the login page
