"""One sitemap.xml for the whole site: Wagtail pages in every language, and the
catalogue's products and categories in every language.

Every URL is built from Wagtail's Site, like canonical links, so the sitemap names the
host search engines should index.
"""

from functools import reduce
from operator import or_
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from oscar.core.loading import get_model
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from .selectors import public_base_url

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class PageSitemap(WagtailSitemap):
    """Live public pages of the site's home page and of its translations (the English
    tree is a sibling of the Indonesian one, not below it)."""

    def items(self):
        site = self.get_wagtail_site()
        roots = list(site.root_page.get_translations(inclusive=True))
        in_trees = reduce(or_, [Q(path__startswith=root.path) for root in roots])
        return (
            Page.objects.filter(in_trees)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


class CatalogueSitemap(DjangoSitemap):
    """Catalogue URLs in each language (/… and /en/…), with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, request=None):
        self.request = request

    def get_protocol(self, protocol=None):
        return urlsplit(public_base_url(self.request)).scheme

    def get_domain(self, site=None):
        return urlsplit(public_base_url(self.request)).netloc

    def location(self, item):
        return item.get_absolute_url()


class ProductSitemap(CatalogueSitemap):
    changefreq = "weekly"

    def items(self):
        return Product.objects.browsable().order_by("pk").only("pk", "slug", "date_updated")

    def lastmod(self, item):
        return item.date_updated


class CategorySitemap(CatalogueSitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.browsable().order_by("path")


def sitemap(request):
    sitemaps = {
        "pages": PageSitemap(request),
        "products": ProductSitemap(request),
        "categories": CategorySitemap(request),
    }
    return sitemap_views.sitemap(request, sitemaps)
