"""Bulk actions of the dashboard product list. "Make products public" goes through the
compliance gate: each product that lacks label facts stays unpublished and is listed
with what it lacks."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.dashboard.catalogue import bulk_actions as oscar_bulk_actions
from oscar.apps.dashboard.catalogue.bulk_actions import *  # noqa: F403
from oscar.core.loading import get_class, get_model

from catalog import services

partner_product_visibility_q = get_class(
    "dashboard.catalogue.utils", "partner_product_visibility_q"
)
Product = get_model("catalogue", "Product")


class MakeProductsPublicAction(oscar_bulk_actions.MakeProductsPublicAction):
    label = _("Make products public")

    def execute(self, request, objects, form):
        if not request.user.is_staff:
            allowed = objects.filter(partner_product_visibility_q(request.user)).values("pk")
            objects = Product.objects.filter(pk__in=allowed)
        objects = objects.select_related("product_class", "parent__product_class")
        result = services.products_publish(products=list(objects))
        if result.published:
            count = len(result.published)
            messages.success(
                request,
                ngettext(
                    "%(count)d product is now public.", "%(count)d products are now public.", count
                )
                % {"count": count},
            )
        for product, message in result.refused:
            messages.error(request, f"{product.get_title()}: {message}")
