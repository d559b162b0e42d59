"""Existing licence numbers get their dates where the number tells them.

A P-IRT number ends with the two digits of the year it expires; its expiry is recorded as
the last day of that year, so staff see it (and can correct it, or enter the issue date)
in the product form. BPOM numbers carry no date and stay without one; a renewed halal or
SNI certificate already has its own date field.
"""

import re
from datetime import date

from django.db import migrations

DIGITS = re.compile(r"\d")


def forwards(apps, schema_editor):
    Product = apps.get_model("catalogue", "Product")
    rows = Product.objects.filter(
        licence_type="pirt", licence_expires_on__isnull=True, licence_issued_on__isnull=True
    ).exclude(licence_number="")
    for product in rows.only("pk", "licence_number").iterator():
        digits = "".join(DIGITS.findall(product.licence_number))
        if len(digits) < 2:
            continue
        Product.objects.filter(pk=product.pk).update(
            licence_expires_on=date(2000 + int(digits[-2:]), 12, 31)
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0039_licence_dates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
