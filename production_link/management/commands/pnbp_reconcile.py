"""Compare the PNBP ledger with paid sales, refunds and deposits; exit 1 on any difference.

python manage.py pnbp_reconcile [--lapas CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from production_link.pnbp.selectors import lapas_by_code, pnbp_reconcile_differences


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}: use a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Reconcile the PNBP ledger with paid orders (online and point of sale), refunds and "
        "deposits. Prints each difference; exits with status 1 if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lapas", help="Only this Lapas: its satker code or short code.")
        parser.add_argument("--from", dest="date_from", help="First day (YYYY-MM-DD, Jakarta).")
        parser.add_argument("--to", dest="date_to", help="Last day (YYYY-MM-DD, Jakarta).")

    def handle(self, *args, lapas=None, date_from=None, date_to=None, **options):
        where = None
        if lapas:
            where = lapas_by_code(lapas)
            if where is None:
                raise CommandError(f"--lapas: no Lapas has the satker or short code {lapas!r}.")
        start = _date(date_from, "--from") if date_from else None
        end = _date(date_to, "--to") if date_to else None
        if start and end and start > end:
            raise CommandError("--from is after --to.")
        differences = pnbp_reconcile_differences(lapas=where, date_from=start, date_to=end)
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(f"{len(differences)} difference(s) between the ledger and sales.")
        self.stdout.write(
            self.style.SUCCESS("The PNBP ledger agrees with sales, refunds and deposits.")
        )
