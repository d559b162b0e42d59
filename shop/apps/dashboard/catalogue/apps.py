import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, with Karya's product form: segments, prices and cost,
    packaging, label, and the compliance gate."""

    name = "shop.apps.dashboard.catalogue"
