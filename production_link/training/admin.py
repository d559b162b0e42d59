from django.contrib import admin

from .models import TrainingCourse


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ("title", "workshop", "issuer_kind", "ended_on", "participants", "certified")
    list_filter = ("issuer_kind", "workshop__lapas")
    search_fields = ("title", "scheme", "issuer_name")
    date_hierarchy = "ended_on"
    readonly_fields = ("created_by", "created_at")
