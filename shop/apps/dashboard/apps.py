import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from oscar.core.application import OscarDashboardConfig


def _policy_decorator(pattern):
    from shop.apps.core.policy import policy_required

    return policy_required


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard. It is forked because Oscar's class loader finds
    ``dashboard.catalogue.*`` through the app labelled ``dashboard`` (our catalogue
    dashboard, shop.apps.dashboard.catalogue, would otherwise never be picked up), and so
    that Karya's permission policy (shop.apps.core.policy), not Oscar's permissions_map
    with its blanket ``partner.dashboard_access``, guards every dashboard page."""

    name = "shop.apps.dashboard"

    def get_url_decorator(self, pattern):
        return _policy_decorator(pattern)

    def ready(self):
        super().ready()
        # Every Oscar dashboard app (orders, users, offers, …) decorates its URLs when
        # they are first loaded, after ready(): give each the policy's decorator instead.
        for config in django_apps.get_app_configs():
            if isinstance(config, OscarDashboardConfig):
                config.get_url_decorator = _policy_decorator
