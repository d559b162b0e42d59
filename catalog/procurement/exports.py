"""The files of the procurement catalogue: the e-Katalog workbook and the price list PDF.

Column headers are in Indonesian whatever the user's language: the workbook is filled
into LKPP's Indonesian form, and the price list goes to Indonesian procurement officers.
Where the columns come from, and what could not be confirmed, is in the README
("Government procurement catalogue (e-Katalog)").
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from .selectors import IMAGE_COLUMNS, CatalogueRow

# The Lapas is a state work unit: its sale proceeds are PNBP (non-tax state revenue),
# not a taxable supply of a VAT-registered business, so no PPN is added and the
# price "including PPN" the form asks for is the price itself.
PPN_PERCENT = 0


def _image(index: int):
    return lambda row: row.image_urls[index] if len(row.image_urls) > index else ""


# (header, value of a row). Order and names follow the e-Katalog v6 product form's
# steps: category, basic information, tax and KBKI, domestic-product status and TKDN,
# SNI, brand, specification, stock, shipping; then what a bulk sheet needs besides
# (SKU, image links). KBKI and TKDN are not recorded in Karya: left empty, to fill in.
EKATALOG_COLUMNS: tuple[tuple[str, object], ...] = (
    ("Kategori Level 1", lambda r: r.categories[0] if len(r.categories) > 0 else ""),
    ("Kategori Level 2", lambda r: r.categories[1] if len(r.categories) > 1 else ""),
    ("Kategori Level 3", lambda r: r.categories[2] if len(r.categories) > 2 else ""),
    ("Nama Produk", lambda r: r.title),
    ("Deskripsi Produk", lambda r: r.description),
    ("No Produk (SKU)", lambda r: r.sku),
    ("Merek", None),  # the Lapas: filled per workbook
    ("Jenis Produk", lambda r: "Lokal"),
    ("Kode KBKI", lambda r: ""),
    ("PPN (%)", lambda r: PPN_PERCENT),
    ("Nilai TKDN (%)", lambda r: ""),
    ("Nomor SNI", lambda r: r.sni_number),
    ("Izin Edar (P-IRT/BPOM)", lambda r: r.licence),
    ("Nomor Sertifikat Halal", lambda r: r.halal),
    ("Unit Pengukuran", lambda r: r.unit),
    ("Spesifikasi", lambda r: r.specification),
    ("Harga Satuan termasuk PPN (Rp)", lambda r: int(r.price)),
    (
        "Harga Bertingkat (Rp)",
        lambda r: "; ".join(f"≥{t.min_quantity}: {int(t.price)}" for t in r.tiers),
    ),
    ("Stok", lambda r: r.stock),
    ("Minimal Pembelian", lambda r: r.min_order),
    ("Berat (gram)", lambda r: r.weight_grams),
    ("Panjang (cm)", lambda r: r.length_cm),
    ("Lebar (cm)", lambda r: r.width_cm),
    ("Tinggi (cm)", lambda r: r.height_cm),
    ("Wilayah Pengiriman", lambda r: r.delivery_area),
    ("Asal Produk", lambda r: r.origin),
    ("Produsen", lambda r: r.producer),
    ("Bengkel Kerja", lambda r: r.workshop),
    *((f"URL Gambar {n + 1}", _image(n)) for n in range(IMAGE_COLUMNS)),
    ("URL Produk", lambda r: r.url),
)
EKATALOG_HEADERS = tuple(header for header, _value in EKATALOG_COLUMNS)


def brand_of(lapas) -> str:
    return f"{settings.OSCAR_SHOP_NAME} {lapas.name}"


def ekatalog_values(row: CatalogueRow, *, lapas) -> list:
    return [brand_of(lapas) if value is None else value(row) for _header, value in EKATALOG_COLUMNS]


def ekatalog_filename(lapas) -> str:
    code = lapas.satker_code or lapas.pk
    return f"e-katalog-{code}-{timezone.localdate():%Y%m%d}.xlsx"


def price_list_filename(lapas) -> str:
    code = lapas.satker_code or lapas.pk
    return f"daftar-harga-{code}-{timezone.localdate():%Y%m%d}.pdf"


def _text_cell(cell) -> None:
    """A product title or description that starts with "=" stays text: openpyxl would
    otherwise store it as a formula, which a spreadsheet program runs on opening."""
    if cell.data_type == "f":
        cell.data_type = "s"


def ekatalog_xlsx(*, lapas, rows: list[CatalogueRow]) -> bytes:
    """Sheet "Produk": a header row and one row per product, for the bulk upload.
    Sheet "Petunjuk": which Lapas, when, and which columns are left to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Produk"
    sheet.append(list(EKATALOG_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    price_column = EKATALOG_HEADERS.index("Harga Satuan termasuk PPN (Rp)") + 1
    for row in rows:
        sheet.append(ekatalog_values(row, lapas=lapas))
        for cell in sheet[sheet.max_row]:
            _text_cell(cell)
        sheet.cell(row=sheet.max_row, column=price_column).number_format = "#,##0"
    wide = {"Nama Produk": 36, "Deskripsi Produk": 60, "Spesifikasi": 48, "Produsen": 40}
    for index, header in enumerate(EKATALOG_HEADERS, start=1):
        width = wide.get(header, 30 if header.startswith("URL") else 18)
        sheet.column_dimensions[get_column_letter(index)].width = width

    notes = workbook.create_sheet("Petunjuk")
    for line in (
        ["Katalog produk untuk Katalog Elektronik (e-Katalog) LKPP"],
        ["Penyedia", lapas.name],
        ["Kode satker", lapas.satker_code or ""],
        ["Dibuat", timezone.localtime().strftime("%d-%m-%Y %H:%M")],
        ["Jumlah produk", len(rows)],
        [],
        ["Kolom yang harus dilengkapi sebelum diunggah"],
        ["Kode KBKI", "Pilih kode KBKI sesuai kategori produk di e-Katalog."],
        ["Nilai TKDN (%)", "Isi bila produk memiliki sertifikat TKDN."],
        [],
        ["Catatan"],
        ["PPN (%)", "Hasil penjualan Lapas adalah PNBP; harga tidak dikenai PPN."],
        ["Stok", "Unit yang siap dijual dari gudang Lapas saat file ini dibuat."],
        ["Harga Bertingkat", "Harga per unit mulai jumlah pembelian tertentu (≥ jumlah: harga)."],
        ["", "Produk tanpa harga tidak dimuat."],
    ):
        notes.append(line)
        for cell in notes[notes.max_row]:
            _text_cell(cell)
    notes["A1"].font = Font(bold=True, size=13)
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rupiah(amount) -> str:
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def price_list_pdf(*, lapas, rows: list[CatalogueRow]) -> bytes:
    """A4 portrait, for procurement officers: the Lapas as seller, then its products by
    category with unit and tier prices. Drawn with reportlab as the receipts are;
    streams uncompressed so the text stays searchable (and testable)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("pricelist_body", fontSize=8.5, leading=10.5)
    bold = body.clone("pricelist_bold", fontName="Helvetica-Bold")
    small = body.clone("pricelist_small", fontSize=7.5, leading=9)
    right = body.clone("pricelist_right", alignment=2)
    heading = styles["Heading3"].clone("pricelist_heading", spaceBefore=8, spaceAfter=4)

    def p(text, style=body):
        return Paragraph(escape(str(text)), style)

    title = f"Daftar Harga {lapas.name}"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=settings.OSCAR_SHOP_NAME,
        pageCompression=0,
    )
    story = [Paragraph(escape(title), styles["Title"])]
    seller = [lapas.name]
    if lapas.satker_code:
        seller.append(f"Kode satker: {lapas.satker_code}")
    producer = rows[0].producer if rows else ""
    if producer:
        seller.append(producer)
    contact = " · ".join(x for x in (lapas.phone, lapas.email) if x)
    if contact:
        seller.append(contact)
    for line in seller:
        story.append(p(line))
    story.append(
        p(
            f"Berlaku per {timezone.localdate():%d-%m-%Y}. Harga dalam rupiah per unit, "
            "tidak dikenai PPN (hasil penjualan Lapas adalah PNBP). Harga bertingkat berlaku "
            "untuk pembeli instansi mulai jumlah yang tertera per baris pesanan. Untuk "
            "penawaran resmi, barang pesanan khusus atau jumlah besar, ajukan permintaan "
            "penawaran di akun instansi Anda.",
            small,
        )
    )
    story.append(Spacer(1, 4 * mm))
    if not rows:
        story.append(p("Belum ada produk berharga yang dapat ditawarkan."))

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecef")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    widths = [62 * mm, 26 * mm, 20 * mm, 24 * mm, 50 * mm]
    group: str | None = None
    table_rows: list = []

    def flush():
        if table_rows:
            table = Table(table_rows, colWidths=widths, repeatRows=1)
            table.setStyle(grid)
            story.append(table)

    header = [
        p("Produk", bold),
        p("SKU", bold),
        p("Unit", bold),
        p("Harga", bold),
        p("Harga bertingkat", bold),
    ]
    for row in rows:
        path = row.category_path or "Lainnya"
        if path != group:
            flush()
            group = path
            story.append(Paragraph(escape(path), heading))
            table_rows = [header]
        tiers = "<br/>".join(
            escape(f"mulai {t.min_quantity} unit: {_rupiah(t.price)}") for t in row.tiers
        )
        name = escape(row.title)
        if row.specification:
            name += f"<br/><font size=7>{escape(row.specification)}</font>"
        table_rows.append(
            [
                Paragraph(name, body),
                p(row.sku, small),
                p(row.unit, small),
                p(_rupiah(row.price), right),
                Paragraph(tiers or "—", body),
            ]
        )
    flush()

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(14 * mm, 9 * mm, f"{settings.OSCAR_SHOP_NAME} · {lapas.name}")
        canvas.drawRightString(A4[0] - 14 * mm, 9 * mm, f"Halaman {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
