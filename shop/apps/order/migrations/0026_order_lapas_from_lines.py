"""Fill Order.lapas for the orders placed before orders were split by Lapas.

An order whose lines all belong to one Lapas gets that Lapas. An order holding the goods
of several Lapas (possible before the split) is kept as it is, with ``lapas`` left empty:
no Lapas's staff see it (their order lists are scoped by ``Order.lapas``), a central admin
still does, and a system note on the order says why (README, "One order per Lapas").
"""

from django.db import migrations
from django.utils import timezone

FILL_SINGLE_LAPAS = """
UPDATE order_order AS o
   SET lapas_id = one.partner_id
  FROM (
        SELECT order_id, MIN(partner_id) AS partner_id
          FROM order_line
         GROUP BY order_id
        HAVING COUNT(DISTINCT partner_id) = 1 AND COUNT(partner_id) = COUNT(*)
       ) AS one
 WHERE o.id = one.order_id AND o.lapas_id IS NULL
"""

MULTI_LAPAS_NOTE = (
    "This order was placed before orders were split by Lapas and holds the goods of "
    "several Lapas, so it belongs to no single Lapas: only a central admin sees it."
)


def flag_multi_lapas(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    OrderNote = apps.get_model("order", "OrderNote")
    now = timezone.now()
    multi = Order.objects.filter(lapas__isnull=True, lines__isnull=False).distinct()
    OrderNote.objects.bulk_create(
        OrderNote(
            order_id=pk,
            note_type="System",
            message=MULTI_LAPAS_NOTE,
            date_created=now,
            date_updated=now,
        )
        for pk in multi.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0025_checkout_order_lapas"),
    ]

    operations = [
        migrations.RunSQL(FILL_SINGLE_LAPAS, migrations.RunSQL.noop),
        migrations.RunPython(flag_multi_lapas, migrations.RunPython.noop),
    ]
