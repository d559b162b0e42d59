import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, unchanged. It is forked only because Oscar's class loader finds
    ``dashboard.catalogue.*`` through the app labelled ``dashboard``: without this, our
    catalogue dashboard (shop.apps.dashboard.catalogue) would never be picked up."""

    name = "shop.apps.dashboard"
