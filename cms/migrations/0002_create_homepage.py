from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's "Welcome" page with Karya's home page as the site root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    root = Page.objects.get(depth=1)
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    position = Page.objects.filter(depth=2).count() + 1
    home = HomePage.objects.create(
        title="Karya",
        draft_title="Karya",
        slug="beranda",
        content_type=home_type,
        path=f"{root.path}{position:04d}",
        depth=2,
        numchild=0,
        url_path="/beranda/",
        locale=locale,
        live=True,
        hero_title="Karya bengkel kerja Lapas se-Indonesia",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, site_name="Karya", root_page_id=home.pk, is_default_site=True
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
