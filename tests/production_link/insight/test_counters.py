"""Searches and product views are logged for insight off the request path: each search
once with what it found, copies of a search page served by the page cache too; views per
product and day beside Oscar's all-time counter."""

import os
import uuid

import pytest
import redis
from django.test import Client
from django.utils import timezone

from catalog import product_views
from catalog.tasks import product_views_fold
from production_link.insight.models import ProductViewDay, SearchWeek

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.django_db
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis (REDIS_URL)")


def _searched():
    return {(r.query, r.searches, r.no_results, r.few_results) for r in SearchWeek.objects.all()}


def test_the_search_page_logs_each_search_with_what_it_found(product):
    Client().get("/search/?q=Kursi+Rotan")
    Client().get("/search/?q=kursi%20rotan")
    Client().get("/search/?q=")  # no words: a listing, not a search

    assert _searched() == {("kursi rotan", 2, 2, 0)}


def test_copies_from_the_page_cache_are_counted_too(settings, product):
    settings.KARYA_PAGE_CACHE_SECONDS = 60
    for _ in range(3):
        assert Client().get("/search/?q=kursi").status_code == 200

    assert _searched() == {("kursi", 3, 3, 0)}


def test_a_product_view_is_logged_on_its_day(product):
    Client().get(product.get_absolute_url())
    Client().get(product.get_absolute_url())

    row = ProductViewDay.objects.get(product=product)
    assert (row.day, row.views) == (timezone.localdate(), 2)


@pytest.fixture
def counted_in_redis(settings):
    prefix = f"test:insight:{uuid.uuid4().hex}"
    settings.KARYA_PRODUCT_VIEWS_REDIS_URL = REDIS_URL
    settings.KARYA_PRODUCT_VIEWS_KEY_PREFIX = prefix
    client = redis.Redis.from_url(REDIS_URL)
    product_views._client.cache_clear()
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@needs_redis
def test_with_redis_searches_and_views_wait_for_the_fold_and_are_added_once(
    product, counted_in_redis
):
    Client().get("/search/?q=batik+sutra")
    Client().get(product.get_absolute_url())
    assert not SearchWeek.objects.exists()
    assert not ProductViewDay.objects.exists()

    folded = product_views_fold.delay().get()

    assert (folded["searches"], folded["views"]) == (1, 1)
    assert _searched() == {("batik sutra", 1, 1, 0)}
    assert ProductViewDay.objects.get(product=product).views == 1
    assert product_views_fold.delay().get()["searches"] == 0
    assert _searched() == {("batik sutra", 1, 1, 0)}
