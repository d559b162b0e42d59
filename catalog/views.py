"""Storefront views of the catalogue: the product page (label facts, tiers, JSON-LD)
and the listing page of a buyer segment. Browse, category and search listings live in
shop.apps.search.views."""

from django.shortcuts import get_object_or_404
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class, get_model

from shop.apps.core import page_cache

from . import compliance, product_views, selectors

Segment = get_model("catalogue", "Segment")
ProductListView = get_class("search.views", "ProductListView")
SegmentForm = get_class("search.forms", "SegmentForm")
CatalogueView = get_class("search.views", "CatalogueView")
ProductCategoryView = get_class("search.views", "ProductCategoryView")


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return selectors.product_detail_queryset()

    def is_viewable(self, product, request):
        # Staff of the product's own Lapas may preview it before it is published.
        if super().is_viewable(product, request):
            return True
        lapas = product.lapas
        user = request.user
        return bool(
            lapas is not None and user.is_authenticated and lapas.users.filter(pk=user.pk).exists()
        )

    def send_signal(self, request, response, product):
        # In place of Oscar's product_viewed receivers (an analytics write inside the request
        # and the recently-viewed cookie): the view is counted off the request path, and a
        # page rendered to be cached leaves that to the page cache, which does it for every
        # visitor a copy is served to.
        if page_cache.product_page_viewed(request, product.pk):
            product_views.product_viewed(request, response, product.pk)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = self.object
        purchase_info = None
        if not product.is_parent:
            purchase_info = self.request.strategy.fetch_for_product(product)
        ctx["segments"] = list(product.segments.all())
        # Oscar's breadcrumb (product.get_categories.first) queries twice; the categories
        # are prefetched and the trail above the first one is in the shared cache.
        first = min(product.categories.all(), key=lambda c: c.path, default=None)
        ctx["category_trail"] = selectors.category_trail(first) if first else []
        ctx["lapas_place"] = selectors.lapas_place(product.lapas) if product.lapas else {}
        ctx["price_tiers"] = list(product.price_tiers.all())
        ctx["json_ld"] = selectors.json_ld_script(
            selectors.product_json_ld(product, purchase_info=purchase_info, request=self.request)
        )
        if not product.is_public:
            # Shown to the staff who may preview it: why buyers cannot see it yet.
            ctx["missing_facts"] = compliance.missing_facts(product)
        return ctx


class SegmentView(ProductListView):
    """All products aimed at one buyer segment."""

    form_class = SegmentForm
    template_name = "oscar/catalogue/segment.html"
    facet_exclude = ("segment",)

    def get(self, request, *args, **kwargs):
        self.segment = get_object_or_404(Segment, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_bad_page_redirect(self):
        return self.segment.get_absolute_url()

    def search_scope(self):
        return {"segment": self.segment}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["segment"] = self.segment
        ctx["summary"] = self.segment.name
        return ctx


__all__ = ["CatalogueView", "ProductCategoryView", "ProductDetailView", "SegmentView"]
