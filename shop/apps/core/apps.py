from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shop.apps.core"
    label = "core"
    verbose_name = _("Karya core")

    def ready(self):
        from . import page_cache, receivers

        page_cache.connect_invalidation()

        # Permissions only exist after every app has migrated, so the role groups are
        # kept in step after each migrate run rather than in a data migration.
        post_migrate.connect(receivers.sync_roles_after_migrate, sender=self)
