"""Karya's dashboard product form: Oscar's, plus the workshop (of the user's own Lapas),
buyer segments, packaging and label, each in its own section, and the compliance gate
on publishing. Prices and cost have a form of their own (ProductPricingForm) because
they are written by catalog.services.product_pricing_set, which keeps their history.

Translated texts (catalog/translation.py): the plain fields (``title``, ``ingredients``,
a category's ``name``) always edit the Indonesian text, whatever the dashboard's
language, and each has an English twin (``title_en``) next to it."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403  (the forms we keep as they are)
from oscar.core.loading import get_model
from treebeard.forms import movenodeform_factory

from catalog import compliance, pricing
from production_link.models import Workshop

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Segment = get_model("catalogue", "Segment")

PACKAGING_FIELDS = [
    "packaging_type",
    "packaging_material",
    "packaging_material_en",
    "packaging_recyclable",
    "net_quantity",
    "net_quantity_unit",
    "units_per_pack",
    "gross_weight_grams",
    "length_cm",
    "width_cm",
    "height_cm",
]
LABEL_FIELDS = [
    "label_name",
    "ingredients",
    "ingredients_en",
    "allergens",
    "allergens_en",
    "storage_instructions",
    "storage_instructions_en",
    "shelf_life_days",
    "licence_type",
    "licence_number",
    "licence_issued_on",
    "licence_expires_on",
    "halal_claimed",
    "halal_certificate_number",
    "halal_certificate_expiry",
    "sni_number",
    "sni_certificate_expiry",
]
SEGMENT_FIELDS = ["segments"]
SECTION_FIELDS = set(PACKAGING_FIELDS + LABEL_FIELDS + SEGMENT_FIELDS)


def workshops_for(user):
    """Workshops a user may attach a product to: all for central staff, else only the
    workshops of the Lapas they belong to."""
    workshops = Workshop.objects.filter(is_active=True).select_related("lapas")
    if user is None or not user.is_staff:
        partners = user.partners.all() if user is not None else []
        workshops = workshops.filter(lapas__in=partners)
    return workshops


ENGLISH_HELP = _("Shown on English pages. Left empty, they show the Indonesian text, marked.")


class SourceLanguageFormMixin:
    """Binds a model form's translated fields to the Indonesian text: the initial values
    are read, and the cleaned ones written, with Indonesian active (a translated field
    reads and writes the active language's column). English twins are fields of their
    own, labelled here."""

    english_labels: dict = {}

    def __init__(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().__init__(*args, **kwargs)
        for name, label in self.english_labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = ENGLISH_HELP
                self.fields[name].required = False

    def _post_clean(self):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super()._post_clean()

    def save(self, *args, **kwargs):
        # Oscar's save() makes a missing slug from the name: from the Indonesian one.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return super().save(*args, **kwargs)


class ProductForm(SourceLanguageFormMixin, oscar_forms.ProductForm):
    english_labels = {
        "title_en": _("Title in English"),
        "description_en": _("Description in English"),
        "packaging_material_en": _("Packaging material in English"),
        "ingredients_en": _("Composition or ingredients in English"),
        "allergens_en": _("Allergens in English"),
        "storage_instructions_en": _("Storage instructions in English"),
    }

    class Meta(oscar_forms.ProductForm.Meta):
        fields = [
            "title",
            "title_en",
            "upc",
            "description",
            "description_en",
            *[
                f
                for f in oscar_forms.ProductForm.Meta.fields
                if f not in ("title", "upc", "description")
            ],
            "workshop",
            *SEGMENT_FIELDS,
            *PACKAGING_FIELDS,
            *LABEL_FIELDS,
        ]
        widgets = {
            **oscar_forms.ProductForm.Meta.widgets,
            "segments": forms.CheckboxSelectMultiple,
            "ingredients": forms.Textarea(attrs={"rows": 4, "class": "no-widget-init"}),
            "ingredients_en": forms.Textarea(attrs={"rows": 4, "class": "no-widget-init"}),
            "halal_certificate_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "licence_issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "licence_expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sni_certificate_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, product_class, *args, user=None, **kwargs):
        super().__init__(product_class, *args, **kwargs)
        self.user = user
        if "workshop" in self.fields:
            self.fields["workshop"].queryset = workshops_for(user)
            self.fields["workshop"].required = user is None or not user.is_staff
        if "segments" in self.fields:
            self.fields["segments"].queryset = Segment.objects.all()

    def primary_form_fields(self):
        # The sections below have tabs of their own.
        return [f for f in super().primary_form_fields() if f.name not in SECTION_FIELDS]

    def section(self, names):
        return [self[name] for name in names if name in self.fields]

    def segment_fields(self):
        return self.section(SEGMENT_FIELDS)

    def packaging_fields(self):
        return self.section(PACKAGING_FIELDS)

    def label_fields(self):
        return self.section(LABEL_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        # The compliance gate: a product that is (or stays) public must carry every fact
        # its rule set asks for; each missing fact is named under its own field.
        if self.instance.is_public and not self.instance.is_parent:
            errors = compliance.publishing_errors(self.instance)
            for name, messages in (errors or {}).items():
                self.add_error(name if name in self.fields else None, messages)


class StockRecordForm(oscar_forms.StockRecordForm):
    """Where a product is sold from. Prices are set in the product's "Prices and cost"
    section; the number in stock is never typed in: it is the sellable units of released
    batches, kept up to date by production_link's services."""

    class Meta(oscar_forms.StockRecordForm.Meta):
        fields = ["partner", "partner_sku", "low_stock_threshold"]


class ProductClassForm(SourceLanguageFormMixin, oscar_forms.ProductClassForm):
    english_labels = {"name_en": _("Name in English")}

    class Meta(oscar_forms.ProductClassForm.Meta):
        fields = ["name", "name_en", "requires_shipping", "track_stock", "is_food", "options"]


CategoryBaseForm = movenodeform_factory(
    Category,
    fields=[
        "name",
        "name_en",
        "slug",
        "description",
        "description_en",
        "image",
        "is_public",
        "exclude_from_menu",
        "meta_title",
        "meta_description",
    ],
    exclude=["ancestors_are_public"],
    widgets={"meta_description": forms.Textarea(attrs={"class": "no-widget-init"})},
)


class CategoryForm(SourceLanguageFormMixin, oscar_forms.SEOFormMixin, CategoryBaseForm):
    """Oscar's category form with the English name and description (the field of work
    of a workshop is a category too)."""

    english_labels = {
        "name_en": _("Name in English"),
        "description_en": _("Description in English"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave blank to generate from category name")


_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


class RupiahField(forms.DecimalField):
    """Whole rupiah. Accepts 150000, 150.000 (Indonesian grouping), 150,000 and
    "Rp150.000"; refuses sen rather than rounding them away."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.error_messages["max_decimal_places"] = _(
            "Rupiah are whole numbers: leave out the sen (e.g. 150000)."
        )
        self.error_messages["invalid"] = _("Enter an amount in rupiah, e.g. 150000 or 150.000.")

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace(" ", "")
            if text[:2].lower() == "rp":
                text = text[2:]
            if _THOUSANDS_DOT.match(text):
                text = text.replace(".", "")
            elif _THOUSANDS_COMMA.match(text):
                text = text.replace(",", "")
            value = text
        number = super().to_python(value)
        if number is not None and number == number.to_integral_value():
            number = number.quantize(Decimal("1"))
        return number

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            try:
                if value == value.to_integral_value():
                    return str(value.quantize(Decimal("1")))
            except InvalidOperation:
                pass
        return super().prepare_value(value)


class ProductPricingForm(forms.Form):
    price_online = RupiahField(
        label=_("Online price"), help_text=_("What buyers pay in the web shop, per unit.")
    )
    price_gallery = RupiahField(
        label=_("Gallery price"),
        required=False,
        help_text=_("At the Lapas gallery. Leave empty to sell at the online price."),
    )
    price_exhibition = RupiahField(
        label=_("Exhibition price"),
        required=False,
        help_text=_("At exhibitions. Leave empty to sell at the online price."),
    )
    cost_materials = RupiahField(label=_("Materials cost per unit"), required=False)
    cost_labor = RupiahField(label=_("Labour cost per unit"), required=False)
    confirm_below_cost = forms.BooleanField(
        label=_("Sell below cost"),
        required=False,
        help_text=_(
            "Tick to confirm a price below the unit cost. Your name and the time are "
            "recorded with the price."
        ),
    )

    def apply_errors(self, errors: dict):
        """Attach errors from catalog.pricing / the pricing service (by field name)."""
        for name, messages in errors.items():
            if name == "tiers":
                continue
            self.add_error(name if name in self.fields else None, messages)


class PriceTierForm(forms.Form):
    min_quantity = forms.IntegerField(
        label=_("From quantity"), min_value=pricing.MIN_TIER_QUANTITY, required=False
    )
    price = RupiahField(label=_("Unit price"), required=False)

    def clean(self):
        data = super().clean()
        quantity, price = data.get("min_quantity"), data.get("price")
        if (quantity is None) != (price is None) and not self.errors:
            raise ValidationError(
                _("Institutional tier: enter both the quantity and the unit price, or neither.")
            )
        return data


class BasePriceTierFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            quantity = form.cleaned_data.get("min_quantity")
            if quantity is None:
                continue
            if quantity in seen:
                raise ValidationError(
                    _("Institutional tiers: each quantity may appear only once (%(count)d).")
                    % {"count": quantity}
                )
            seen.add(quantity)

    def tiers(self) -> list[tuple[int, Decimal]]:
        return sorted(
            (form.cleaned_data["min_quantity"], form.cleaned_data["price"])
            for form in self.forms
            if form.cleaned_data.get("min_quantity") is not None
        )

    def apply_errors(self, errors: dict):
        self.non_form_errors().extend(errors.get("tiers", []))


PriceTierFormSet = forms.formset_factory(
    PriceTierForm, formset=BasePriceTierFormSet, extra=2, max_num=10, validate_max=True
)
