"""Benchmark: the Kalapas of the busiest Lapas, and a central admin over every Lapas, open
the demand-insight pages over a year of data (issue 19, item 7).

    python -m tests.benchmarks.insight --base-url http://127.0.0.1:8000 --repeat 3

Budget: every insight page in under 1 s, with a query count that does not grow with the
data. ``seed_catalog`` provides the products, batches and sales (with
``--ledger-entries 100000``, a hundred thousand paid sales of one Lapas in one month of the
year); this driver adds the year of product views (per product and day) and searches (per
phrase and week) the shop would have logged, once per database, with COPY, then fills the
daily sales roll-up as the beat task insight.sales_days_refresh does in a running shop
(its time is reported apart: it is not a page's). Prints one JSON line: per page, the
median and slowest of ``--repeat`` fetches after a warm-up, and its queries.

From run.py: ``results["insight"] = insight.scenario(karya)`` (after the PNBP report).
"""

import argparse
import datetime
import random
import statistics
import sys

from .client import BenchError, Client, django_setup, emit, expect

PASSWORD = "karya-bench-2026"
BUDGET_S = 1.0
PAGES = (
    ("index", "/dashboard/insight/"),
    ("demand", "/dashboard/insight/demand/"),
    ("products", "/dashboard/insight/products/"),
    ("buyers", "/dashboard/insight/buyers/"),
    ("csv", "/dashboard/insight/csv/funnel/"),
)


def scenario(karya, repeat: int = 3) -> dict:
    """The one call run.py makes (``karya`` is run.py's Project of the Karya shop)."""
    return karya.module(
        "tests.benchmarks.insight", "--base-url", karya.base_url, "--repeat", str(repeat)
    )


def seed_year(seed: int = 1) -> dict:
    """A year of views and searches over the seeded catalogue (skipped if already there)."""
    from django.db import connection
    from django.utils import timezone
    from oscar.core.loading import get_model

    from production_link.insight.models import ProductViewDay, SearchWeek

    if ProductViewDay.objects.exists():
        return {
            "view_days": ProductViewDay.objects.count(),
            "search_weeks": SearchWeek.objects.count(),
        }
    rng = random.Random(seed)
    today = timezone.localdate()
    products = list(
        get_model("catalogue", "Product")
        .objects.filter(workshop__isnull=False)
        .values_list("pk", "title")
    )
    view_rows = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy("COPY insight_productviewday (product_id, day, views) FROM STDIN") as copy:
            for pk, _title in products:
                for offset in rng.sample(range(365), rng.randint(5, 40)):
                    copy.write_row(
                        (pk, today - datetime.timedelta(days=offset), rng.randint(1, 30))
                    )
                    view_rows += 1
        words = sorted({w.lower() for _pk, title in products for w in title.split() if len(w) > 3})
        phrases = [*rng.sample(words, min(300, len(words)))]
        phrases += [f"{w} custom" for w in rng.sample(words, min(100, len(words)))]
        monday = today - datetime.timedelta(days=today.weekday())
        search_rows = 0
        with raw.copy(
            "COPY insight_searchweek (week, query, searches, no_results, few_results) FROM STDIN"
        ) as copy:
            for week in range(52):
                for phrase in phrases:
                    searches = rng.randint(1, 40)
                    unmet = searches if phrase.endswith("custom") else rng.randint(0, 2)
                    copy.write_row(
                        (monday - datetime.timedelta(weeks=week), phrase, searches, unmet, 0)
                    )
                    search_rows += 1
        cursor.execute("ANALYZE insight_productviewday")
        cursor.execute("ANALYZE insight_searchweek")
    return {"view_days": view_rows, "search_weeks": search_rows}


def rollup_fill() -> dict:
    """The daily sales roll-up, filled by the beat task in a running shop (here at once:
    the seeded year was written in bulk, without a beat)."""
    import time

    from django.db import connection

    from production_link.insight import rollup

    started = time.perf_counter()
    result = rollup.sales_days_refresh()
    with connection.cursor() as cursor:
        for table in ("productsalesday", "ordersalesday", "buyerday"):
            cursor.execute(f"ANALYZE insight_{table}")
    return {
        "days": result["days"],
        "rows": result["rows"],
        "seconds": round(time.perf_counter() - started, 1),
    }


def busiest_lapas() -> tuple[int, int]:
    """(Lapas id, its paid orders) of the Lapas with the most orders."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    row = (
        get_model("order", "Order")
        .objects.exclude(lapas=None)
        .values("lapas_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "lapas_id")
        .first()
    )
    if row is None:
        raise BenchError("no order: seed the catalogue with sales (seed_catalog)")
    return row["lapas_id"], row["n"]


def user_of(username: str, *, lapas_id: int | None = None, role: str = "") -> str:
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from shop.apps.core.services import user_assign_role

    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@bench.karya.localhost"}
    )
    user.set_password(PASSWORD)
    user.is_active = True
    if not role:
        user.is_staff = user.is_superuser = True
    user.save()
    if role:
        lapas = get_model("partner", "Partner").objects.get(pk=lapas_id)
        user_assign_role(user=user, role_code=role, lapas=lapas)
    return user.email


def timed(client: Client, path: str, repeat: int) -> dict:
    expect(client.get(path))  # warm-up: connections, caches, imports
    answers = [expect(client.get(path)) for _ in range(repeat)]
    seconds = [a.seconds for a in answers]
    return {
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "queries": answers[-1].queries,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    django_setup()
    data = seed_year()
    data["rollup"] = rollup_fill()
    lapas_id, orders = busiest_lapas()
    visitors = {
        "kalapas": (user_of(f"bench.kalapas.{lapas_id}", lapas_id=lapas_id, role="kalapas"), ""),
        "central": (user_of("bench.pusat.insight"), "?lapas=all"),
    }
    pages = {}
    for who, (email, query) in visitors.items():
        client = Client(args.base_url)
        client.login(email=email, password=PASSWORD)
        for name, path in PAGES:
            pages[f"{who} {name}"] = timed(client, path + query, args.repeat)
    slowest = max(page["max_s"] for page in pages.values())
    emit(
        {
            **data,
            "lapas_id": lapas_id,
            "lapas_orders": orders,
            "budget_s": BUDGET_S,
            "slowest_s": slowest,
            "within_budget": slowest < BUDGET_S,
            "pages": pages,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
