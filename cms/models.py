from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from catalog.selectors import products_by_ids


class HomePage(Page):
    """The front page of Karya: a hero, a short story and products to start with."""

    hero_title = models.CharField(
        _("hero title"),
        max_length=120,
        help_text=_("The first words a visitor reads. Speak of the goods and the workshops."),
    )
    hero_text = models.TextField(
        _("hero text"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences under the title."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A wide photo of products or a workshop at work. Never show faces of inmates."),
    )
    hero_cta_text = models.CharField(
        _("button text"),
        max_length=40,
        blank=True,
        help_text=_('Leave empty for "Shop now" in the visitor\'s language.'),
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What Karya is, in a short paragraph: the programme, the workshops, PNBP."),
    )
    featured_title = models.CharField(
        _("featured products heading"),
        max_length=80,
        blank=True,
        help_text=_('Leave empty for "From the workshops" in the visitor\'s language.'),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("featured_title"), InlinePanel("featured_products", label=_("Product"))],
            heading=_("Featured products"),
        ),
    ]

    max_count = None
    subpage_types: list[str] = []
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def featured(self):
        ids = [f.product_id for f in self.featured_products.all()]
        return products_by_ids(ids)

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["featured"] = self.featured()
        return ctx


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only public products are shown to visitors."),
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured product")
