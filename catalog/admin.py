from django import forms
from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from oscar.apps.catalogue.admin import *  # noqa: F403
from oscar.apps.catalogue.admin import CategoryAdmin as OscarCategoryAdmin
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin
from oscar.apps.catalogue.admin import ProductClassAdmin as OscarProductClassAdmin
from oscar.core.loading import get_model

from . import compliance

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Segment = get_model("catalogue", "Segment")
Category = get_model("catalogue", "Category")
PriceChange = get_model("catalogue", "PriceChange")


# TranslationAdmin (django-modeltranslation): each translated field (catalog/translation.py)
# is edited as its Indonesian and English columns, side by side.


@admin.register(Segment)
class SegmentAdmin(TranslationAdmin):
    """Buyer segments are managed by central staff (the Django admin is theirs only)."""

    list_display = ("name", "slug", "ordering")
    list_editable = ("ordering",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


class GatedProductForm(forms.ModelForm):
    """The admin publishes through the same compliance gate as the dashboard."""

    def _post_clean(self):
        super()._post_clean()
        if self.instance.is_public and not self.instance.is_parent:
            for name, messages in (compliance.publishing_errors(self.instance) or {}).items():
                self.add_error(name if name in self.fields else None, messages)


admin.site.unregister(Product)


@admin.register(Product)
class ProductAdmin(TranslationAdmin, OscarProductAdmin):
    form = GatedProductForm
    filter_horizontal = ("segments",)
    list_filter = [*OscarProductAdmin.list_filter, "segments"]


admin.site.unregister(ProductClass)


@admin.register(ProductClass)
class ProductClassAdmin(TranslationAdmin, OscarProductClassAdmin):
    list_display = ("name", "requires_shipping", "track_stock", "is_food")


admin.site.unregister(Category)


@admin.register(Category)
class CategoryAdmin(TranslationAdmin, OscarCategoryAdmin):
    pass


@admin.register(PriceChange)
class PriceChangeAdmin(admin.ModelAdmin):
    """Read-only: the price history is written by catalog.services only."""

    list_display = (
        "product",
        "channel",
        "min_quantity",
        "old_price",
        "new_price",
        "below_cost_confirmed",
        "changed_by",
        "changed_at",
    )
    list_filter = ("channel", "below_cost_confirmed")
    search_fields = ("product__title", "product__upc")
    raw_id_fields = ("product",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
