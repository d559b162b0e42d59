"""Product views and purchases are counted off the request path: in Redis, folded into
Oscar's analytics by a periodic task, once, with a failed fold retried and a Redis restart
losing at most the views since the last fold; without Redis they are written at once."""

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
    assert product_views_fold.delay().get() == {
        "products": 1,
        "views": 4,
        "user_views": 1,
        "purchases": 0,
        "orders": 0,
        "searches": 0,
    }
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


# --- Purchases ----------------------------------------------------------------------------


def _placed(product, *, user=None, quantity=2, django_capture_on_commit_callbacks=None):
    from oscar.test.factories import create_basket

    from tests.factories import place_order

    basket = create_basket(empty=True)
    if user is not None:
        basket.owner = user
    basket.add_product(product, quantity=quantity)
    with django_capture_on_commit_callbacks(execute=True):
        return place_order(basket=basket, user=user)


def purchases_of(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_purchases if record else 0


def test_without_redis_a_purchase_is_counted_once_the_order_is_committed(
    product, django_capture_on_commit_callbacks
):
    from oscar.test.factories import create_basket

    from tests.factories import place_order

    buyer = UserFactory()
    basket = create_basket(empty=True)
    basket.owner = buyer
    basket.add_product(product, quantity=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = place_order(basket=basket, user=buyer)
    # Nothing is counted inside the placement's transaction.
    assert purchases_of(product) == 0
    for callback in callbacks:
        callback()

    assert purchases_of(product) == 2
    record = UserRecord.objects.get(user=buyer)
    assert (record.num_orders, record.num_order_lines, record.num_order_items) == (1, 1, 2)
    assert record.total_spent == order.total_incl_tax


@needs_redis
def test_purchases_wait_in_redis_until_the_fold_adds_them_once(
    product, counted_in_redis, django_capture_on_commit_callbacks
):
    buyer = UserFactory()
    order = _placed(
        product,
        user=buyer,
        quantity=3,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    _placed(product, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    assert purchases_of(product) == 0
    folded = product_views.product_views_fold()
    assert (folded["purchases"], folded["orders"]) == (5, 1)
    assert purchases_of(product) == 5
    record = UserRecord.objects.get(user=buyer)
    assert (record.num_orders, record.num_order_items, record.total_spent) == (
        1,
        3,
        order.total_incl_tax,
    )
    assert record.date_last_order is not None
    # Folding again adds nothing.
    assert product_views.product_views_fold()["purchases"] == 0
    assert purchases_of(product) == 5


def test_a_redis_that_does_not_answer_writes_the_purchase_at_once(
    product, settings, django_capture_on_commit_callbacks
):
    settings.KARYA_PRODUCT_VIEWS_REDIS_URL = "redis://127.0.0.1:9/0"

    _placed(product, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)

    assert purchases_of(product) == 2
