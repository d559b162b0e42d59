from django.contrib import admin

from .models import Workshop


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("name", "lapas", "field_of_work", "is_active")
    list_filter = ("lapas", "is_active")
    search_fields = ("name", "lapas__name")
