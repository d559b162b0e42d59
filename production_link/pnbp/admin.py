"""Admin of the PNBP ledger: entries, lines, deposits and alerts are read-only (they change
only through production_link.pnbp.services); revenue splits and public holidays are kept
by central admins."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import (
    Deposit,
    DepositEntry,
    LedgerEntry,
    LedgerEntryLine,
    PnbpAlert,
    PublicHoliday,
    RevenueSplit,
)
from . import services


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerEntryLineInline(admin.TabularInline):
    model = LedgerEntryLine
    fields = ("line", "workshop", "batch", "quantity", "gross", "premi_amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("due_at", "lapas", "kind", "order", "channel", "gross", "pnbp_amount")
    list_filter = ("kind", "channel", "lapas")
    search_fields = ("order__number", "lapas__name", "lapas__satker_code")
    date_hierarchy = "due_at"
    inlines = [LedgerEntryLineInline]


class DepositEntryInline(admin.TabularInline):
    model = DepositEntry
    fields = ("entry",)
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ("pk", "lapas", "amount", "status", "billing_code", "ntpn", "paid_on")
    list_filter = ("status", "lapas")
    search_fields = ("billing_code", "ntpn", "lapas__name")
    inlines = [DepositEntryInline]


@admin.register(PnbpAlert)
class PnbpAlertAdmin(ReadOnlyAdmin):
    list_display = ("entry", "lapas", "deadline", "raised_at", "emailed_at")
    list_filter = ("lapas",)


class RevenueSplitForm(forms.ModelForm):
    class Meta:
        model = RevenueSplit
        fields = (
            "lapas",
            "effective_from",
            "pnbp_percent",
            "premi_percent",
            "working_capital_percent",
            "programme_percent",
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors, _shares = services.revenue_split_errors(
            lapas=data["lapas"],
            effective_from=data["effective_from"],
            pnbp=data["pnbp_percent"],
            premi=data["premi_percent"],
            working_capital=data["working_capital_percent"],
            programme=data["programme_percent"],
        )
        if errors:
            raise ValidationError(
                {
                    (field if field in self.fields or field == "__all__" else "__all__"): message
                    for field, message in errors.items()
                }
            )
        return data


@admin.register(RevenueSplit)
class RevenueSplitAdmin(admin.ModelAdmin):
    """Central admins add splits (checked like the dashboard's); a split is never edited in
    place: entries keep the split they were booked with."""

    form = RevenueSplitForm
    list_display = (
        "lapas",
        "effective_from",
        "pnbp_percent",
        "premi_percent",
        "working_capital_percent",
        "programme_percent",
        "created_by",
    )
    list_filter = ("lapas",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        # The list, yes; a split itself is not edited: add a new one from a later date.
        return request.user.is_superuser and obj is None

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or not obj.entries.exists())

    def save_model(self, request, obj, form, change):
        split = services.revenue_split_set(
            lapas=obj.lapas,
            effective_from=obj.effective_from,
            pnbp=obj.pnbp_percent,
            premi=obj.premi_percent,
            working_capital=obj.working_capital_percent,
            programme=obj.programme_percent,
            user=request.user,
        )
        obj.pk, obj.created_by, obj.created_at = split.pk, split.created_by, split.created_at


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """National holidays and collective leave (cuti bersama): no deposit deadline falls on
    them. Keep the list in line with the government's decree for each year."""

    list_display = ("date", "name", "confirmed")
    list_editable = ("confirmed",)
    list_filter = ("confirmed",)
    date_hierarchy = "date"
    search_fields = ("name",)
    actions = ("confirm_holidays",)

    @admin.action(
        description=_("Confirm the selected holidays (checked against the decree)"),
        permissions=["change"],
    )
    def confirm_holidays(self, request, queryset):
        changed = services.public_holidays_confirm(
            holiday_ids=queryset.values_list("pk", flat=True), user=request.user
        )
        self.message_user(
            request,
            ngettext("%(count)d holiday confirmed.", "%(count)d holidays confirmed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
