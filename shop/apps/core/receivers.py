from .services import roles_sync


def sync_roles_after_migrate(sender, using="default", **kwargs):
    roles_sync(using=using)
