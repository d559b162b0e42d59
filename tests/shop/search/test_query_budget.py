"""Issue 9's query budget for search results (tests/query_budget.py)."""

import pytest

from tests.query_budget import SIZES, assert_budget, at_both_sizes, build_catalogue

pytestmark = pytest.mark.django_db


def search_pages(catalogue):
    return {
        "several words": "/search/?q=roti+sobek+cokelat",
        "by price": "/search/?q=roti+sobek&sort_by=price-asc",
        "by price, highest first": "/search/?q=roti&sort_by=price-desc",
        "by name, in a segment": "/search/?q=cokelat&sort_by=title-asc&segment=rumah-tangga",
        "in English": "/en/search/?q=roti+sobek",
        # Issue 22: facets chosen (counted in the same query as the rest), a listing's
        # own search, a typo corrected (the suggestion and a second count).
        "with facets": (
            f"/search/?in_stock=1&lapas={catalogue['workshop'].lapas.code}"
            "&price=0-50000&q=roti&segment=rumah-tangga&food=0"
        ),
        "a listing's search": f"{catalogue['category'].get_absolute_url()}?q=cokelat&in_stock=1",
        "a typo": "/search/?q=cokelatt+sobek",
        "nothing found": "/search/?q=pesawat",
    }


def test_search_results_keep_to_the_query_budget():
    assert_budget(at_both_sizes(build_catalogue(SIZES[0]), search_pages))
