"""Product views and purchases, counted off the request path.

Oscar writes each product view into its analytics tables inside the request (a counter
update, and for a signed-in buyer two more writes), and sets the recently-viewed cookie on
the response. A product page served from the page cache runs no view at all, and a rendered
one should not wait for those writes. So a view is only noted here:

- with ``KARYA_PRODUCT_VIEWS_REDIS_URL`` (by default the broker's ``REDIS_URL``, which does
  not evict), one ``HINCRBY`` on a hash of product id → views, and for a signed-in buyer one
  ``RPUSH`` of ``user:product:time`` on a list. ``product_views_fold`` (Celery beat, every
  minute) moves both aside with ``RENAME`` and adds them to Oscar's ``ProductRecord``,
  ``UserRecord`` and ``UserProductView`` in one transaction, then deletes them. Redis keeps
  them in memory only: a Redis restart loses at most the views since the last fold. A fold
  that fails leaves its batch aside, and the next fold takes it first.
- without one (the embedded demo, most tests), the same rows are written at once.

Purchases go the same way (``order_placed_note`` replaces Oscar's order_placed receiver):
once the order is committed, a ``HINCRBY`` of units per product, and for a signed-in buyer
an ``RPUSH`` of ``user:lines:items:total:time``; the fold adds them to
``ProductRecord.num_purchases`` and the buyer's ``UserRecord``. Placing an order no longer
reads its lines back and updates those rows inside its transaction.

The recently-viewed cookie is set by ``history_cookie_set`` on whatever response the
visitor gets, rendered or cached.
"""

import datetime
import json
import logging
from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_class, get_model

logger = logging.getLogger(__name__)

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
Product = get_model("catalogue", "Product")
CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")


def view_days_add(views: dict[int, int]) -> None:
    from production_link.insight.counters import view_days_add as add

    add(views)


def _prefix() -> str:
    return getattr(settings, "KARYA_PRODUCT_VIEWS_KEY_PREFIX", "karya:product-views")


def _keys() -> dict:
    prefix = _prefix()
    return {
        "views": f"{prefix}:pending",
        "views_aside": f"{prefix}:folding",
        "users": f"{prefix}:users:pending",
        "users_aside": f"{prefix}:users:folding",
        "purchases": f"{prefix}:purchases:pending",
        "purchases_aside": f"{prefix}:purchases:folding",
        "orders": f"{prefix}:orders:pending",
        "orders_aside": f"{prefix}:orders:folding",
        "lock": f"{prefix}:lock",
    }


@lru_cache(maxsize=4)
def _client(url: str):
    import redis

    # Short timeouts: a Redis that does not answer must not hold up a page.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def _redis():
    url = getattr(settings, "KARYA_PRODUCT_VIEWS_REDIS_URL", "")
    return _client(url) if url else None


# --- The request path ----------------------------------------------------------------------


def product_view_note(*, product_id: int, user_id: int | None = None) -> None:
    """Count one view of a product (by a signed-in user when ``user_id`` is given)."""
    client = _redis()
    if client is None:
        _view_write_now(product_id=product_id, user_id=user_id)
        return
    keys = _keys()
    try:
        pipe = client.pipeline(transaction=False)
        pipe.hincrby(keys["views"], product_id, 1)
        if user_id:
            pipe.rpush(keys["users"], f"{user_id}:{product_id}:{int(timezone.now().timestamp())}")
        pipe.execute()
    except Exception:  # noqa: BLE001 - a view not counted must never break the page
        logger.warning("product view of %s not counted: Redis unavailable", product_id)


def history_cookie_set(request, response, product_id: int) -> None:
    """Put the product first in the visitor's recently-viewed cookie (Oscar's format)."""
    ids = CustomerHistoryManager.extract(request, response)
    ids = CustomerHistoryManager.add(ids, product_id)
    response.set_cookie(
        CustomerHistoryManager.cookie_name, json.dumps(ids), **CustomerHistoryManager.cookie_kwargs
    )


