"""Django admin views of the point of sale, for central admins to look things up.

Read-only where money or stock is concerned: sales, sessions, transfers and conflicts
change only through the services (dashboard pages and the POS API).
"""

from django.contrib import admin

from .models import (
    PosConflict,
    PosLapasSettings,
    PosLocation,
    PosSale,
    PosSession,
    StockTransfer,
    StockTransferLine,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PosLocation)
class PosLocationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "venue", "starts_on", "ends_on")
    filter_horizontal = ("cashiers",)
    raw_id_fields = ("stock_location",)


@admin.register(PosLapasSettings)
class PosLapasSettingsAdmin(admin.ModelAdmin):
    list_display = ("lapas", "updated_at")


class StockTransferLineInline(admin.TabularInline):
    model = StockTransferLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "batch",
        "quantity_sent",
        "quantity_received",
        "shortfall_reason",
        "quantity_returned",
    )


@admin.register(StockTransfer)
class StockTransferAdmin(ReadOnlyAdmin):
    list_display = ("pk", "source", "destination", "status", "sent_at")
    list_filter = ("status",)
    inlines = [StockTransferLineInline]


@admin.register(PosSession)
class PosSessionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "location", "cashier", "opened_at", "closed_at", "difference")


@admin.register(PosSale)
class PosSaleAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "session", "status", "payment_method", "total", "unverified")
    list_filter = ("status", "payment_method", "unverified", "offline", "price_differs")
    search_fields = ("uuid", "order__number", "reference")


@admin.register(PosConflict)
class PosConflictAdmin(ReadOnlyAdmin):
    list_display = ("sale", "reason", "resolution", "created_at")
    list_filter = ("reason", "resolution")
