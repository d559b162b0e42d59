"""python manage.py seed_catalog --products N --lapas M [--seed S] [--ledger-entries K] …

A large deterministic catalogue for benchmarks; see shop/apps/core/seeding.py.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shop.apps.core.seeding import HOT_UPC, SeedError, SeedOptions, catalogue_seed


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}: use a date as YYYY-MM-DD, not {value!r}.") from error


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--ledger-month: use YYYY-MM, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Seed a large, deterministic catalogue for benchmarks: Lapas, workshops, products "
        "with label facts, images, released batches and stock, some paid orders and, "
        "optionally, PNBP ledger entries of one Lapas in one month. Runs once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="How many products.")
        parser.add_argument("--lapas", type=int, required=True, help="How many Lapas.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--ledger-entries",
            type=int,
            default=0,
            help="PNBP ledger entries (paid sales) of the first Lapas in one month.",
        )
        parser.add_argument(
            "--ledger-month",
            help="YYYY-MM of the ledger entries (default: the month before the base date).",
        )
        parser.add_argument(
            "--hot-stock",
            type=int,
            default=20000,
            help=f"Released units of the hot product {HOT_UPC} (default 20000).",
        )
        parser.add_argument(
            "--orders", type=int, help="Orders placed and paid (default: products / 100, min 3)."
        )
        parser.add_argument(
            "--base-date",
            help="YYYY-MM-DD the batches and orders are dated from (default: today in "
            "Jakarta). Pass it to repeat a run exactly.",
        )

    def handle(self, *args, **options):
        seed_options = SeedOptions(
            products=options["products"],
            lapas=options["lapas"],
            seed=options["seed"],
            ledger_entries=options["ledger_entries"],
            ledger_month=_month(options["ledger_month"]) if options["ledger_month"] else None,
            hot_stock=options["hot_stock"],
            orders=options["orders"],
            base_date=_date(options["base_date"], "--base-date") if options["base_date"] else None,
        )
        try:
            result = catalogue_seed(options=seed_options, progress=self.stdout.write)
        except SeedError as error:
            raise CommandError(str(error)) from error
        plan = result.plan
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {result.seconds:.1f} s (seed {seed_options.seed}, base date "
                f"{plan.base_date}; repeat with --base-date {plan.base_date})."
            )
        )
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name.ljust(width)}  {count:>8}")
        self.stdout.write(f"  hot product: {HOT_UPC} at {plan.lapas[0].name}")
        if plan.ledger_month:
            self.stdout.write(
                f"  ledger: {plan.lapas[0].name} ({plan.lapas[0].short_code}), "
                f"{plan.ledger_month:%Y-%m}"
            )
