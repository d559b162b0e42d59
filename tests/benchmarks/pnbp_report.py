"""Benchmark: the treasurer of a busy Lapas opens the monthly PNBP report.

    python -m tests.benchmarks.pnbp_report --base-url http://127.0.0.1:8000 --repeat 5

Budget (issue 9): the monthly PNBP report over 100,000 ledger entries in at most 2 s.

The Lapas and month holding the most ledger entries are found in this process (with the
server's settings and database); a treasurer of that Lapas is made through the roles
service. Over HTTP the treasurer logs in and fetches the report page of the dashboard
(the figures, the treasurer's way) and the same report from the API, each once to warm
up and then ``--repeat`` times. Prints one JSON line: the page's timings at the top
level, the API's under "api".
"""

import argparse
import statistics
import sys
import urllib.parse

from .client import BenchError, Client, django_setup, emit, expect

PASSWORD = "karya-bench-2026"
PAGE_PATH = "/dashboard/pnbp-reports/report/"
API_PATH = "/api/v1/pnbp/reports/monthly"


def busiest_month() -> tuple[int, str, int]:
    """(Lapas id, period key "YYYY-MM", entries) of the Lapas-month with most entries."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from production_link.models import LedgerEntry

    row = (
        LedgerEntry.objects.annotate(
            month=TruncMonth("due_at", tzinfo=timezone.get_current_timezone())
        )
        .values("lapas_id", "month")
        .annotate(entries=Count("pk"))
        .order_by("-entries", "lapas_id", "month")
        .first()
    )
    if row is None:
        raise BenchError("the ledger is empty; seed it (seed_catalog --ledger-entries)")
    # The month comes back as an aware datetime in UTC: its local date names the month.
    month = timezone.localtime(row["month"])
    return row["lapas_id"], f"{month:%Y-%m}", row["entries"]


def treasurer_of(lapas_id: int) -> str:
    """A treasurer of the Lapas with the benchmark's password; returns the login e-mail."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from shop.apps.core.services import user_assign_role

    lapas = get_model("partner", "Partner").objects.get(pk=lapas_id)
    username = f"bench.bendahara.{lapas.pk}"
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@bench.karya.localhost"}
    )
    user.set_password(PASSWORD)
    user.is_active = True
    user.save()
    user_assign_role(user=user, role_code="treasurer", lapas=lapas)
    return user.email


def timed(client: Client, url: str, repeat: int) -> dict:
    expect(client.get(url))  # warm-up: connections, caches, imports
    answers = [expect(client.get(url)) for _ in range(repeat)]
    seconds = [a.seconds for a in answers]
    return {
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "queries": answers[-1].queries,
        "url": url,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    django_setup()
    lapas_id, period, entries = busiest_month()
    email = treasurer_of(lapas_id)

    client = Client(args.base_url)
    client.login(email=email, password=PASSWORD)
    query = {"kind": "monthly", "period": period, "lapas": lapas_id}
    page = timed(client, f"{PAGE_PATH}?{urllib.parse.urlencode(query)}", args.repeat)
    api_query = urllib.parse.urlencode({"lapas": lapas_id, "period": period})
    api = timed(client, f"{API_PATH}?{api_query}", args.repeat)
    report = expect(client.get(api["url"])).json()
    counted = report["figures"]["summary"]["entries"]
    # An approved report shows its frozen figures; the live ones are still computed (and
    # timed) to tell whether the ledger changed since.
    if counted != entries and not (report["approved"] and report["live_differs"]):
        raise BenchError(f"the report counts {counted} of {entries} entries")
    emit({"entries": entries, "period": period, "lapas_id": lapas_id, **page, "api": api})
    return 0


if __name__ == "__main__":
    sys.exit(main())
