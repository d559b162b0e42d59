"""Pages of the marketing site, the contact inquiries and the newsletter subscribers.

Page models keep to fields, panels and small query methods feeding ``get_context``; the
queries themselves live in cms.selectors, the writes in cms.services.

Karya stores no personal data about inmates: pages tell the story of a workshop and its
skills, never of a person. The help texts say so wherever an editor writes or uploads.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction

from catalog.selectors import products_by_ids

from . import selectors
from .blocks import BodyBlock

NO_PERSONAL_DATA = _(
    "Tell the story of the workshop and its skills, never of a person: no names, faces, "
    "registration numbers, sentences or other personal data of inmates."
)
IMAGE_HELP = _(
    "Products, tools, workrooms or buildings. Never faces or other features by which an "
    "inmate could be recognised. The image's description is its alt text."
)
INTRO_FEATURES = ["bold", "italic", "link"]


def body_field(help_text=None):
    return StreamField(
        BodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=help_text
        or _("Text, products, product grids, galleries, quotes and calls to action, in any order."),
    )


class KaryaPageMixin:
    """What every page of the marketing site shares: breadcrumbs, SEO and sharing data,
    and sitemap entries that name the page's other language versions."""

    def social_image(self):
        """The picture for link previews (OpenGraph, Twitter) and listings."""
        return None

    def summary(self) -> str:
        return self.search_description

    def jsonld(self, request) -> list[dict]:
        """JSON-LD objects for this page; pages add their own (an event, the organisation)."""
        from .seo import breadcrumb_jsonld

        return [breadcrumb_jsonld(self, request)] if self.depth > 2 else []

    def get_context(self, request, *args, **kwargs):
        from .seo import page_seo

        ctx = super().get_context(request, *args, **kwargs)
        ctx["breadcrumbs"] = selectors.page_breadcrumbs(self)
        ctx["seo"] = page_seo(self, request)
        ctx["jsonld"] = self.jsonld(request)
        return ctx

    def get_sitemap_urls(self, request=None):
        from .seo import page_sitemap_urls

        return page_sitemap_urls(self, request)

    def route(self, request, path_components):
        # Wagtail walks the path one slug at a time, two queries per level; the page
        # at the end of the path is found by its url_path in one (cms.selectors).
        if not path_components:
            return super().route(request, path_components)
        page = selectors.descendant_for_path(self, path_components)
        if page is None:
            raise Http404
        return page.route(request, [])

    def get_view_restrictions(self):
        # Asked on every page view; most pages are under no restriction, which the
        # cached list of restricted paths tells without a query.
        if not selectors.is_under_restriction(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- Home


class HomePage(KaryaPageMixin, Page):
    """The front page of Karya: a hero, a short story, products, segments, exhibitions,
    news and the programme's figures."""

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
    segments_title = models.CharField(
        _("segments heading"),
        max_length=80,
        blank=True,
        help_text=_(
            'Leave empty for "Shop for…" in the visitor\'s language. The segment pages '
            "under this page are listed below it."
        ),
    )
    show_impact = models.BooleanField(
        _("show the programme in figures"),
        default=True,
        help_text=_(
            "Products sold, workshops and Lapas taking part, and more, counted by the shop "
            "itself and refreshed every few minutes."
        ),
    )
    body = body_field(
        _("More sections after the stories, exhibitions and news: text, products, calls to action.")
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
        FieldPanel("segments_title"),
        FieldPanel("show_impact"),
        FieldPanel("body"),
    ]

    max_count = None
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.SegmentPage",
        "cms.LapasIndexPage",
        "cms.ExhibitionIndexPage",
        "cms.NewsIndexPage",
        "cms.ImpactPage",
        "cms.ContactPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def featured(self):
        ids = [f.product_id for f in self.featured_products.all()]
        return products_by_ids(ids)

    def social_image(self):
        return self.hero_image

    def summary(self):
        return self.search_description or self.hero_text

    def jsonld(self, request):
        from .seo import organization_jsonld

        return [organization_jsonld(request)]

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["featured"] = self.featured()
        ctx.update(selectors.home_sections(home=self))
        ctx["impact"] = selectors.impact_figures() if self.show_impact else None
        return ctx

    def sections(self) -> dict:
        """The pages the home page leads to; cms.selectors.home_sections caches them."""
        locale = self.locale_id
        return {
            "segments": selectors.segment_pages(locale=locale),
            "stories": selectors.workshop_stories(locale=locale, limit=3),
            "exhibitions": selectors.exhibitions_upcoming(locale=locale, limit=3),
            "exhibition_index": selectors.first_page_of_type(ExhibitionIndexPage, locale),
            "articles": selectors.articles_latest(locale=locale, limit=3),
            "news_index": selectors.first_page_of_type(NewsIndexPage, locale),
            "impact_page": selectors.first_page_of_type(ImpactPage, locale),
        }


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


# --- Segments


class SegmentPage(KaryaPageMixin, Page):
    """A landing page for one buyer segment (households, offices and institutions,
    souvenir buyers…): copy written for them and the products that suit them."""

    segment_slug = models.SlugField(
        _("buyer segment"),
        max_length=64,
        blank=True,
        help_text=_(
            "The code of the catalogue's buyer segment this page is for, e.g. "
            "“kantor-dan-instansi” (see Catalogue → Buyer segments in the dashboard). Its "
            "products are listed, and the header menu links the segment to this page."
        ),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional: only products of this category (and its subcategories). With a "
            "segment too, products must be in both."
        ),
    )
    intro = models.TextField(
        _("introduction"),
        max_length=500,
        help_text=_("Who this page is for and what Karya offers them, in two or three sentences."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=IMAGE_HELP,
    )
    products_title = models.CharField(
        _("products heading"),
        max_length=80,
        blank=True,
        help_text=_('Leave empty for "Products for you" in the visitor\'s language.'),
    )
    product_limit = models.PositiveSmallIntegerField(
        _("number of products"),
        default=12,
        help_text=_("How many products to list, at most 24."),
    )
    body = body_field()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                FieldPanel("segment_slug"),
                FieldPanel("category"),
                FieldRowPanel([FieldPanel("products_title"), FieldPanel("product_limit")]),
            ],
            heading=_("Products"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("segment landing page")

    def clean(self):
        super().clean()
        errors = {}
        if self.product_limit and self.product_limit > 24:
            errors["product_limit"] = _("Show at most 24 products.")
        if not self.segment_slug and not self.category_id:
            errors["segment_slug"] = _("Give a buyer segment or a category, or both.")
        elif self.segment_slug and not selectors.segment_exists(self.segment_slug):
            errors["segment_slug"] = selectors.segment_unknown_message(self.segment_slug)
        if errors:
            raise ValidationError(errors)

    def social_image(self):
        return self.hero_image

    def summary(self):
        return self.search_description or self.intro

    def products(self):
        return selectors.products_for_grid(
            category=self.category,
            segment_slug=self.segment_slug,
            limit=min(self.product_limit or 12, 24),
        )

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["products"] = self.products()
        return ctx


# --- Lapas and workshop stories


class LapasIndexPage(KaryaPageMixin, Page):
    """Lists the Lapas pages: where the goods come from."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=INTRO_FEATURES,
        help_text=_("A short word on the workshops programme (pembinaan kemandirian)."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.LapasPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Lapas index page")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["lapas_pages"] = selectors.children_of_type(self, LapasPage)
        return ctx


class LapasPage(KaryaPageMixin, Page):
    """One Lapas: its workshops (each with its story page) and the goods they make."""

    lapas = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Lapas"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The Lapas this page is about; its workshops and products are listed."),
    )
    intro = models.TextField(
        _("introduction"),
        max_length=600,
        help_text=format_lazy(
            "{} {}",
            _("Where the Lapas is and which trades its workshops practise."),
            NO_PERSONAL_DATA,
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=IMAGE_HELP,
    )
    body = body_field(NO_PERSONAL_DATA)

    content_panels = Page.content_panels + [
        FieldPanel("lapas"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.LapasIndexPage"]
    subpage_types = ["cms.WorkshopStoryPage"]

    class Meta:
        verbose_name = _("Lapas page")

    def social_image(self):
        return self.image

    def summary(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["workshops"] = selectors.lapas_workshops(lapas=self.lapas, page=self)
        ctx["products"] = selectors.lapas_products(lapas=self.lapas, limit=8)
        return ctx


class WorkshopStoryPage(KaryaPageMixin, Page):
    """The story of one workshop: its trade, the skills trained, its certifications and
    the products it makes. Never the story of a person."""

    workshop = models.ForeignKey(
        "production_link.Workshop",
        verbose_name=_("workshop"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The workshop (bengkel kerja); its skills and products are shown."),
    )
    intro = models.TextField(
        _("introduction"),
        max_length=600,
        help_text=format_lazy(
            "{} {}", _("What the workshop makes and how, in a few sentences."), NO_PERSONAL_DATA
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=IMAGE_HELP,
    )
    certifications = models.TextField(
        _("certifications"),
        blank=True,
        help_text=_(
            "One per line, e.g. “P-IRT 2063671010115-27” or “Halal certificate ID00110000123”. "
            "Only certificates the workshop really holds."
        ),
    )
    body = body_field(NO_PERSONAL_DATA)

    content_panels = Page.content_panels + [
        FieldPanel("workshop"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("certifications"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.LapasPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("workshop story page")

    def social_image(self):
        return self.image

    def summary(self):
        return self.search_description or self.intro

    @property
    def certification_list(self):
        return [line.strip() for line in self.certifications.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        # The workshop with its Lapas and field of work in one query, not three.
        self.workshop = selectors.workshop_for_page(self.workshop_id)
        ctx["products"] = selectors.workshop_products(workshop=self.workshop, limit=12)
        return ctx


# --- Exhibitions


class ExhibitionIndexPage(KaryaPageMixin, Page):
    """Upcoming and past exhibitions (pameran) where Karya's goods are sold in person."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=INTRO_FEATURES,
        help_text=_("A sentence on where to meet the workshops' goods in person."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ExhibitionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("exhibition index page")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["upcoming"] = selectors.exhibitions_upcoming(locale=self.locale_id, parent=self)
        ctx["past"] = selectors.exhibitions_past(locale=self.locale_id, parent=self, limit=24)
        return ctx


class ExhibitionPage(KaryaPageMixin, Page):
    """One exhibition or fair: where, when, and what will be on sale."""

    venue = models.CharField(
        _("venue"),
        max_length=160,
        help_text=_("The place, e.g. “Jakarta Convention Center, Hall B”."),
    )
    address = models.CharField(
        _("street address"), max_length=200, blank=True, help_text=_("Street and number.")
    )
    city = models.CharField(_("city"), max_length=80, help_text=_("e.g. “Jakarta Pusat”."))
    start_date = models.DateField(_("first day"), help_text=_("The day the exhibition opens."))
    end_date = models.DateField(
        _("last day"), help_text=_("The last day; the same as the first for a one-day event.")
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=120,
        blank=True,
        help_text=_("e.g. “09.00–21.00 WIB”."),
    )
    map_url = models.URLField(
        _("map link"),
        blank=True,
        help_text=_("A link to the venue on a map, e.g. on OpenStreetMap or Google Maps."),
    )
    intro = models.TextField(
        _("introduction"),
        max_length=600,
        help_text=_("What visitors will find at the booth, in a few sentences."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=IMAGE_HELP,
    )
    body = body_field()
    pos_location = models.ForeignKey(
        "pos.PosLocation",
        verbose_name=_("point-of-sale location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exhibition_pages",
        help_text=_("The booth's sales location in the point of sale, if Karya sells there."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("opening_hours"),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("address"), FieldPanel("city")]),
                FieldPanel("map_url"),
                FieldPanel("pos_location"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        InlinePanel(
            "featured_products",
            label=_("Product on show"),
            heading=_("Products on show"),
            help_text=_("Goods that will be on sale at the booth; prices are shown live."),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.ExhibitionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("exhibition page")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def is_past(self) -> bool:
        return self.end_date < timezone.localdate()

    def social_image(self):
        return self.image

    def summary(self):
        return self.search_description or self.intro

    def featured(self):
        ids = [f.product_id for f in self.featured_products.all()]
        return products_by_ids(ids)

    def jsonld(self, request):
        from .seo import event_jsonld

        return super().jsonld(request) + [event_jsonld(self, request)]

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["featured"] = self.featured()
        return ctx


class ExhibitionFeaturedProduct(Orderable):
    page = ParentalKey(ExhibitionPage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only public products are shown to visitors."),
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("product on show")


# --- News


class NewsIndexPage(KaryaPageMixin, Page):
    intro = RichTextField(
        _("introduction"), blank=True, features=INTRO_FEATURES, help_text=_("Optional.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1
    articles_per_page = 12

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["articles"] = selectors.articles_page(
            parent=self, page_number=request.GET.get("page"), per_page=self.articles_per_page
        )
        return ctx


class ArticlePage(KaryaPageMixin, Page):
    date = models.DateField(
        _("date"),
        default=datetime.date.today,
        help_text=_("The publication date shown on the article; news is listed newest first."),
    )
    intro = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences, shown in listings and link previews."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=IMAGE_HELP,
    )
    body = body_field(NO_PERSONAL_DATA)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")

    def social_image(self):
        return self.image

    def summary(self):
        return self.search_description or self.intro

    def jsonld(self, request):
        from .seo import article_jsonld

        return super().jsonld(request) + [article_jsonld(self, request)]


# --- Impact


class ImpactPage(KaryaPageMixin, Page):
    """The programme in figures, counted by the shop itself."""

    intro = models.TextField(
        _("introduction"),
        max_length=600,
        help_text=_("What the figures below count, and why they matter."),
    )
    body = body_field()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("impact page")

    def summary(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["impact"] = selectors.impact_figures()
        return ctx


# --- Contact


class ContactPage(KaryaPageMixin, Page):
    """Contact for institutional buyers (offices, schools, companies): an inquiry form,
    stored and e-mailed to staff."""

    intro = models.TextField(
        _("introduction"),
        max_length=800,
        help_text=_("Who should write, about what: bulk orders, catering, uniforms, furniture."),
    )
    to_address = models.CharField(
        _("send inquiries to"),
        max_length=400,
        help_text=_(
            "E-mail addresses of the staff who answer, separated by commas. Every inquiry "
            "is also kept under Inquiries in the CMS."
        ),
    )
    thank_you_text = models.TextField(
        _("thank-you text"),
        max_length=600,
        blank=True,
        help_text=_(
            'Shown after sending. Leave empty for "Thank you, we will answer within two '
            "working days.\" in the visitor's language."
        ),
    )
    body = body_field(_("Optional: addresses, opening hours, a map link."))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("to_address"),
        FieldPanel("thank_you_text"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")

    def clean(self):
        super().clean()
        from django.core.validators import validate_email

        addresses = [a.strip() for a in self.to_address.split(",") if a.strip()]
        if not addresses:
            raise ValidationError({"to_address": _("Give at least one e-mail address.")})
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError as exc:
                raise ValidationError(
                    {"to_address": _("“%(value)s” is not an e-mail address.") % {"value": address}}
                ) from exc

    def summary(self):
        return self.search_description or self.intro

    def recipients(self) -> list[str]:
        return [a.strip() for a in self.to_address.split(",") if a.strip()]

    def serve(self, request, *args, **kwargs):
        from .forms import InquiryForm
        from .services import inquiry_create

        if request.method == "POST":
            form = InquiryForm(request.POST, request=request)
            if form.is_valid():
                if not form.is_spam:
                    data = {k: form.cleaned_data[k] for k in Inquiry.FORM_FIELDS}
                    inquiry_create(page=self, language=request.LANGUAGE_CODE, **data)
                # Post/redirect/get: reloading the thank-you page sends nothing twice.
                return redirect(self.get_url(request) + "?sent=1")
        else:
            form = InquiryForm(request=request)
        ctx = self.get_context(request, *args, **kwargs)
        ctx["form"] = form
        ctx["sent"] = request.method == "GET" and request.GET.get("sent") == "1"
        return TemplateResponse(request, self.get_template(request), ctx)


class Inquiry(models.Model):
    """A message from an institutional buyer, sent with the contact page's form.

    Buyer data is personal data (UU 27/2022): the form asks only what an answer needs.
    """

    class Topic(models.TextChoices):
        BULK_ORDER = "bulk_order", _("A large order of goods")
        UNIFORMS = "uniforms", _("Uniforms or clothing")
        FURNITURE = "furniture", _("Furniture for an office or school")
        CATERING = "catering", _("Catering or other services")
        PARTNERSHIP = "partnership", _("Partnership or exhibition")
        OTHER = "other", _("Something else")

    FORM_FIELDS = ("organisation", "name", "email", "phone", "topic", "quantity", "message")

    page = models.ForeignKey(
        ContactPage,
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    quantity = models.CharField(_("quantity or budget"), max_length=120, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    notified_at = models.DateTimeField(
        _("staff notified"),
        null=True,
        blank=True,
        help_text=_("When the e-mail to staff was sent; empty while it is queued."),
    )

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ("-created_at",)

    def __str__(self):
        return f"{self.organisation} ({self.created_at:%Y-%m-%d})"


# --- Newsletter


class Subscriber(models.Model):
    """A newsletter address. Only a click on the confirmation link makes it confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ("-created_at",)
        constraints = [
            # The database itself refuses a confirmed row without a confirmation time.
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="subscriber_confirmed_has_time",
            )
        ]

    def __str__(self):
        return self.email


# --- Newsletter issues (campaigns)


def _newsletter_body(help_text):
    from .blocks import NewsletterBlock

    return StreamField(NewsletterBlock(), verbose_name=_("body"), blank=True, help_text=help_text)


class NewsletterIssue(models.Model):
    """One issue of the newsletter: composed by an editor, tried on their own address,
    then sent once to every confirmed subscriber, in their language (cms.newsletter)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    slug = models.SlugField(
        _("campaign code"),
        max_length=60,
        unique=True,
        help_text=_(
            "Short and unique, e.g. “lebaran-2026”. Links in the e-mail carry it "
            "(utm_campaign), so the campaign report counts the orders it brought."
        ),
    )
    subject = models.CharField(_("subject (Indonesian)"), max_length=150)
    body = _newsletter_body(_("The Indonesian issue: text, products and buttons."))
    subject_en = models.CharField(
        _("subject (English)"),
        max_length=150,
        blank=True,
        help_text=_("Subscribers who chose English get the English issue when it has one."),
    )
    body_en = _newsletter_body(_("The English issue. Leave empty to send Indonesian to all."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    test_sent_at = models.DateTimeField(_("last test sent"), null=True, editable=False)
    send_started_at = models.DateTimeField(_("sending started"), null=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        editable=False,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    panels = [
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("body")], heading=_("Bahasa Indonesia")),
        MultiFieldPanel([FieldPanel("subject_en"), FieldPanel("body_en")], heading=_("English")),
    ]

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ("-created_at",)
        permissions = [("send_newsletterissue", "Can send a newsletter issue to subscribers")]

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if self.pk and self.status != self.Status.DRAFT:
            raise ValidationError(_("This issue has been sent and can no longer be changed."))

    def version_for(self, language: str) -> tuple[str, object]:
        """(subject, body) a subscriber reading `language` gets."""
        if language == "en" and self.subject_en and self.body_en:
            return self.subject_en, self.body_en
        return self.subject, self.body


class NewsletterDelivery(models.Model):
    """One issue to one subscriber: the send log. The unique pair is what makes a retried
    or doubled send mail nobody twice; a row is claimed (pending → sending) before its
    e-mail goes out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")

    issue = models.ForeignKey(NewsletterIssue, related_name="deliveries", on_delete=models.CASCADE)
    # Deleting a subscriber (their data) deletes their rows of the log too.
    subscriber = models.ForeignKey(Subscriber, related_name="deliveries", on_delete=models.CASCADE)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once")
        ]
        indexes = [models.Index(fields=["issue", "status"], name="newsletter_delivery_status")]
