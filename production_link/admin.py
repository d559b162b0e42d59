from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Batch, StockLocation, Workshop
from .pnbp import admin as pnbp_admin  # noqa: F401  (registers the PNBP ledger's admin)


@admin.register(Workshop)
class WorkshopAdmin(TranslationAdmin):
    # Name, description, skills and certifications in Indonesian and English.
    list_display = ("name", "code", "lapas", "field_of_work", "is_active")
    list_filter = ("lapas", "is_active")
    search_fields = ("name", "code", "lapas__name")


@admin.register(StockLocation)
class StockLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "lapas", "kind", "fulfils_online", "is_active")
    list_filter = ("kind", "lapas")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    """Read-only: batches change only through their lifecycle services (the dashboard)."""

    list_display = ("code", "product", "workshop", "status", "production_date", "expiry_date")
    list_filter = ("status", "workshop__lapas")
    search_fields = ("code", "product__title")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
