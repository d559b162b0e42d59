from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Marketing site")

    def ready(self):
        from shop.apps.core.receivers import sync_roles_after_migrate

        # The role groups (shop.apps.core.roles) grant permissions on cms models, which
        # exist only once cms itself has migrated, after core's own sync has run.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
