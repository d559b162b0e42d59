"""StreamField blocks of the marketing site.

Products shown by blocks come with live price and availability from Oscar's strategy
(the card in templates/oscar/catalogue/partials/product.html). All product blocks of a
page are loaded together, through catalog.selectors, so a page costs the same number of
queries however many products it shows.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from catalog.selectors import products_by_ids

from .choosers import category_chooser_viewset, product_chooser_viewset

Product = get_model("catalogue", "Product")

_ProductChooserBase = product_chooser_viewset.get_block_class(
    name="_ProductChooserBase", module_path="cms.blocks"
)
CategoryChooserBlock = category_chooser_viewset.get_block_class(
    name="CategoryChooserBlock", module_path="cms.blocks"
)


class ProductChooserBlock(_ProductChooserBase):
    """The product chooser, loading every chosen product of a stream in one go with what
    its card needs (stock records, images, workshop and Lapas)."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = [v for v in values if v is not None]
        listed = {p.pk: p for p in products_by_ids(ids)}
        # A product taken off sale keeps its place in the editor; the card hides it.
        hidden = [i for i in ids if i not in listed]
        others = Product.objects.in_bulk(hidden) if hidden else {}
        return [None if v is None else listed.get(v) or others.get(v) for v in values]

    def to_python(self, value):
        return self.bulk_to_python([value])[0]


class ProductBlock(blocks.StructBlock):
    product = ProductChooserBlock(
        label=_("Product"),
        help_text=_("Price and stock are shown live from the shop; hidden once off sale."),
    )
    note = blocks.TextBlock(
        label=_("Why this product"),
        required=False,
        max_length=300,
        help_text=_("A sentence or two next to the product: how it is made, what it is for."),
    )

    class Meta:
        icon = "tag"
        label = _("Product")
        template = "cms/blocks/product_block.html"


GRID_SORTS = [
    ("newest", _("Newest first")),
    ("title-asc", _("Title A–Z")),
    ("price-asc", _("Price, low to high")),
]


class ProductGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=80,
        help_text=_("Shown above the products, e.g. “Batik for the office”."),
    )
    category = CategoryChooserBlock(
        label=_("Category"),
        required=False,
        help_text=_("Products of this category and its subcategories."),
    )
    segment = blocks.CharBlock(
        label=_("Buyer segment"),
        required=False,
        max_length=64,
        help_text=_(
            "The code of a buyer segment of the catalogue, e.g. “kantor-dan-instansi”. "
            "With a category too, products must be in both."
        ),
    )
    limit = blocks.IntegerBlock(
        label=_("Number of products"),
        default=8,
        min_value=1,
        max_value=24,
        help_text=_("At most 24."),
    )
    sort = blocks.ChoiceBlock(label=_("Order"), choices=GRID_SORTS, default="newest")

    def clean(self, value):
        value = super().clean(value)
        from .selectors import segment_exists, segment_unknown_message

        if not value.get("category") and not value.get("segment"):
            raise StructBlockValidationError(
                block_errors={
                    "category": ValidationError(_("Choose a category or enter a buyer segment."))
                }
            )
        if value.get("segment") and not segment_exists(value["segment"]):
            raise StructBlockValidationError(
                block_errors={"segment": ValidationError(segment_unknown_message(value["segment"]))}
            )
        return value

    def get_context(self, value, parent_context=None):
        from .selectors import products_for_grid

        ctx = super().get_context(value, parent_context=parent_context)
        ctx["products"] = products_for_grid(
            category=value.get("category"),
            segment_slug=value.get("segment") or "",
            limit=value.get("limit") or 8,
            sort=value.get("sort") or "newest",
        )
        return ctx

    class Meta:
        icon = "grid"
        label = _("Product grid")
        template = "cms/blocks/product_grid_block.html"


class GalleryImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=200,
        help_text=_("Optional. Say what the work or the product is, never who is pictured."),
    )


class ImageGalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=80)
    images = blocks.ListBlock(
        GalleryImageBlock(),
        label=_("Images"),
        min_num=1,
        max_num=12,
        help_text=_(
            "Photos of products, tools and workrooms. No faces of inmates, no names, no "
            "registration numbers. Give every image alt text, or mark it decorative."
        ),
    )

    class Meta:
        icon = "image"
        label = _("Image gallery")
        template = "cms/blocks/image_gallery_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"), max_length=600)
    attribution = blocks.CharBlock(
        label=_("Attribution"),
        required=False,
        max_length=120,
        help_text=_(
            "A role and place, e.g. “Head of the bakery workshop, Lapas Tangerang” or a "
            "buyer's organisation. Never an inmate's name."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=100)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    button_text = blocks.CharBlock(label=_("Button text"), max_length=40)
    page = blocks.PageChooserBlock(
        label=_("Link to a page"),
        required=False,
        help_text=_("A page of this site, e.g. the contact page. Or give a web address below."),
    )
    url = blocks.URLBlock(label=_("or a web address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give a web address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "cms/blocks/call_to_action_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]


class BodyBlock(blocks.StreamBlock):
    """What editors can put in the body of any page of the marketing site."""

    rich_text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/rich_text_block.html"
    )
    product = ProductBlock()
    product_grid = ProductGridBlock()
    gallery = ImageGalleryBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"product_grid": {"max_num": 4}}


class NewsletterButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=40)
    page = blocks.PageChooserBlock(
        label=_("Link to a page"),
        required=False,
        help_text=_("A page of this site. Or give a web address below."),
    )
    url = blocks.URLBlock(label=_("or a web address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give a web address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Button")


class NewsletterBlock(blocks.StreamBlock):
    """What an issue of the newsletter holds. E-mail programs show little of the web:
    text, products with their price and picture, and buttons (cms.newsletter renders
    them as e-mail HTML and plain text)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, icon="title")
    rich_text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul"]
    )
    product = ProductBlock()
    button = NewsletterButtonBlock()
