from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.admin import *  # noqa: F403
from oscar.apps.partner.admin import PartnerAdmin as OscarPartnerAdmin
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")


class PartnerAddressInline(admin.StackedInline):
    model = PartnerAddress
    extra = 0
    max_num = 1
    fields = ("line1", "line2", "line3", "line4", "state", "postcode", "country")


admin.site.unregister(Partner)


@admin.register(Partner)
class LapasAdmin(OscarPartnerAdmin):
    """Central admins keep each Lapas's satker facts, bank account and address here."""

    list_display = ("name", "satker_code", "short_code", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code", "satker_code", "short_code")
    filter_horizontal = ("users",)
    inlines = [PartnerAddressInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "satker_code", "short_code", "description")}),
        (_("Contact"), {"fields": ("phone", "email")}),
        (
            _("Account for bank transfers"),
            {"fields": ("bank_name", "bank_account_number", "bank_account_holder")},
        ),
        (
            _("Card payments (Stripe Connect)"),
            {
                "fields": ("stripe_account_id",),
                "description": _(
                    "Card payments for this Lapas's goods are transferred to this connected "
                    "account. Without one, buyers are not offered card payment for its goods."
                ),
            },
        ),
        (_("Staff of this Lapas"), {"fields": ("users",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Where a Lapas's card money goes is for central admins alone to set.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("stripe_account_id")
        return readonly


@admin.register(get_model("partner", "RevenueAccount"))
class RevenueAccountAdmin(admin.ModelAdmin):
    """PNBP revenue accounts a Lapas may book under (reference data, load_reference_data)."""

    list_display = ("code", "name")
    search_fields = ("code", "name")
