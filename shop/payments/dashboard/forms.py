import uuid
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from ..refund_services import RefundLineRequest
from ..selectors import line_refundable, order_refundable_shipping


class RefundForm(forms.Form):
    """One quantity (and a restock choice) per order line, plus shipping and a reason.

    ``token`` is minted when the form is shown and names this one refund: posting the same
    form twice refunds once.
    """

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    shipping_amount = forms.DecimalField(
        label=_("Shipping to refund (Rp)"),
        min_value=Decimal("0"),
        decimal_places=0,
        max_digits=14,
        initial=0,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, order, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["token"].initial = uuid.uuid4().hex
        self.line_rows = []
        for line in order.lines.all():
            quantity, amount = line_refundable(line=line)
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=line.title, min_value=0, max_value=quantity, initial=0, required=False
            )
            restock = None
            if line.allocations.exists():
                restock = f"restock_{line.pk}"
                self.fields[restock] = forms.BooleanField(
                    label=_("Back in stock"), required=False, initial=True
                )
            self.line_rows.append(
                {
                    "line": line,
                    "refundable": quantity,
                    "amount": amount,
                    "field": self[name],
                    "restock": self[restock] if restock else None,
                }
            )
        self.refundable_shipping = order_refundable_shipping(order=order)
        self.fields["shipping_amount"].validators.append(
            MaxValueValidator(self.refundable_shipping)
        )
        if provider.refund_needs_reference:
            self.fields["reference"] = forms.CharField(
                label=_("Reference of the transfer back to the buyer"), max_length=128
            )

    def line_requests(self):
        return [
            RefundLineRequest(
                line_id=row["line"].pk,
                quantity=self.cleaned_data.get(f"line_{row['line'].pk}") or 0,
                restock=bool(self.cleaned_data.get(f"restock_{row['line'].pk}")),
            )
            for row in self.line_rows
        ]
