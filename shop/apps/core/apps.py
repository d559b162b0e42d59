from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shop.apps.core"
    label = "core"
    verbose_name = _("Karya core")

    def ready(self):
        from . import imaging, page_cache, receivers, sanitize

        page_cache.connect_invalidation()
        sanitize.connect_sanitizers()
        # One image check for every upload (shop.apps.core.imaging).
        imaging.image_fields_checked(apps.get_models())
        # Logout by POST only: Oscar builds its URL patterns from the customer app's
        # logout_view after every app is ready (shop.apps.core.auth_views).
        from .auth_views import LogoutView

        apps.get_app_config("customer").logout_view = LogoutView

        # Permissions only exist after every app has migrated, so the role groups are
        # kept in step after each migrate run rather than in a data migration.
        post_migrate.connect(receivers.sync_roles_after_migrate, sender=self)
