"""Central admins set up the regional offices, their officers and the monev instrument."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from .models import Indicator, Region, RegionalOfficer, RegionLapas


class RegionLapasInline(admin.TabularInline):
    model = RegionLapas
    extra = 1
    autocomplete_fields = ()


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "province")
    search_fields = ("name", "province")
    inlines = (RegionLapasInline,)


class RegionalOfficerForm(forms.ModelForm):
    class Meta:
        model = RegionalOfficer
        fields = ("user", "region")

    def clean_user(self):
        # As services.regional_officer_set: read-only across a region and write access to
        # one Lapas do not mix in one account.
        user = self.cleaned_data["user"]
        if user.partners.exists():
            raise forms.ValidationError(
                _("This user works for a Lapas: a regional officer belongs to no Lapas.")
            )
        return user


@admin.register(RegionalOfficer)
class RegionalOfficerAdmin(admin.ModelAdmin):
    form = RegionalOfficerForm
    list_display = ("user", "region")
    list_select_related = ("user", "region")
    raw_id_fields = ("user",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "kind", "position", "is_active")
    list_editable = ("position", "is_active")
