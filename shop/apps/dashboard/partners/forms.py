"""Oscar's partner (Lapas) dashboard form, with the Lapas's Stripe connected account.

Oscar's class loader finds this module through the app labelled ``dashboard``; the
partner dashboard is for central admins only, who alone set where a Lapas's card money
goes.
"""

from oscar.apps.dashboard.partners import forms as oscar_forms
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


class PartnerCreateForm(oscar_forms.PartnerCreateForm):
    class Meta(oscar_forms.PartnerCreateForm.Meta):
        model = Partner
        fields = ("name", "stripe_account_id")
