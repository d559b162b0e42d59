"""The database's guard that an order holds the goods of one Lapas only.

The placement service (shop/apps/order/placement.py) refuses such an order before writing;
this trigger refuses it for every other path too (a hand-written insert, a dashboard
action, a future bug): an order line's Lapas (``partner_id``) must be its order's Lapas,
and an order's Lapas cannot be changed to one its lines do not belong to. Orders placed
before the split without a Lapas (README, "One order per Lapas") take no new line of
another Lapas than the ones they hold. PostgreSQL only (SQLite is for trying the shop).
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION karya_order_line_one_lapas() RETURNS trigger AS $$
DECLARE
    order_lapas integer;
BEGIN
    SELECT lapas_id INTO order_lapas FROM order_order WHERE id = NEW.order_id;
    IF order_lapas IS NOT NULL THEN
        IF NEW.partner_id IS DISTINCT FROM order_lapas THEN
            RAISE EXCEPTION 'order line of Lapas % in order % of Lapas %: one order per Lapas',
                NEW.partner_id, NEW.order_id, order_lapas
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM order_line
         WHERE order_id = NEW.order_id AND id <> NEW.id
           AND partner_id IS DISTINCT FROM NEW.partner_id
    ) THEN
        RAISE EXCEPTION 'order % would hold the goods of two Lapas', NEW.order_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER order_line_one_lapas
    BEFORE INSERT OR UPDATE OF order_id, partner_id ON order_line
    FOR EACH ROW EXECUTE FUNCTION karya_order_line_one_lapas();

CREATE OR REPLACE FUNCTION karya_order_lapas_matches_lines() RETURNS trigger AS $$
BEGIN
    IF NEW.lapas_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM order_line
         WHERE order_id = NEW.id AND partner_id IS DISTINCT FROM NEW.lapas_id
    ) THEN
        RAISE EXCEPTION 'order % holds goods of a Lapas other than %', NEW.id, NEW.lapas_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER order_lapas_matches_lines
    BEFORE UPDATE OF lapas_id ON order_order
    FOR EACH ROW EXECUTE FUNCTION karya_order_lapas_matches_lines();
"""

DROP = """
DROP TRIGGER IF EXISTS order_lapas_matches_lines ON order_order;
DROP FUNCTION IF EXISTS karya_order_lapas_matches_lines();
DROP TRIGGER IF EXISTS order_line_one_lapas ON order_line;
DROP FUNCTION IF EXISTS karya_order_line_one_lapas();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0026_order_lapas_from_lines"),
    ]

    operations = [migrations.RunPython(create, drop)]
