import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return uuid.uuid4().hex


class InvoicePaymentForm(forms.Form):
    """One transfer received. ``token`` is minted when the form is shown and names this
    one payment: the same form posted twice records it once."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    paid_on = forms.DateField(
        label=_("Date of transfer"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=_("Amount (Rp)"), min_value=Decimal("1"), decimal_places=0, max_digits=14
    )
    reference = forms.CharField(label=_("Transfer reference"), max_length=128)

    def __init__(self, *args, balance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = _token()
        self.fields["paid_on"].initial = timezone.localdate()
        if balance is not None:
            self.fields["amount"].initial = balance.quantize(Decimal("1"))


class DeliveryForm(forms.Form):
    """Units handed over now, per order line (at most what is still to deliver)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    delivered_on = forms.DateField(
        label=_("Delivery date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Delivery place"), max_length=255, required=False)
    recipient_name = forms.CharField(
        label=_("Received by (name of the buyer's officer)"), max_length=128, required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = _token()
        self.fields["delivered_on"].initial = timezone.localdate()
        self.line_rows = []
        for row in rows:
            name = f"line_{row.line.pk}"
            self.fields[name] = forms.IntegerField(
                label=row.line.title,
                # No max here: the service refuses more than is left, saying how much.
                min_value=0,
                initial=0,
                required=False,
            )
            self.line_rows.append({"row": row, "field": self[name]})

    def quantities(self) -> dict[int, int]:
        return {
            item["row"].line.pk: self.cleaned_data.get(f"line_{item['row'].line.pk}") or 0
            for item in self.line_rows
        }
