"""Oscar's shipping-charge forms, with the zone each rate table is for.

Oscar's class loader finds this module through our dashboard fork (shop.apps.dashboard):
the views of Oscar's shipping dashboard stay as they are. The per-method default weight is
left out: one documented default weight applies to all zones (shipping.selectors).
"""

from django import forms
from oscar.apps.dashboard.shipping import forms as oscar_forms
from oscar.core.loading import get_model

WeightBandForm = oscar_forms.WeightBandForm


class WeightBasedForm(forms.ModelForm):
    class Meta:
        model = get_model("shipping", "WeightBased")
        fields = ["name", "zone", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A rate table without a zone is never used; the choice is not optional here.
        self.fields["zone"].required = True
