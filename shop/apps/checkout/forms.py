from oscar.apps.checkout import forms as oscar_forms

from shop.apps.address.forms import INDONESIAN_ADDRESS_FIELDS, IndonesianAddressMixin


class ShippingAddressForm(IndonesianAddressMixin, oscar_forms.ShippingAddressForm):
    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = INDONESIAN_ADDRESS_FIELDS + ["country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adapt_to_indonesia()


GatewayForm = oscar_forms.GatewayForm
ShippingMethodForm = oscar_forms.ShippingMethodForm
