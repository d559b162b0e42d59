"""Central staff read organisations, quotes and institutional orders in the Django admin;
every change goes through the pages and their services (approval, pricing, acceptance)."""

from django.contrib import admin

from production_link.pnbp.admin import ReadOnlyAdmin

from .models import InstitutionalOrder, Organisation, Quote


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "status", "payment_terms", "credit_limit", "is_internal")
    list_filter = ("status", "kind", "payment_terms")
    search_fields = ("name", "npwp")


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation", "lapas", "status", "requested_at", "valid_until")
    list_filter = ("status", "lapas")
    search_fields = ("organisation__name", "po_number")


@admin.register(InstitutionalOrder)
class InstitutionalOrderAdmin(ReadOnlyAdmin):
    list_display = ("order", "organisation", "po_number", "payment_terms", "created_at")
    search_fields = ("order__number", "po_number", "organisation__name")
