from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms

from .provinces import PROVINCE_CHOICES

# Indonesian addresses: street, kelurahan/desa, kecamatan, city or regency, province and a
# 5-digit postal code. Oscar's generic line1..line4/state fields carry them.
INDONESIAN_ADDRESS_FIELDS = [
    "first_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "phone_number",
    "notes",
]

INDONESIAN_ADDRESS_LABELS = {
    "first_name": _("Recipient's full name"),
    "line1": _("Street address"),
    "line2": _("Kelurahan / village"),
    "line3": _("Kecamatan (district)"),
    "line4": _("City or regency"),
    "state": _("Province"),
    "postcode": _("Postal code"),
    "phone_number": _("Mobile phone number"),
    "notes": _("Delivery notes"),
}


class IndonesianAddressMixin:
    """Relabels Oscar's address fields for Indonesia and offers provinces as a list."""

    def adapt_to_indonesia(self):
        for name, label in INDONESIAN_ADDRESS_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        if "state" in self.fields:
            self.fields["state"] = forms.ChoiceField(
                label=INDONESIAN_ADDRESS_LABELS["state"],
                choices=[("", _("Choose a province"))] + PROVINCE_CHOICES,
                required=True,
            )
        if "postcode" in self.fields:
            self.fields["postcode"].widget.attrs.update(
                {"inputmode": "numeric", "pattern": "[0-9]{5}", "maxlength": "5"}
            )
        if "phone_number" in self.fields:
            self.fields["phone_number"].help_text = _("For the courier, e.g. 0812 3456 7890.")


class UserAddressForm(IndonesianAddressMixin, oscar_forms.UserAddressForm):
    class Meta(oscar_forms.UserAddressForm.Meta):
        fields = INDONESIAN_ADDRESS_FIELDS + ["country"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.adapt_to_indonesia()
