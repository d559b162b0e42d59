"""The POS reads a batch label's GS1 barcode as well as its plain batch code and its QR code.

static/pos/catalogue.js runs under Node: each form a scanner (or a cashier typing the
line under the bars) sends finds the same batch; text that only looks like GS1 finds none.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE_JS = Path(__file__).resolve().parents[3] / "static" / "pos" / "catalogue.js"

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")

SCRIPT = """
const { buildIndex, lookup, gs1Batch } = await import(process.argv[1]);
const index = buildIndex({ products: [
  { id: 1, title: "Roti Tawar Gandum", price: "20000", sku: "KRY-TNG-0001", upc: "",
    batches: [{ code: "TNG-ROTI-261122-01", quantity: 5 }] },
] });
const out = {};
for (const raw of JSON.parse(process.argv[2])) {
  const found = lookup(index, raw);
  out[raw] = { kind: found.kind, batch: found.batch ? found.batch.code : null, gs1: gs1Batch(raw) };
}
console.log(JSON.stringify(out));
"""

GS = "\x1d"


def scanned(*texts: str) -> dict:
    result = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT, CATALOGUE_JS.as_uri(), json.dumps(texts)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "raw",
    [
        "TNG-ROTI-261122-01",  # the plain batch code (typed, or an old Code128 label)
        "tng-roti-261122-01",
        "https://karya.example.id/trace/TNG-ROTI-261122-01/",  # the QR code
        "]C11726112610TNG-ROTI-261122-01",  # GS1-128 with its symbology prefix
        "1726112610TNG-ROTI-261122-01",  # GS1-128 from a scanner that drops the prefix
        "]d210TNG-ROTI-261122-01" + GS + "17261126",  # GS1 DataMatrix, batch first
        "(17)261126(10)TNG-ROTI-261122-01",  # the human-readable line under the bars
    ],
)
def test_every_form_of_the_label_finds_the_batch(raw):
    assert scanned(raw)[raw]["kind"] == "batch"
    assert scanned(raw)[raw]["batch"] == "TNG-ROTI-261122-01"


def test_text_that_is_not_gs1_is_not_taken_for_a_batch():
    found = scanned("KRY-TNG-0001", "roti", "1712345678901", "(17)261126", "10")

    assert found["KRY-TNG-0001"]["kind"] == "product"
    assert found["roti"]["kind"] == "search"
    assert found["1712345678901"] == {"kind": "search", "batch": None, "gs1": None}
    assert found["(17)261126"]["gs1"] is None
    assert found["10"]["gs1"] is None


def test_a_gs1_barcode_of_a_batch_not_sold_here_finds_nothing():
    found = scanned("]C11726112610TNG-ROTI-261122-99")["]C11726112610TNG-ROTI-261122-99"]

    assert found["kind"] == "search"
    assert found["gs1"] == "TNG-ROTI-261122-99"
