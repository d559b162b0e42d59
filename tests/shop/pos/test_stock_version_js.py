"""The device counts a sale against its catalogue only when the catalogue does not count it
yet (issue 18, part 6): decided by the server's stock versions, not clock times.

static/pos/catalogue.js runs under Node. The bug this replaces: right after a unit sold,
the catalogue made in the same second as the sync answer still had the sale subtracted a
second time, and the device refused the batch's last unit ("stok tidak cukup").
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE_JS = Path(__file__).resolve().parents[3] / "static" / "pos" / "catalogue.js"

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")

SCRIPT = """
const { buildIndex, uncountedLines, unitsLeft } = await import(process.argv[1]);
const input = JSON.parse(process.argv[2]);
const index = buildIndex(input.catalogue);
const sold = uncountedLines(index, input.queued, input.done, input.catalogueTime);
const product = index.products.get(1);
console.log(JSON.stringify({
  sold: sold.map((l) => l.quantity),
  left: unitsLeft(product, "TNG-ROTI-01", sold, []),
}));
"""

SECOND = 1_700_000_000_000  # a catalogue made at this whole second (ms)


def catalogue(quantity, stock_version):
    product = {
        "id": 1,
        "title": "Roti Tawar",
        "price": "20000",
        "sku": "",
        "upc": "",
        "batches": [{"code": "TNG-ROTI-01", "quantity": quantity}],
    }
    if stock_version is not None:
        product["stock_version"] = stock_version
    return {"products": [product]}


def record(line_id, settled_at, status="recorded", quantity=1):
    return {
        "uuid": f"sale-{line_id}",
        "payload": {
            "lines": [{"product_id": 1, "batch_code": "TNG-ROTI-01", "quantity": quantity}]
        },
        "result": {"status": status, "lines": [{"line_id": line_id, "product_id": 1}]},
        "settledAt": settled_at,
    }


def run(*, catalogue, queued=(), done=(), catalogue_time=SECOND + 700):
    data = {
        "catalogue": catalogue,
        "queued": list(queued),
        "done": list(done),
        "catalogueTime": catalogue_time,
    }
    result = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT, CATALOGUE_JS.as_uri(), json.dumps(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_sale_the_catalogue_counts_is_not_taken_twice_so_the_last_unit_sells():
    # Two of three units sold; the catalogue fetched after the second sale has 1 left and
    # its stock version is the second sale's line. Same second as the answer: no matter.
    done = [record(41, SECOND), record(57, SECOND)]

    found = run(catalogue=catalogue(1, 57), done=done)

    assert found == {"sold": [], "left": 1}


def test_a_sale_newer_than_the_catalogue_counts_against_it():
    done = [record(41, SECOND - 5000), record(57, SECOND + 9000)]

    found = run(catalogue=catalogue(2, 41), done=done)

    assert found == {"sold": [1], "left": 1}


def test_queued_sales_always_count_and_conflicts_never_do():
    queued = [{"payload": record(0, 0)["payload"]}]
    done = [record(60, SECOND + 9000, status="conflict")]

    found = run(catalogue=catalogue(1, 57), queued=queued, done=done)

    assert found == {"sold": [1], "left": 0}


def test_a_catalogue_without_stock_versions_falls_back_to_the_answers_time():
    done = [record(41, SECOND - 5000), record(57, SECOND + 9000)]

    found = run(catalogue=catalogue(3, None), done=done)

    assert found == {"sold": [1], "left": 2}
