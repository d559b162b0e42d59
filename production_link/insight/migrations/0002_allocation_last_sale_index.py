"""An index for the stock-outs table: "since when is this product sold out" is the last
allocation of its batches, read for every sold-out product on the demand page. With
(batch, created_at) PostgreSQL answers it from the index alone instead of visiting every
allocation row of the batch (a busy batch has tens of thousands).

The table is production_link's; the index is added here, by the report that needs it, as
plain SQL (IF NOT EXISTS, dropped on reverse) so production_link's models stay as they are.
"""

from django.db import migrations

INDEX = "insight_allocation_batch_created"


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0001_initial"),
        ("production_link", "0009_publicholiday_confirmed"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON production_link_allocation (batch_id, created_at)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
