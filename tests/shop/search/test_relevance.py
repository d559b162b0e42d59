"""How well search finds, measured on the demo catalogue (issue 22).

tests/shop/search/relevance.csv lists queries a buyer types, in Indonesian and English,
with typos and unfinished words, and the products the buyer expects among the first
five. Two scores over the set: the mean reciprocal rank of the first expected product,
and hit@5, the share of queries whose expected products are all in the first five.
Each backend must stay above its floor; a failure lists the queries that missed.
"""

import csv
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from catalog import selectors

CASES = list(csv.DictReader(Path(__file__).with_name("relevance.csv").open(encoding="utf-8")))
FLOORS = {
    # backend: (mean reciprocal rank, hit@5)
    "postgres": (0.95, 0.95),
    # icontains has no stems and no ranking beyond the title: a lower floor, still high.
    "simple": (0.9, 0.9),
}

pytestmark = pytest.mark.django_db


def first_five(query: str, language: str) -> list[str]:
    with translation.override(language):
        result = selectors.product_search(query=query)
        return [p.upc for p in result.products[:5]]


def measure() -> tuple[float, float, list[str]]:
    reciprocal, hits, misses = [], [], []
    for case in CASES:
        expected = case["expected_in_top_5"].split()
        found = first_five(case["query"], case["language"])
        ranks = [found.index(upc) + 1 for upc in expected if upc in found]
        reciprocal.append(1 / min(ranks) if ranks else 0.0)
        hit = len(ranks) == len(expected)
        hits.append(1.0 if hit else 0.0)
        if not hit or min(ranks) > 1:
            misses.append(f"{case['language']} {case['query']!r}: expected {expected}, got {found}")
    return sum(reciprocal) / len(CASES), sum(hits) / len(CASES), misses


def test_the_relevance_set_covers_the_issues_queries():
    queries = {(c["language"], c["query"]) for c in CASES}
    for query in ("roti", "batik tulis", "kopi robusta", "meja kantor", "batk"):
        assert ("id", query) in queries
    assert ("en", "bread") in queries and ("en", "coffee") in queries


@pytest.mark.parametrize("backend", ["postgres", "simple"])
def test_search_finds_what_buyers_expect(demo_shop, settings, backend):
    if backend == "postgres" and connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    settings.KARYA_SEARCH_BACKEND = backend

    mrr, hit5, misses = measure()

    print(f"\nsearch relevance ({backend}): MRR {mrr:.3f}, hit@5 {hit5:.3f}")
    floor_mrr, floor_hit5 = FLOORS[backend]
    assert mrr >= floor_mrr and hit5 >= floor_hit5, "\n".join(
        [f"MRR {mrr:.3f} (floor {floor_mrr}), hit@5 {hit5:.3f} (floor {floor_hit5})", *misses]
    )
