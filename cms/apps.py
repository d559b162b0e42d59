from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Marketing site")

    def ready(self):
        from shop.apps.core import shared_cache
        from shop.apps.core.receivers import sync_roles_after_migrate

        # The header menu, Site and page tree reads cached for every page (issue 9's
        # query budget) are dropped when categories, segments or pages change.
        shared_cache.connect_invalidation()

        # The role groups (shop.apps.core.roles) grant permissions on cms models, which
        # exist only once cms itself has migrated, after core's own sync has run.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
