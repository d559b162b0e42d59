"""The packaging material in Indonesian and English too (issue 18, catalog/translation.py);
the Indonesian column starts as a copy of the text written so far."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0040_licence_dates_existing"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="packaging_material_en",
            field=models.CharField(
                blank=True,
                help_text="E.g. food-grade plastic, kraft paper, glass, cardboard.",
                max_length=128,
                null=True,
                verbose_name="packaging material",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="packaging_material_ind",
            field=models.CharField(
                blank=True,
                help_text="E.g. food-grade plastic, kraft paper, glass, cardboard.",
                max_length=128,
                null=True,
                verbose_name="packaging material",
            ),
        ),
        migrations.RunSQL(
            "UPDATE catalogue_product SET packaging_material_ind = packaging_material",
            migrations.RunSQL.noop,
            elidable=False,
        ),
    ]
