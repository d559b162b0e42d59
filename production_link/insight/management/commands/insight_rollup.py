"""Fill the insight pages' daily sales roll-up: the backfill after deploying it, or a day
range again after a change that writes no order status change."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from production_link.insight import rollup


class Command(BaseCommand):
    help = (
        "Roll up the paid orders of every whole day not rolled up yet (and the days touched "
        "since the last run) for the insight pages; --from DAY rolls up again from that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", help="first day to roll up again (YYYY-MM-DD)")

    def handle(self, *args, since=None, **options):
        day = None
        if since:
            try:
                day = datetime.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"--from takes a date as YYYY-MM-DD, not {since!r}.") from error
        result = rollup.sales_days_refresh(since=day)
        self.stdout.write(
            f"{result['days']} days rolled up ({result['rows']} rows), "
            f"filled until {result['filled_until']:%Y-%m-%d}."
        )
