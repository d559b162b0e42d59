from django import forms
from django.utils.translation import gettext_lazy as _

from .services.bookings import MAX_QUANTITY, MAX_WEEKS


class BookingForm(forms.Form):
    first_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("From tomorrow on."),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    weeks = forms.IntegerField(
        label=_("Every week, for how many weeks"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_("1 for a single date."),
    )
    notes = forms.CharField(
        label=_("Delivery place and notes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment_method = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.providers = {p.identifier: p for p in providers}
        self.fields["payment_method"].choices = [(p.identifier, p.verbose_name) for p in providers]
        if providers:
            self.fields["payment_method"].initial = providers[0].identifier


class CapacityForm(forms.Form):
    units_per_day = forms.IntegerField(label=_("Units per day"), min_value=0, max_value=1_000_000)
