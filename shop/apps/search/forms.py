from django import forms
from django.utils.translation import gettext_lazy as _

from catalog import selectors


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


class SegmentFilterMixin(forms.Form):
    """``?segment=<slug>`` narrows a listing to the products aimed at one buyer segment;
    an unknown slug simply matches nothing."""

    segment = forms.SlugField(label=_("Buyer segment"), required=False, max_length=128)

    def segment_slug(self):
        if self.is_valid():
            return self.cleaned_data.get("segment") or None
        return None


class SegmentForm(SortForm):
    pass


class BrowseCategoryForm(SegmentFilterMixin, SortForm):
    pass


class CategoryForm(SegmentFilterMixin, SortForm):
    pass


class SearchForm(SegmentFilterMixin, SortForm):
    SORT_CHOICES = [(selectors.SORT_RELEVANCE, _("Relevance"))] + SortForm.SORT_CHOICES
    default_sort = selectors.SORT_RELEVANCE

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=SearchInput(
            attrs={"placeholder": _("Search products, workshops, Lapas"), "class": "form-control"}
        ),
    )
    sort_by = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def query(self):
        if self.is_valid():
            return self.cleaned_data.get("q", "").strip()
        return ""
