from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet


class ProductChooserViewSet(ChooserViewSet):
    """Lets editors pick a catalogue product in the CMS, with search, for any page."""

    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit this product")
    search_fields = ["title", "upc"]
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("product_chooser")
