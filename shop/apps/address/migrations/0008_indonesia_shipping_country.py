from django.db import migrations


def add_indonesia(apps, schema_editor):
    """Karya ships within Indonesia only; the country must exist for every address."""
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="ID",
        defaults={
            "iso_3166_1_a3": "IDN",
            "iso_3166_1_numeric": "360",
            "printable_name": "Indonesia",
            "name": "Republic of Indonesia",
            "display_order": 1,
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("address", "0007_useraddress_code")]

    operations = [migrations.RunPython(add_indonesia, migrations.RunPython.noop)]
