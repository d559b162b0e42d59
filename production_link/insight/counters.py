"""The write path of insight's two logs, kept off the request as product views are
(catalog.product_views): a search is one ``HINCRBY`` on a Redis hash, folded into
``SearchWeek`` by the same beat task that folds product views (catalog.tasks
.product_views_fold), which also adds each fold's views to today's ``ProductViewDay``.
Without a Redis (the embedded demo, most tests) the rows are written at once.
"""

import datetime
import logging
import re
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# A search that found this many products or fewer "found little": the buyer had almost
# nothing to choose from.
FEW_RESULTS = 3
QUERY_MAX = 100
_SPACES = re.compile(r"\s+")


def _keys() -> dict:
    prefix = getattr(settings, "KARYA_PRODUCT_VIEWS_KEY_PREFIX", "karya:product-views")
    return {
        "pending": f"{prefix}:searches:pending",
        "aside": f"{prefix}:searches:folding",
        "lock": f"{prefix}:searches:lock",
    }


def _redis():
    from catalog.product_views import _client

    url = getattr(settings, "KARYA_PRODUCT_VIEWS_REDIS_URL", "")
    return _client(url) if url else None


def query_normalise(query: str) -> str:
    return _SPACES.sub(" ", (query or "").strip().lower())[:QUERY_MAX].strip()


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _bucket(result_count: int | None) -> str:
    if result_count is None:
        return "some"
    if result_count <= 0:
        return "none"
    return "few" if result_count <= FEW_RESULTS else "some"


# --- Searches ------------------------------------------------------------------------------


def search_note(*, query: str, result_count: int | None) -> None:
    """Count one search of the shop (empty searches, a bare listing, are not searches)."""
    words = query_normalise(query)
    if not words:
        return
    field = f"{week_of(timezone.localdate()).isoformat()}\t{_bucket(result_count)}\t{words}"
    client = _redis()
    if client is not None:
        try:
            client.hincrby(_keys()["pending"], field, 1)
            return
        except Exception:  # noqa: BLE001 - then written at once instead
            logger.warning("search not counted in Redis: written at once")
    searches_add(Counter({field: 1}))


def searches_add(counts: Counter) -> int:
    """Add counted searches (``week\\tbucket\\tquery`` → number) to ``SearchWeek``; one
    upsert per 500 phrases. Returns how many searches were added."""
    rows: dict[tuple[str, str], list[int]] = {}
    for field, number in counts.items():
        try:
            week, bucket, words = field.split("\t", 2)
            datetime.date.fromisoformat(week)
        except ValueError:
            continue
        words = query_normalise(words)
        if not words:
            continue
        row = rows.setdefault((week, words), [0, 0, 0])
        row[0] += number
        row[1] += number if bucket == "none" else 0
        row[2] += number if bucket == "few" else 0
    items = list(rows.items())
    sql = (
        "INSERT INTO insight_searchweek (week, query, searches, no_results, few_results) "
        "VALUES {values} ON CONFLICT (week, query) DO UPDATE SET "
        "searches = insight_searchweek.searches + EXCLUDED.searches, "
        "no_results = insight_searchweek.no_results + EXCLUDED.no_results, "
        "few_results = insight_searchweek.few_results + EXCLUDED.few_results"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            params = []
            for (week, words), (searches, none, few) in chunk:
                params += [week, words, searches, none, few]
            cursor.execute(
                sql.format(values=", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))), params
            )
    return sum(row[0] for row in rows.values())


def searches_fold() -> int:
    """Move the searches counted in Redis into ``SearchWeek`` (as product_views_fold does
    with views: the hash is renamed aside, written, then deleted; a failed fold leaves it
    for the next). Returns how many searches were added."""
    client = _redis()
    if client is None:
        return 0
    keys = _keys()
    if not client.set(keys["lock"], "1", nx=True, ex=300):
        return 0
    try:
        if not client.exists(keys["aside"]) and client.exists(keys["pending"]):
            client.rename(keys["pending"], keys["aside"])
        raw = client.hgetall(keys["aside"])
        counts = Counter({k.decode(): int(v) for k, v in raw.items()})
        added = searches_add(counts) if counts else 0
        client.delete(keys["aside"])
    finally:
        client.delete(keys["lock"])
    return added


# --- Product views per day -------------------------------------------------------------------


def view_days_add(views: dict[int, int], *, day: datetime.date | None = None) -> int:
    """Add views (product id → views) to the product's row of ``day`` (today). Called by
    catalog.product_views where it adds the same views to Oscar's all-time counter, for
    products it has checked exist, in its transaction."""
    if not views:
        return 0
    day = day or timezone.localdate()
    items = sorted(views.items())
    sql = (
        "INSERT INTO insight_productviewday (product_id, day, views) VALUES {values} "
        "ON CONFLICT (product_id, day) DO UPDATE SET "
        "views = insight_productviewday.views + EXCLUDED.views"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            params = []
            for product_id, number in chunk:
                params += [product_id, day, number]
            cursor.execute(sql.format(values=", ".join(["(%s, %s, %s)"] * len(chunk))), params)
    return sum(views.values())
