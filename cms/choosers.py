"""Choosers that let editors pick catalogue objects in the CMS (fields and blocks)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.chooser import ChooserViewSet


class ProductChooserViewSet(ChooserViewSet):
    """Lets editors pick a catalogue product in the CMS, with search, for any page."""

    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = gettext_lazy("Choose a product")
    choose_another_text = gettext_lazy("Choose another product")
    edit_item_text = gettext_lazy("Edit this product")
    search_fields = ["title", "upc"]
    per_page = 20


class CategoryChooserViewSet(ChooserViewSet):
    """Lets editors pick a catalogue category, e.g. for a product grid."""

    model = "catalogue.Category"
    icon = "folder-open-inverse"
    choose_one_text = gettext_lazy("Choose a category")
    choose_another_text = gettext_lazy("Choose another category")
    search_fields = ["name"]
    per_page = 30


product_chooser_viewset = ProductChooserViewSet("product_chooser")
category_chooser_viewset = CategoryChooserViewSet("category_chooser")
