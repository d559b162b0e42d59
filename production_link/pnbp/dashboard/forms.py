from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..selectors import pnbp_lapas_for_user

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PERCENT = {"min_value": 0, "max_value": 100, "decimal_places": 2, "max_digits": 5}


class RevenueSplitForm(forms.Form):
    lapas = forms.ModelChoiceField(label=_("Lapas"), queryset=None)
    effective_from = forms.DateField(label=_("Applies from"), widget=DATE_INPUT)
    pnbp = forms.DecimalField(label=_("PNBP %"), initial=100, **PERCENT)
    premi = forms.DecimalField(label=_("Wage pool (premi) %"), initial=0, **PERCENT)
    working_capital = forms.DecimalField(label=_("Working capital %"), initial=0, **PERCENT)
    programme = forms.DecimalField(label=_("Programme %"), initial=0, **PERCENT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lapas"].queryset = pnbp_lapas_for_user(user).order_by("name")
        self.fields["effective_from"].initial = timezone.localdate()


class BillingForm(forms.Form):
    billing_code = forms.CharField(
        label=_("Billing code"),
        max_length=24,
        help_text=_("The 15-digit code (kode billing) SIMPONI issued for this deposit."),
    )
    billing_expires_at = forms.DateTimeField(
        label=_("Expires at"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Date and time (Jakarta) printed with the billing code."),
    )


class NtpnForm(forms.Form):
    ntpn = forms.CharField(
        label=_("NTPN"),
        max_length=24,
        help_text=_("The 16 letters and digits on the bank's receipt."),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_INPUT)
