from oscar.apps.dashboard.catalogue import mixins as oscar_mixins
from oscar.apps.dashboard.catalogue.mixins import *  # noqa: F403
from oscar.core.loading import get_classes

MakeProductsPublicAction, MakeProductsNonPublicAction = get_classes(
    "dashboard.catalogue.bulk_actions",
    ("MakeProductsPublicAction", "MakeProductsNonPublicAction"),
)


class ProductBulkActionMixin(oscar_mixins.ProductBulkActionMixin):
    # Oscar's bulk "Update product prices" would bypass the price history and the
    # below-cost confirmation, so prices are only changed on each product's page.
    intermediate_actions = {
        "make_products_public": MakeProductsPublicAction(),
        "make_products_non_public": MakeProductsNonPublicAction(),
    }
