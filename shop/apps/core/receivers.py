from django.apps import apps
from django.contrib.auth.management import create_permissions

from .services import roles_sync


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate reaches apps in INSTALLED_APPS order, so apps listed after this one
    # have no permissions yet; creating them first (idempotent) lets every role get them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync(using=using)
