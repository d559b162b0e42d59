from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, npwp_validator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked by the
    service (PDF or image, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    npwp = forms.CharField(
        label=_("NPWP (tax number)"),
        max_length=24,
        validators=[npwp_validator],
        help_text=_("15 digits (01.234.567.8-901.000) or the 16-digit NPWP."),
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.EmailField(
        label=_("E-mail for quotes and invoices"), required=False, help_text=_("Optional.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class TermsForm(forms.Form):
    payment_terms = forms.ChoiceField(
        label=_("Payment terms"), choices=Organisation.PaymentTerms.choices
    )
    payment_days = forms.IntegerField(
        label=_("Days to pay an invoice"), min_value=1, max_value=180, initial=30
    )
    credit_limit = forms.DecimalField(
        label=_("Credit limit (Rp)"), min_value=0, decimal_places=0, initial=0
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RequestForm(forms.Form):
    """The request's common part; the items are posted as item-N-description/quantity."""

    wanted_by = forms.DateField(
        label=_("Wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_place = forms.CharField(
        label=_("Delivery place"), widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note for the Lapas"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label=_("Drawings or specifications (PDF or photo, up to 10 MB each)"), required=False
    )


class FreeFormRequestForm(RequestForm):
    lapas = forms.ModelChoiceField(label=_("Lapas to ask"), queryset=None)

    def __init__(self, *args, lapas_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lapas"].queryset = lapas_choices
        self.order_fields(["lapas"])


class AcceptForm(forms.Form):
    po_number = forms.CharField(label=_("Purchase order (PO) number"), max_length=64)
    po_document = forms.FileField(
        label=_("PO document (PDF or photo, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/*"}),
    )


class QuoteRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuoteTermsForm(forms.Form):
    """The quote-wide part of the pricing form; lines are posted as line-<id>-<field>."""

    delivery_cost = forms.DecimalField(
        label=_("Delivery cost (Rp)"), min_value=0, decimal_places=0, initial=0
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deposit_percent = forms.IntegerField(
        label=_("Deposit before production (%)"), min_value=0, max_value=100, initial=0
    )
    note = forms.CharField(
        label=_("Note for the buyer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReservationForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    reserved_until = forms.DateField(
        label=_("Reserved until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the buyer's account"))
