from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    """A Wagtail locale for each content language (id, en), so editors can translate
    pages into English from the start; Wagtail itself creates only the default one."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_marketing_site"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
