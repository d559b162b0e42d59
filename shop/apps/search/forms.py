from django import forms
from django.utils.translation import gettext_lazy as _

from catalog import selectors

from . import facets


class SearchInput(forms.TextInput):
    input_type = "search"


class SortForm(forms.Form):
    SORT_CHOICES = [
        (selectors.SORT_NEWEST, _("Newest")),
        (selectors.SORT_PRICE_ASC, _("Price, low to high")),
        (selectors.SORT_PRICE_DESC, _("Price, high to low")),
        (selectors.SORT_TITLE, _("Name, A to Z")),
    ]
    sort_by = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, initial=selectors.SORT_NEWEST
    )

    def sort(self):
        if self.is_valid() and self.cleaned_data.get("sort_by"):
            return self.cleaned_data["sort_by"]
        return self.default_sort

    default_sort = selectors.SORT_NEWEST


def _value(form, name):
    """A field's value if it was understood; a field in error is left out (the form's
    errors say so) and the other choices still apply."""
    form.is_valid()
    return getattr(form, "cleaned_data", {}).get(name) if name not in form.errors else None


class FacetFormMixin(forms.Form):
    """Words and facets every listing understands (shop.apps.search.facets): the
    listings' ``?q=`` searches within them, as /search/ does."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=SearchInput(
            attrs={"placeholder": _("Search products, workshops, Lapas"), "class": "form-control"}
        ),
    )
    category = forms.SlugField(label=_("Category"), required=False, max_length=128)
    lapas = forms.SlugField(label=_("Lapas"), required=False, max_length=128)
    province = forms.CharField(label=_("Province"), required=False, max_length=64)
    segment = forms.SlugField(label=_("Buyer segment"), required=False, max_length=128)
    price = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", "")] + [(k, k) for k in facets.PRICE_KEYS],
    )
    halal = forms.ChoiceField(label=_("Halal"), required=False, choices=[("", ""), ("1", "1")])
    food = forms.ChoiceField(
        label=_("Food or goods"), required=False, choices=[("", ""), ("1", "1"), ("0", "0")]
    )
    in_stock = forms.ChoiceField(
        label=_("In stock"), required=False, choices=[("", ""), ("1", "1")]
    )

    def query(self) -> str:
        return (_value(self, "q") or "").strip()

    def filters(self) -> facets.Filters:
        food = _value(self, "food")
        return facets.Filters(
            category=_value(self, "category") or None,
            lapas=_value(self, "lapas") or None,
            province=(_value(self, "province") or "").strip() or None,
            segment=_value(self, "segment") or None,
            price=_value(self, "price") or None,
            halal=_value(self, "halal") == "1",
            food=None if not food else food == "1",
            in_stock=_value(self, "in_stock") == "1",
        )

    def segment_slug(self):
        return _value(self, "segment") or None

    def sort(self):
        chosen = _value(self, "sort_by")
        if chosen:
            return chosen
        return selectors.SORT_RELEVANCE if self.query() else self.default_sort


class SegmentForm(FacetFormMixin, SortForm):
    segment = None  # the page is the segment


class BrowseCategoryForm(FacetFormMixin, SortForm):
    pass


class CategoryForm(FacetFormMixin, SortForm):
    pass


class SearchForm(FacetFormMixin, SortForm):
    SORT_CHOICES = [(selectors.SORT_RELEVANCE, _("Relevance"))] + SortForm.SORT_CHOICES
    default_sort = selectors.SORT_RELEVANCE

    sort_by = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