def product_viewed(request, response, product_id: int) -> None:
    """What a product page does for each visitor it is shown to, rendered or cached."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    product_view_note(product_id=product_id, user_id=user_id)
    history_cookie_set(request, response, product_id)


def purchases_note(*, products: dict[int, int], user_order: tuple | None = None) -> None:
    """Count units bought per product, and for a signed-in buyer one order
    (user id, lines, items, total, time): Oscar's analytics, off the checkout's path as
    views are. Written at once without a Redis, or when it does not answer."""
    client = _redis()
    if client is not None:
        keys = _keys()
        try:
            pipe = client.pipeline(transaction=False)
            for product_id, units in products.items():
                pipe.hincrby(keys["purchases"], product_id, units)
            if user_order is not None:
                user_id, lines, items, total, at = user_order
                pipe.rpush(
                    keys["orders"], f"{user_id}:{lines}:{items}:{total}:{int(at.timestamp())}"
                )
            pipe.execute()
            return
        except Exception:  # noqa: BLE001 - then the rows are written now instead
            logger.warning("purchases not queued in Redis: written at once")
    _purchases_write(products, [user_order] if user_order is not None else [])


def order_placed_note(sender, order, user=None, **kwargs) -> None:
    """Oscar's order_placed receiver for its analytics, replaced: the placement hands its
    lines over (``placed_lines``), and the counts are noted once the order is committed."""
    if kwargs.get("raw", False):
        return
    lines = getattr(order, "placed_lines", None)
    if lines is None:
        lines = list(order.lines.all())
    products = Counter()
    for line in lines:
        if line.product_id:
            products[line.product_id] += line.quantity
    user_order = None
    if user is not None and getattr(user, "is_authenticated", False):
        items = sum(line.quantity for line in lines)
        user_order = (user.pk, len(lines), items, order.total_incl_tax, order.date_placed)
    transaction.on_commit(lambda: purchases_note(products=dict(products), user_order=user_order))


def analytics_receivers_connect() -> None:
    """Put order_placed_note in place of Oscar's analytics receiver (from
    CatalogueConfig.ready)."""
    from oscar.apps.analytics import receivers
    from oscar.apps.order.signals import order_placed

    order_placed.disconnect(receivers.receive_order_placed)
    order_placed.connect(order_placed_note, dispatch_uid="karya-order-placed-analytics")


def _counter_add(model, field: str, **match) -> None:
    # As Oscar's analytics do: one UPDATE, and an INSERT the first time only.
    if not model.objects.filter(**match).update(**{field: F(field) + 1}):
        model.objects.bulk_create([model(**match, **{field: 1})], ignore_conflicts=True)


def _view_write_now(*, product_id: int, user_id: int | None) -> None:
    _counter_add(ProductRecord, "num_views", product_id=product_id)
    # Insight's views per day (production_link.insight): when, not only how many.
    view_days_add({product_id: 1})
    if user_id:
        _counter_add(UserRecord, "num_product_views", user_id=user_id)
        UserProductView.objects.create(product_id=product_id, user_id=user_id)


# --- The fold (Celery beat) ----------------------------------------------------------------


def _product_counts_add(counts: dict[int, int], field: str) -> dict[int, int]:
    """Add ``counts`` (product id → number) to a ProductRecord counter: a row made where
    missing, one update per distinct number. Products deleted meanwhile are dropped; the
    counts added are returned."""
    if not counts:
        return {}
    known = set(Product.objects.filter(pk__in=counts).values_list("pk", flat=True))
    counts = {pk: n for pk, n in counts.items() if pk in known}
    ProductRecord.objects.bulk_create(
        [ProductRecord(product_id=pk) for pk in counts], ignore_conflicts=True
    )
    by_count = defaultdict(list)
    for pk, count in counts.items():
        by_count[count].append(pk)
    for count, pks in by_count.items():
        ProductRecord.objects.filter(product_id__in=pks).update(**{field: F(field) + count})
    return counts


@transaction.atomic
def _views_write(
    views: dict[int, int], user_views: list[tuple[int, int, datetime.datetime]]
) -> dict:
    """Add counted views to Oscar's analytics: per product, per user, one row per user view.
    Views of products or users deleted meanwhile are dropped."""
    views = _product_counts_add(views, "num_views")
    # The same views on today's row of insight's views per day (a fold runs every minute).
    view_days_add(views)
    if user_views:
        from django.contrib.auth import get_user_model

        user_ids = {user_id for user_id, _pk, _at in user_views}
        product_ids = {pk for _user, pk, _at in user_views}
        users = set(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
        products = set(Product.objects.filter(pk__in=product_ids).values_list("pk", flat=True))
        user_views = [v for v in user_views if v[0] in users and v[1] in products]
        per_user = Counter(user_id for user_id, _pk, _at in user_views)
        UserRecord.objects.bulk_create(
            [UserRecord(user_id=pk) for pk in per_user], ignore_conflicts=True
        )
        by_count = defaultdict(list)
        for user_id, count in per_user.items():
            by_count[count].append(user_id)
        for count, pks in by_count.items():
            UserRecord.objects.filter(user_id__in=pks).update(
                num_product_views=F("num_product_views") + count
            )
        rows = UserProductView.objects.bulk_create(
            [UserProductView(user_id=u, product_id=p) for u, p, _at in user_views]
        )
        # date_created is set on insert; keep the time of the view itself.
        for row, (_u, _p, at) in zip(rows, user_views, strict=True):
            row.date_created = at
        UserProductView.objects.bulk_update(rows, ["date_created"], batch_size=500)
    return {
        "products": len(views),
        "views": sum(views.values()),
        "user_views": len(user_views),
    }


@transaction.atomic
def _purchases_write(products: dict[int, int], user_orders: list[tuple]) -> dict:
    """Add units bought to ProductRecord.num_purchases and signed-in buyers' orders to
    their UserRecord, as Oscar's receiver did; products or users deleted meanwhile are
    dropped."""
    products = _product_counts_add(products, "num_purchases")
    if user_orders:
        from django.contrib.auth import get_user_model

        users = set(
            get_user_model()
            .objects.filter(pk__in={o[0] for o in user_orders})
            .values_list("pk", flat=True)
        )
        totals: dict[int, list] = {}
        for user_id, lines, items, total, at in user_orders:
            if user_id not in users:
                continue
            row = totals.setdefault(user_id, [0, 0, 0, 0, at])
            row[0] += 1
            row[1] += lines
            row[2] += items
            row[3] += total
            row[4] = max(row[4], at)
        UserRecord.objects.bulk_create(
            [UserRecord(user_id=pk) for pk in totals], ignore_conflicts=True
        )
        for user_id, (orders, lines, items, total, at) in totals.items():
            UserRecord.objects.filter(user_id=user_id).update(
                num_orders=F("num_orders") + orders,
                num_order_lines=F("num_order_lines") + lines,
                num_order_items=F("num_order_items") + items,
                total_spent=F("total_spent") + total,
                date_last_order=at,
            )
        user_orders = [o for o in user_orders if o[0] in users]
    return {"purchases": sum(products.values()), "orders": len(user_orders)}


def _parse_user_orders(raw: list[bytes]) -> list[tuple]:
    found = []
    for item in raw:
        try:
            user_id, lines, items, total, stamp = item.decode().split(":")
            found.append(
                (
                    int(user_id),
                    int(lines),
                    int(items),
                    Decimal(total),
                    datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC),
                )
            )
        except (ValueError, ArithmeticError):
            continue
    return found


def _parse_user_views(raw: list[bytes]) -> list[tuple[int, int, datetime.datetime]]:
    found = []
    for item in raw:
        try:
            user_id, product_id, stamp = (int(part) for part in item.decode().split(":"))
        except ValueError:
            continue
        found.append((user_id, product_id, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)))
    return found


def product_views_fold() -> dict:
    """Add the views counted in Redis since the last fold to Oscar's analytics.

    Returns {"products": how many products got views, "views": views added,
    "user_views": signed-in views added, "purchases": units bought added, "orders":
    signed-in buyers' orders added}; all zero without a Redis or when another fold is
    running."""
    result = {"products": 0, "views": 0, "user_views": 0, "purchases": 0, "orders": 0}
    client = _redis()
    if client is None:
        return result
    keys = _keys()
    # One fold at a time; the lock expires by itself if a worker dies holding it.
    if not client.set(keys["lock"], "1", nx=True, ex=300):
        return result
    try:
        # A batch left aside by a fold that failed is folded first, on its own: renaming the
        # pending views onto it would overwrite it.
        pairs = ("views", "users", "purchases", "orders")
        for pending in pairs:
            aside = f"{pending}_aside"
            if not client.exists(keys[aside]) and client.exists(keys[pending]):
                client.rename(keys[pending], keys[aside])
        views = {int(pk): int(n) for pk, n in client.hgetall(keys["views_aside"]).items()}
        user_views = _parse_user_views(client.lrange(keys["users_aside"], 0, -1))
        bought = {int(pk): int(n) for pk, n in client.hgetall(keys["purchases_aside"]).items()}
        user_orders = _parse_user_orders(client.lrange(keys["orders_aside"], 0, -1))
        with transaction.atomic():
            result = {**_views_write(views, user_views), **_purchases_write(bought, user_orders)}
        # Only after the commit: a failure above leaves the batch for the next fold.
        client.delete(*(keys[f"{pending}_aside"] for pending in pairs))
    finally:
        client.delete(keys["lock"])
    return result
