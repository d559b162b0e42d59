"""Clean the user-written HTML stored before the sanitiser existed (shop.apps.core.sanitize):
Oscar's own templates print offer, range, shipping and flat page HTML as it is stored."""

from django.db import migrations


def sanitize_stored_html(apps, schema_editor):
    from shop.apps.core.sanitize import RICH_TEXT_FIELDS, sanitize_html

    for label, fields in RICH_TEXT_FIELDS.items():
        model = apps.get_model(label)
        changed = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=1000):
            dirty = False
            for name in fields:
                value = getattr(row, name)
                if value and sanitize_html(value) != value:
                    setattr(row, name, sanitize_html(value))
                    dirty = True
            if dirty:
                changed.append(row)
        model.objects.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0035_browse_newest_index"),
        ("offer", "0013_range_excluded_categories"),
        ("shipping", "0004_weightbased_zone"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(sanitize_stored_html, migrations.RunPython.noop)]
