"""Workshop texts in Indonesian and English (issue 18, production_link/translation.py).

The Indonesian columns start as copies of the texts written so far; English ones are
empty (NULL) until someone translates them.
"""

from django.db import migrations, models

COPY = (
    "UPDATE production_link_workshop SET name_ind = name, description_ind = description,"
    " skills_ind = skills, certifications_ind = certifications"
)


class Migration(migrations.Migration):
    dependencies = [
        ("production_link", "0005_batch_public_recall_notice"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="certifications_en",
            field=models.TextField(
                blank=True,
                help_text="One per line: the certificate and the partner institution that awards it, e.g. “Sertifikat kompetensi tata boga — LSP Pariwisata”.",
                null=True,
                verbose_name="certifications offered",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="certifications_ind",
            field=models.TextField(
                blank=True,
                help_text="One per line: the certificate and the partner institution that awards it, e.g. “Sertifikat kompetensi tata boga — LSP Pariwisata”.",
                null=True,
                verbose_name="certifications offered",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="description_en",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="workshop",
            name="description_ind",
            field=models.TextField(blank=True, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="workshop",
            name="name_en",
            field=models.CharField(max_length=128, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="workshop",
            name="name_ind",
            field=models.CharField(max_length=128, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="workshop",
            name="skills_en",
            field=models.TextField(
                blank=True,
                help_text="One skill per line.",
                null=True,
                verbose_name="skills trained",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="skills_ind",
            field=models.TextField(
                blank=True,
                help_text="One skill per line.",
                null=True,
                verbose_name="skills trained",
            ),
        ),
        migrations.AddConstraint(
            model_name="workshop",
            constraint=models.UniqueConstraint(
                fields=("lapas", "name_ind"), name="workshop_unique_name_per_lapas-id"
            ),
        ),
        migrations.AddConstraint(
            model_name="workshop",
            constraint=models.UniqueConstraint(
                fields=("lapas", "name_en"), name="workshop_unique_name_per_lapas-en"
            ),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop, elidable=False),
    ]
