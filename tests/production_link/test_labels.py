"""Batch labels: every required fact printed in full or the label refused with its reason;
the text read back from the PDF's text layer (pypdf), every barcode decoded (zxing-cpp)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.contrib.messages import get_messages
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from catalog.choices import LicenceType
from production_link import labels
from production_link.labels import (
    SIZES,
    LabelDoesNotFit,
    label_facts,
    label_layout,
    label_pdf,
    label_png,
    label_zpl,
    render_label,
)
from tests.factories import ProductClassFactory, released_batch

pytestmark = pytest.mark.django_db

INGREDIENTS = (
    "Tepung terigu, tepung gandum utuh (20%), air, gula, ragi, mentega, susu bubuk, "
    "garam, pengemulsi lesitin kedelai."
)


@pytest.fixture
def food_bread(bread):
    """The demo's wholemeal bread: a food product with every label fact."""
    bread.product_class = ProductClassFactory(name="Pangan", is_food=True)
    bread.label_name = "Roti Tawar Gandum"
    bread.net_quantity, bread.net_quantity_unit = Decimal("500"), "g"
    bread.ingredients = INGREDIENTS
    bread.allergens = "Gandum (gluten), susu, kedelai"
    bread.licence_type, bread.licence_number = LicenceType.PIRT, "2063671010001-29"
    bread.halal_claimed = True
    bread.halal_certificate_number = "ID36110000123450324"
    bread.halal_certificate_expiry = datetime.date(2029, 6, 30)
    bread.shelf_life_days = 4
    bread.save()
    return bread


@pytest.fixture
def batch(food_bread):
    made = datetime.date(2026, 11, 22)
    return released_batch(
        product=food_bread,
        quantity=30,
        production_date=made,
        expiry_date=made + datetime.timedelta(days=4),
    )


def decoded(image):
    return {(r.format.name, r.text) for r in zxingcpp.read_barcodes(image)}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_images(pdf: bytes) -> list[Image.Image]:
    return [image.image for image in PdfReader(io.BytesIO(pdf)).pages[0].images]


def expected_barcodes(batch, url):
    return {
        ("QRCode", url),
        ("Code128", f"(17){batch.expiry_date:%y%m%d}(10){batch.code}"),
    }


@pytest.mark.parametrize("size", list(SIZES))
def test_every_size_prints_every_required_fact_and_both_barcodes_decode(batch, size, settings):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id"
    url = f"https://karya.example.id/trace/{batch.code}/"
    facts = label_facts(batch)

    pdf = label_pdf(batch, size=size, count=1)

    (text,) = pdf_text(pdf)
    for fact in facts:
        assert flat(fact.text) in text, fact.key
    assert "Roti Tawar Gandum" in text and INGREDIENTS in text
    assert "Lapas Kelas I Tangerang, Jl. Veteran No. 2, Kota Tangerang, Banten 15111" in text
    assert "P-IRT 2063671010001-29" in text and "Halal ID36110000123450324" in text
    assert f"(17)261126(10){batch.code}" in text
    found = set()
    for image in pdf_images(pdf):
        found |= decoded(image)
    assert found == expected_barcodes(batch, url)
    assert decoded(render_label(batch, size=size)) == expected_barcodes(batch, url)


def test_the_gs1_barcode_says_it_is_gs1(batch):
    (bars,) = [r for r in zxingcpp.read_barcodes(render_label(batch)) if r.format.name == "Code128"]

    assert bars.symbology_identifier == "]C1"  # FNC1 first: a GS1-128, not a plain Code128
    assert bars.bytes == f"1726112610{batch.code}".encode()


def test_a_batch_without_expiry_carries_only_the_batch(food_bread):
    batch = released_batch(product=food_bread, quantity=2)

    codes = dict(decoded(render_label(batch, size="100x50")))

    assert codes["Code128"] == f"(10){batch.code}"


def test_text_shrinks_to_fit_but_never_below_the_legible_minimum(batch):
    roomy = label_layout(batch, size="100x150")
    tight = label_layout(batch, size="70x42")

    assert roomy.text_pt == SIZES["100x150"].text_pt
    assert SIZES["70x42"].min_text_pt <= tight.text_pt < SIZES["70x42"].text_pt
    # x-height of at least 0.9 mm on a label under 80 cm², 1.2 mm on a larger one
    assert SIZES["70x42"].min_text_pt * 25.4 / 72 * labels._fonts().x_height_em >= 0.9
    assert SIZES["100x150"].min_text_pt * 25.4 / 72 * labels._fonts().x_height_em >= 1.2


