from django import forms
from django.utils.translation import gettext_lazy as _

from production_link.models import StockLocation
from shop.apps.core.imaging import image_upload_check

from . import selectors


class LocationForm(forms.Form):
    lapas = forms.ModelChoiceField(label=_("Lapas"), queryset=None)
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (StockLocation.Kind.GALLERY, StockLocation.Kind.GALLERY.label),
            (StockLocation.Kind.EXHIBITION, StockLocation.Kind.EXHIBITION.label),
        ],
    )
    name = forms.CharField(label=_("name"), max_length=128)
    venue = forms.CharField(label=_("venue"), max_length=160, required=False)
    city = forms.CharField(label=_("city"), max_length=64, required=False)
    starts_on = forms.DateField(
        label=_("first day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For an exhibition."),
    )
    ends_on = forms.DateField(
        label=_("last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For an exhibition."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)
    cashiers = forms.ModelMultipleChoiceField(
        label=_("cashiers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cashiers and supervisors of the Lapas who may sell here."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        lapas_qs = selectors.supervised_lapas(user)
        self.fields["lapas"].queryset = lapas_qs
        from django.contrib.auth import get_user_model

        candidates = get_user_model().objects.none()
        for lapas in lapas_qs:
            candidates = candidates | selectors.cashier_candidates(lapas=lapas)
        self.fields["cashiers"].queryset = candidates.distinct().order_by("username")
        self.fields["cashiers"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
        if lapas_qs.count() == 1:
            self.fields["lapas"].initial = lapas_qs.first()


class TransferReceiveForm(forms.Form):
    """One received count and shortfall reason per transfer line, built from the lines."""

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(transfer.lines.select_related("batch__product"))
        for line in self.lines:
            self.fields[f"received_{line.pk}"] = forms.IntegerField(
                label=line.batch.code,
                min_value=0,
                max_value=line.quantity_sent,
                initial=line.quantity_sent,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("reason for the shortfall"), max_length=255, required=False
            )

    def rows(self):
        return [
            (line, self[f"received_{line.pk}"], self[f"reason_{line.pk}"]) for line in self.lines
        ]

    def received(self):
        return {line.pk: self.cleaned_data[f"received_{line.pk}"] for line in self.lines}

    def reasons(self):
        return {line.pk: self.cleaned_data[f"reason_{line.pk}"] for line in self.lines}


class ConflictRecordForm(forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictRefundForm(forms.Form):
    note = forms.CharField(
        label=_("how the buyer was refunded"), widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(forms.Form):
    reference = forms.CharField(label=_("bank reference"), max_length=128, required=False)


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("new PIN"),
        min_length=4,
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        help_text=_("4 to 8 digits. You type it on a cashier's device to approve a void."),
    )
    pin_again = forms.CharField(
        label=_("the PIN again"),
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin") != data.get("pin_again"):
            self.add_error("pin_again", _("The two PINs differ."))
        return data


class QrisForm(forms.Form):
    lapas = forms.ModelChoiceField(label=_("Lapas"), queryset=None)
    qris_image = forms.ImageField(
        label=_("QRIS image"),
        validators=[image_upload_check],
        help_text=_("The static QRIS code of the Lapas's account, as the bank issued it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lapas"].queryset = selectors.supervised_lapas(user)
