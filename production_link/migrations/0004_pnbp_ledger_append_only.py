"""On PostgreSQL the database itself refuses UPDATE and DELETE on ledger rows.

The ledger is append-only: a mistake is corrected by a new (reversal) entry, never by
changing one. SQLite (the embedded demo database) has no such trigger; there the one
service that writes entries is the only code path.
"""

from django.db import migrations

TABLES = ("production_link_ledgerentry", "production_link_ledgerentryline")

FORWARD = """
CREATE OR REPLACE FUNCTION karya_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'PNBP ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER {table}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION karya_ledger_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No params: the "%" placeholders in the message belong to PL/pgSQL, not to the driver.
    schema_editor.execute(FORWARD, params=None)
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS karya_ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("production_link", "0003_pnbp_ledger")]

    operations = [migrations.RunPython(forward, backward)]
