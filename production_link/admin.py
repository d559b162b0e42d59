from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import (
    Batch,
    QcInspection,
    QcItemResult,
    QcLapasSettings,
    QcSpecItem,
    StockLocation,
    Workshop,
)
from .pnbp import admin as pnbp_admin  # noqa: F401  (registers the PNBP ledger's admin)
from .qc import services as qc_services


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


@admin.register(QcSpecItem)
class QcSpecItemAdmin(admin.ModelAdmin):
    """Central admins adjust the QC checklists of product kinds (and of single products);
    the defaults come from production_link/qc/checklists.yaml."""

    list_display = ("label", "code", "product_class", "product", "kind", "required", "source")
    list_filter = ("product_class", "kind", "required")
    search_fields = ("label", "code", "source", "product__title")
    raw_id_fields = ("product",)


@admin.register(QcLapasSettings)
class QcLapasSettingsAdmin(admin.ModelAdmin):
    """Whether a Lapas's inspector must differ from the producer (on by default)."""

    list_display = ("lapas", "inspector_must_differ")

    def save_model(self, request, obj, form, change):
        saved = qc_services.qc_lapas_settings_save(
            lapas=obj.lapas, user=request.user, inspector_must_differ=obj.inspector_must_differ
        )
        obj.pk = saved.pk  # the admin's log entry and redirect name the saved row


class QcItemResultInline(admin.TabularInline):
    model = QcItemResult
    extra = 0
    can_delete = False
    readonly_fields = ("label", "required", "source", "checked", "value", "unit", "ok", "reason")
    fields = readonly_fields


@admin.register(QcInspection)
class QcInspectionAdmin(admin.ModelAdmin):
    """Read-only: inspections are recorded on the batch page, through the QC services."""

    list_display = ("batch", "round", "passed", "inspector", "inspected_at", "disposition")
    list_filter = ("passed", "disposition", "batch__workshop__lapas")
    search_fields = ("batch__code",)
    inlines = [QcItemResultInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
