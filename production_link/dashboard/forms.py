from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from ..selectors import lapas_for_user, workshops_for_user
from ..services.batches import MAX_PLANNED_QUANTITY

Product = get_model("catalogue", "Product")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchCreateForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None)
    planned_quantity = forms.IntegerField(
        label=_("Planned quantity"), min_value=1, max_value=MAX_PLANNED_QUANTITY
    )
    production_date = forms.DateField(label=_("Production date"), widget=DATE_INPUT)
    expiry_date = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Required for food."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the products and workshops of the user's own Lapas can be chosen.
        self.fields["workshop"].queryset = workshops_for_user(user)
        self.fields["product"].queryset = (
            Product.objects.filter(stockrecords__partner__in=lapas_for_user(user))
            .distinct()
            .order_by("title")
        )


class BatchPlanForm(forms.Form):
    planned_quantity = forms.IntegerField(
        label=_("Planned quantity"), min_value=1, max_value=MAX_PLANNED_QUANTITY
    )
    production_date = forms.DateField(label=_("Production date"), widget=DATE_INPUT)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DATE_INPUT, help_text=_("Required for food.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchProductionForm(forms.Form):
    # Bounded by what the columns hold (max_digits) and what a workshop run can be.
    produced_quantity = forms.IntegerField(
        label=_("Produced quantity"), min_value=1, max_value=MAX_PLANNED_QUANTITY
    )
    materials_cost = forms.DecimalField(
        label=_("Materials cost (Rp)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    labor_hours = forms.DecimalField(
        label=_("Labour hours"), required=False, min_value=0, max_digits=10, decimal_places=1
    )
    head_count = forms.IntegerField(
        label=_("Head count"),
        required=False,
        min_value=0,
        max_value=10_000,
        help_text=_("How many people worked on it. Never names."),
    )
    expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DATE_INPUT)


class BatchQCForm(forms.Form):
    """One field per item of the batch's QC checklist (production_link.qc.specs)."""

    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=(("1", _("Passed")), ("0", _("Failed"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text=_(
            "A batch passes only when every required item is ticked and every measurement "
            "is within its limits."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sni_reference = forms.CharField(label=_("SNI reference"), required=False, max_length=64)
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"),
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP, GIF) or a PDF of at most 10 MB."),
    )

    def __init__(self, *args, spec=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = list(spec)
        for item in self.spec:
            help_text = " · ".join(
                part
                for part in (
                    str(_("required")) if item.required else str(_("optional")),
                    item.limits_display,
                    item.source,
                )
                if part
            )
            if item.is_measure:
                field = forms.DecimalField(
                    label=f"{item.label} ({item.unit})" if item.unit else item.label,
                    required=False,
                    max_digits=12,
                    decimal_places=3,
                    help_text=help_text,
                )
                self.fields[f"measure_{item.code}"] = field
            else:
                self.fields[f"check_{item.code}"] = forms.BooleanField(
                    label=item.label, required=False, help_text=help_text
                )
        # The verdict and notes after the items, as the inspector works down the list.
        for name in ("passed", "notes", "sni_reference", "evidence"):
            self.fields[name] = self.fields.pop(name)

    def checklist(self):
        return {
            item.code: bool(self.cleaned_data.get(f"check_{item.code}"))
            for item in self.spec
            if not item.is_measure
        }

    def measurements(self):
        return {
            item.code: self.cleaned_data.get(f"measure_{item.code}")
            for item in self.spec
            if item.is_measure
        }


class BatchQcDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("What is done and why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Internal. No names of inmates."),
    )


class BatchRecallForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the recall (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Never shown publicly. No names of inmates."),
    )
    public_notice = forms.CharField(
        label=_("Notice for the public"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Shown on the trace page and e-mailed to buyers: what is wrong and what to do. "
            "No names of inmates or staff."
        ),
    )


class BatchImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: product_upc, workshop, planned_quantity, production_date (YYYY-MM-DD), "
            "expiry_date (optional). A file with any bad row imports nothing."
        ),
    )

    # 2000 rows of short cells fit in well under this.
    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)d MB.") % {"mb": self.MAX_BYTES // 2**20}
            )
        return upload
