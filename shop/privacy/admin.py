"""Central staff read the audit lines of data downloads, erasures and retention runs in
the Django admin; nobody edits or deletes them there."""

from django.contrib import admin

from production_link.pnbp.admin import ReadOnlyAdmin

from .models import PersonalDataEvent


@admin.register(PersonalDataEvent)
class PersonalDataEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "account_ref", "detail")
    list_filter = ("kind",)
    search_fields = ("account_ref",)
    date_hierarchy = "created_at"
