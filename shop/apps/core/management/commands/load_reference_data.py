from django.core.management.base import BaseCommand

from shop.apps.core.reference import reference_counts, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference data a real install needs, from data/reference/*.yaml: the "
        "work-activity standard's classification, product kinds, buyer segments, revenue "
        "accounts, shipping zones and the public holidays of 2026 and 2027 (to be confirmed "
        "by an admin). Adds what is missing, changes nothing that exists, creates no users."
    )

    def handle(self, *args, **options):
        created = reference_data_load()
        totals = reference_counts()
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
        width = max(len(name) for name in totals)
        for name, total in totals.items():
            self.stdout.write(f"  {name.ljust(width)}  {total:>5}  (+{created.get(name, 0)})")
        self.stdout.write(
            "Public holidays are loaded as 'to be confirmed': check them against this year's "
            "joint ministerial decree (SKB) in the admin and tick them confirmed."
        )
