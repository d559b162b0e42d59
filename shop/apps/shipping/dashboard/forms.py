from django import forms
from django.utils.translation import gettext_lazy as _

from shop.apps.shipping.couriers import CourierCode


class ParcelForm(forms.Form):
    courier = forms.ChoiceField(label=_("Courier"), choices=CourierCode.choices)
    waybill = forms.CharField(
        label=_("Waybill number (nomor resi)"),
        max_length=60,
        required=False,
        help_text=_("As printed on the courier's receipt. Optional for own delivery."),
    )


class ParcelUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: order, courier, waybill (or pesanan, kurir, resi); one row per parcel. "
            "Courier codes: jne, jnt, sicepat, pos, anteraja, lion, tiki, own."
        ),
    )
    mark_shipped = forms.BooleanField(
        label=_("Set these orders Shipped (each buyer is e-mailed the tracking links)"),
        required=False,
        initial=True,
    )
