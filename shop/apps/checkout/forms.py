from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from shop.apps.address.forms import INDONESIAN_ADDRESS_FIELDS, IndonesianAddressMixin


class ShippingAddressForm(IndonesianAddressMixin, oscar_forms.ShippingAddressForm):
    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = INDONESIAN_ADDRESS_FIELDS + ["country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapt_to_indonesia()


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's gateway form; its password box sits beside the "returning customer" choice
    with no label of its own, so it is named for screen readers (axe: label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["aria-label"] = _("Password")


ShippingMethodForm = oscar_forms.ShippingMethodForm
