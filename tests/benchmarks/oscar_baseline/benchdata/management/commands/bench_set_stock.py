"""Set the stock of one product, by UPC, between benchmark rounds.

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.benchmarks.oscar_baseline.settings \
        .venv/bin/django-admin bench_set_stock UPC 500

Oscar allocates ordered units (num_allocated) rather than taking them off num_in_stock, so
"N in stock" means num_in_stock = N with nothing allocated: N units can be sold again.
"""

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class Command(BaseCommand):
    help = "Set num_in_stock of a product's stock records (by UPC) and clear allocations."

    def add_arguments(self, parser):
        parser.add_argument("upc")
        parser.add_argument("num_in_stock", type=int)

    def handle(self, *args, upc, num_in_stock, **options):
        updated = StockRecord.objects.filter(product__upc=upc).update(
            num_in_stock=num_in_stock, num_allocated=0
        )
        if not updated:
            raise CommandError(f"No stock record for UPC {upc!r}.")
        self.stdout.write(f"{upc}: {num_in_stock} in stock ({updated} stock record(s))")
