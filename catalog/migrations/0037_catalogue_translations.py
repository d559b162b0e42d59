"""Catalogue texts in Indonesian and English (issue 18, catalog/translation.py).

The Indonesian columns start as copies of the texts written so far; English ones are
empty (NULL) until someone translates them.
"""

from django.db import migrations, models

COPY = [
    "UPDATE catalogue_product SET title_ind = title, description_ind = description,"
    " ingredients_ind = ingredients, allergens_ind = allergens,"
    " storage_instructions_ind = storage_instructions",
    "UPDATE catalogue_category SET name_ind = name, description_ind = description",
    "UPDATE catalogue_productclass SET name_ind = name",
    "UPDATE catalogue_segment SET name_ind = name, description_ind = description",
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0036_product_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="Description"),
        ),
        migrations.AddField(
            model_name="category",
            name="description_ind",
            field=models.TextField(blank=True, null=True, verbose_name="Description"),
        ),
        migrations.AddField(
            model_name="category",
            name="name_en",
            field=models.CharField(db_index=True, max_length=255, null=True, verbose_name="Name"),
        ),
        migrations.AddField(
            model_name="category",
            name="name_ind",
            field=models.CharField(db_index=True, max_length=255, null=True, verbose_name="Name"),
        ),
        migrations.AddField(
            model_name="product",
            name="allergens_en",
            field=models.CharField(
                blank=True,
                help_text="E.g. wheat, milk, egg, nuts.",
                max_length=255,
                null=True,
                verbose_name="allergens",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="allergens_ind",
            field=models.CharField(
                blank=True,
                help_text="E.g. wheat, milk, egg, nuts.",
                max_length=255,
                null=True,
                verbose_name="allergens",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="Description"),
        ),
        migrations.AddField(
            model_name="product",
            name="description_ind",
            field=models.TextField(blank=True, null=True, verbose_name="Description"),
        ),
        migrations.AddField(
            model_name="product",
            name="ingredients_en",
            field=models.TextField(
                blank=True,
                help_text="Ingredients in descending order of weight, or the materials of goods.",
                null=True,
                verbose_name="composition or ingredients",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="ingredients_ind",
            field=models.TextField(
                blank=True,
                help_text="Ingredients in descending order of weight, or the materials of goods.",
                null=True,
                verbose_name="composition or ingredients",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="storage_instructions_en",
            field=models.CharField(
                blank=True, max_length=255, null=True, verbose_name="storage instructions"
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="storage_instructions_ind",
            field=models.CharField(
                blank=True, max_length=255, null=True, verbose_name="storage instructions"
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="title_en",
            field=models.CharField(blank=True, max_length=255, null=True, verbose_name="Title"),
        ),
        migrations.AddField(
            model_name="product",
            name="title_ind",
            field=models.CharField(blank=True, max_length=255, null=True, verbose_name="Title"),
        ),
        migrations.AddField(
            model_name="productclass",
            name="name_en",
            field=models.CharField(max_length=128, null=True, verbose_name="Name"),
        ),
        migrations.AddField(
            model_name="productclass",
            name="name_ind",
            field=models.CharField(max_length=128, null=True, verbose_name="Name"),
        ),
        migrations.AddField(
            model_name="segment",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="segment",
            name="description_ind",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="segment",
            name="name_en",
            field=models.CharField(max_length=128, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="segment",
            name="name_ind",
            field=models.CharField(max_length=128, null=True, verbose_name="name"),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop, elidable=False),
    ]
