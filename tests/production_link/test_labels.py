import io

import pytest
import zxingcpp
from PIL import Image

from production_link.labels import label_png, label_sheet_pdf, render_label
from tests.factories import released_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(bread):
    return released_batch(product=bread, quantity=30)


def decoded(image):
    return {(r.format.name, r.text) for r in zxingcpp.read_barcodes(image)}


def test_a_label_carries_the_trace_url_as_qr_and_the_batch_code_as_code128(batch, settings):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id"

    found = decoded(render_label(batch))

    assert ("QRCode", f"https://karya.example.id/trace/{batch.code}/") in found
    assert ("Code128", batch.code) in found


def test_the_png_is_a_300_dpi_label(batch):
    image = Image.open(io.BytesIO(label_png(batch)))

    assert image.format == "PNG"
    assert image.size == (827, 500)
    assert decoded(image)


def test_the_pdf_sheet_holds_one_label_per_unit_on_a4_pages(batch):
    pdf = label_sheet_pdf(batch)

    assert pdf.startswith(b"%PDF")
    assert b"/Count 2" in pdf  # 30 labels, 21 to a sheet
