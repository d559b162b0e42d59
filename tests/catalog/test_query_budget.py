"""Issue 9's query budget for the catalogue pages (tests/query_budget.py)."""

import os
import uuid

import pytest

from tests.query_budget import SIZES, assert_budget, at_both_sizes, build_catalogue

pytestmark = pytest.mark.django_db


def catalogue_pages(catalogue):
    return {
        "listing": "/catalogue/",
        "listing in English": "/en/catalogue/",
        "category": catalogue["category"].get_absolute_url(),
        "segment": catalogue["segment"].get_absolute_url(),
        "product": catalogue["products"][0].get_absolute_url(),
    }


def test_catalogue_pages_keep_to_the_query_budget(settings):
    # As in production, product views are counted in Redis (folded by a beat task), not
    # written by the page: the test settings write them at once, two statements per view.
    if os.environ.get("REDIS_URL"):
        settings.KARYA_PRODUCT_VIEWS_REDIS_URL = os.environ["REDIS_URL"]
        settings.KARYA_PRODUCT_VIEWS_KEY_PREFIX = f"test:query-budget:{uuid.uuid4().hex}"
    results = at_both_sizes(build_catalogue(SIZES[0]), catalogue_pages)

    # For a signed-in buyer Oscar also records the view as theirs and looks up their
    # stock alert for the product: two writes and reads no anonymous visitor costs.
    assert_budget(results, signed_in_more={"product": 2})
