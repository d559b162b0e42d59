"""On the demo shop: a batch of every food product prints on every label size or is refused
with the reason; what prints holds every required fact in its PDF text layer, and both its
barcodes decode with an independent decoder (zxing-cpp)."""

import io

import pytest
import zxingcpp
from pypdf import PdfReader

from production_link.labels import SIZES, LabelDoesNotFit, label_facts, label_pdf
from production_link.models import Batch

pytestmark = pytest.mark.django_db


def test_every_food_batch_prints_in_full_on_every_size_or_is_refused(demo_shop):
    batches = {}
    for batch in Batch.objects.filter(product__product_class__is_food=True).select_related(
        "product", "workshop__lapas"
    ):
        batches.setdefault(batch.product_id, batch)
    assert len(batches) >= 10
    printed = 0
    for batch in batches.values():
        facts = [" ".join(fact.text.split()) for fact in label_facts(batch)]
        for size in SIZES:
            try:
                pdf = label_pdf(batch, size=size, count=1)
            except LabelDoesNotFit as refusal:
                assert refusal.facts and str(refusal.facts[0].name) in refusal.message
                continue
            page = PdfReader(io.BytesIO(pdf)).pages[0]
            text = " ".join(page.extract_text().split())
            for fact in facts:
                assert fact in text, (batch.code, size, fact)
            found = {
                r.format.name for image in page.images for r in zxingcpp.read_barcodes(image.image)
            }
            assert found == {"QRCode", "Code128"}, (batch.code, size)
            printed += 1
    # Every product prints on the largest label.
    assert printed >= len(batches)