def test_facts_too_long_for_the_small_label_are_refused_with_the_size_that_holds_them(
    batch, food_bread
):
    food_bread.ingredients = INGREDIENTS * 3
    food_bread.save()

    with pytest.raises(LabelDoesNotFit) as refusal:
        label_pdf(batch, size="70x42")

    message = refusal.value.message
    assert "70 × 42,3 mm" in message or "70 × 42.3 mm" in message
    # The longer ingredients push the producer's address off the label: it is named.
    assert [fact.key for fact in refusal.value.facts] == ["producer"]
    assert str(refusal.value.facts[0].name) in message
    assert refusal.value.fitting is not None
    assert refusal.value.fitting.name in message
    # ... and the size it names prints it, every word of it.
    (text,) = pdf_text(label_pdf(batch, size=refusal.value.fitting.key, count=1))
    assert flat(INGREDIENTS * 3) in text


def test_facts_that_fit_no_size_are_refused_asking_to_shorten_them(batch, food_bread):
    food_bread.ingredients = INGREDIENTS * 40
    food_bread.save()

    for size in SIZES:
        with pytest.raises(LabelDoesNotFit) as refusal:
            label_png(batch, size=size)
        assert refusal.value.fitting is None
        assert "shorten" in refusal.value.message or "persingkat" in refusal.value.message


def test_a_word_wider_than_the_label_is_refused_not_cut(batch, food_bread):
    food_bread.allergens = "X" * 90
    food_bread.save()

    with pytest.raises(LabelDoesNotFit) as refusal:
        label_layout(batch, size="70x42")

    assert "allergens" in [fact.key for fact in refusal.value.facts]


def test_the_png_is_a_300_dpi_label_of_its_size(batch):
    image = Image.open(io.BytesIO(label_png(batch, size="100x50")))

    assert image.format == "PNG"
    assert image.size == (1181, 591)
    assert round(image.info["dpi"][0]) == 300


def test_sheet_labels_come_21_to_an_a4_page_and_thermal_ones_one_to_a_page(batch):
    sheet = PdfReader(io.BytesIO(label_pdf(batch, size="70x42")))
    thermal = PdfReader(io.BytesIO(label_pdf(batch, size="100x50", count=3)))

    assert len(sheet.pages) == 2  # 30 labels, 21 to a sheet
    assert [round(float(v) * 25.4 / 72) for v in sheet.pages[0].mediabox[2:]] == [210, 297]
    assert len(thermal.pages) == 3
    assert [round(float(v) * 25.4 / 72) for v in thermal.pages[0].mediabox[2:]] == [100, 50]
    assert pdf_text(label_pdf(batch, size="70x42"))[0].count(batch.code) >= 21


def test_zpl_holds_the_same_lines_the_gs1_barcode_and_the_qr(batch, settings):
    settings.KARYA_PUBLIC_URL = "https://karya.example.id"

    zpl = label_zpl(batch, size="100x50", count=4)

    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert "^CI28" in zpl and "^PW800" in zpl and "^LL400" in zpl and "^PQ4" in zpl
    assert re.search(rf"\^BCN,\d+,Y,N,N,D\^FD\(17\)261126\(10\){batch.code}\^FS", zpl)
    assert re.search(rf"\^BQN,2,\d+\^FDMA,https://karya.example.id/trace/{batch.code}/\^FS", zpl)
    printed = flat(" ".join(re.findall(r"\^A0N,\d+,\d+\^FD(.*?)\^FS", zpl)))
    for fact in label_facts(batch):
        assert flat(fact.text) in printed, fact.key


def test_the_dashboard_offers_every_size_and_refuses_one_that_is_too_small(
    client, workshop_staff, batch, food_bread
):
    food_bread.ingredients = INGREDIENTS * 3
    food_bread.save()
    client.force_login(workshop_staff)
    pdf_url = reverse("production_dashboard:batch-label-pdf", kwargs={"pk": batch.pk})
    zpl_url = reverse("production_dashboard:batch-label-zpl", kwargs={"pk": batch.pk})

    page = client.get(reverse("production_dashboard:batch-detail", kwargs={"pk": batch.pk}))
    refused = client.get(pdf_url, {"size": "70x42"})
    printed = client.get(pdf_url, {"size": "100x150", "count": 2})
    zpl = client.get(zpl_url, {"size": "100x150"})

    body = page.content.decode()
    assert f"{zpl_url}?size=100x150" in body
    assert refused.status_code == 302
    (message,) = [str(m) for m in get_messages(refused.wsgi_request)]
    assert "70 × 42" in message
    assert printed["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(printed.content)).pages) == 2
    assert zpl["Content-Type"].startswith("text/plain") and zpl.content.startswith(b"^XA")
    assert client.get(pdf_url, {"size": "12x12"}).status_code == 404


def test_another_lapas_cannot_print_the_labels(client, other_workshop_staff, batch):
    client.force_login(other_workshop_staff)

    url = reverse("production_dashboard:batch-label-zpl", kwargs={"pk": batch.pk})

    assert client.get(url, {"size": "100x50"}).status_code == 404
