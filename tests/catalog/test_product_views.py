"""Product views are counted off the request path: in Redis, folded into Oscar's analytics
by a periodic task, once, with a failed fold retried and a Redis restart losing at most the
views since the last fold; without Redis they are written at once."""

import os
import uuid

import pytest
import redis
from django.test import Client
from oscar.core.loading import get_model

from catalog import product_views
from catalog.tasks import product_views_fold
from tests.factories import UserFactory

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.django_db
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis: `make test` starts one and sets REDIS_URL"
)


def views_of(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


@pytest.fixture
def counted_in_redis(settings):
    """The views of this test in the real Redis `make test` starts, under keys of its own."""
    prefix = f"test:product-views:{uuid.uuid4().hex}"
    settings.KARYA_PRODUCT_VIEWS_REDIS_URL = REDIS_URL
    settings.KARYA_PRODUCT_VIEWS_KEY_PREFIX = prefix
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_without_redis_a_view_is_written_at_once(product):
    buyer = UserFactory()
    browser = Client()
    browser.force_login(buyer)

    Client().get(product.get_absolute_url())
    browser.get(product.get_absolute_url())

    assert views_of(product) == 2
    assert UserRecord.objects.get(user=buyer).num_product_views == 1
    assert UserProductView.objects.filter(user=buyer, product=product).count() == 1


@needs_redis
def test_views_wait_in_redis_until_the_fold_adds_them_once(product, counted_in_redis):
    buyer = UserFactory()
    signed_in = Client()
    signed_in.force_login(buyer)

    for _ in range(3):
        assert Client().get(product.get_absolute_url()).status_code == 200
    signed_in.get(product.get_absolute_url())

    assert views_of(product) == 0
    assert product_views_fold.delay().get() == {"products": 1, "views": 4, "user_views": 1}
    assert views_of(product) == 4
    assert UserRecord.objects.get(user=buyer).num_product_views == 1
    view = UserProductView.objects.get(user=buyer, product=product)
    assert view.date_created is not None

    # Folding again adds nothing; new views are added to the old.
    assert product_views.product_views_fold()["views"] == 0
    Client().get(product.get_absolute_url())
    product_views.product_views_fold()
    assert views_of(product) == 5


@needs_redis
def test_a_failed_fold_keeps_its_views_for_the_next(product, counted_in_redis, monkeypatch):
    product_views.product_view_note(product_id=product.pk)
    product_views.product_view_note(product_id=product.pk)

    def database_down(*args, **kwargs):
        raise RuntimeError("database down")

    with monkeypatch.context() as patched:
        patched.setattr(product_views, "_views_write", database_down)
        with pytest.raises(RuntimeError):
            product_views.product_views_fold()
    # Counted while the batch waits aside: folded by a later fold, not lost, not doubled.
    product_views.product_view_note(product_id=product.pk)

    assert product_views.product_views_fold()["views"] == 2
    assert product_views.product_views_fold()["views"] == 1
    assert product_views.product_views_fold()["views"] == 0
    assert views_of(product) == 3


@needs_redis
def test_a_redis_restart_loses_only_the_views_since_the_last_fold(product, counted_in_redis):
    for _ in range(4):
        product_views.product_view_note(product_id=product.pk)
    product_views.product_views_fold()
    product_views.product_view_note(product_id=product.pk)

    # Redis keeps the counts in memory only: a restart empties it.
    prefix = f"{product_views._prefix()}:"
    for key in counted_in_redis.scan_iter(f"{prefix}*"):
        counted_in_redis.delete(key)
    product_views.product_views_fold()

    assert views_of(product) == 4


@needs_redis
def test_views_of_a_product_deleted_meanwhile_are_dropped(product, counted_in_redis):
    product_views.product_view_note(product_id=product.pk)
    product_views.product_view_note(product_id=product.pk + 100_000)

    assert product_views.product_views_fold()["products"] == 1
    assert views_of(product) == 1


def test_a_redis_that_does_not_answer_does_not_break_the_page(product, settings):
    settings.KARYA_PRODUCT_VIEWS_REDIS_URL = "redis://127.0.0.1:9/0"

    assert Client().get(product.get_absolute_url()).status_code == 200
    assert views_of(product) == 0
