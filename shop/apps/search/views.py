"""Browse, category and search pages, served from the database (see catalog.selectors
and shop.apps.search: ranked search, typo help and facets)."""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from catalog import selectors
from production_link.insight.counters import search_note

from . import facets
from .forms import BrowseCategoryForm, CategoryForm, SearchForm

Category = get_model("catalogue", "Category")


class ProductListView(ListView):
    form_class = BrowseCategoryForm
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    redirect_on_bad_page = "catalogue:index"
    facet_exclude: tuple[str, ...] = ()

    def get(self, request, *args, **kwargs):
        self.form = self.form_class(request.GET or None)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("The given page number was invalid."))
            return redirect(self.get_bad_page_redirect())

    def get_bad_page_redirect(self):
        return self.redirect_on_bad_page

    def search_scope(self) -> dict:
        """What the page lists before any words or facets: a category, a segment."""
        return {}

    def get_queryset(self):
        self.result = selectors.product_search(
            query=self.form.query(),
            filters=self.form.filters(),
            sort=self.form.sort(),
            facet_exclude=self.facet_exclude,
            **self.search_scope(),
        )
        return self.result.products

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # The facet query counted the products already: no COUNT(*) of its own.
        paginator.__dict__["count"] = self.result.total
        return paginator

    def segment_slug(self):
        return self.form.segment_slug()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["sort_form"] = self.form
        result = self.result
        ctx["query"] = result.query
        ctx["suggestion"] = result.suggestion
        ctx["corrected_from"] = result.corrected_from
        ctx["facets"] = facets.with_links(result.facets, self.request.GET)
        ctx["chosen_facets"] = self.form.filters().chosen()
        if self.form.errors:
            ctx["filter_errors"] = True
        if "segment" in self.form.fields:
            # The segment chips above the listing, with the facet's counts.
            others = {
                k: v for k, v in self.request.GET.items() if v and k not in ("page", "segment")
            }
            ctx["segment_filter"] = {
                "segments": result.facets.by_name().get("segment"),
                "active": self.segment_slug(),
                "everyone": facets.canonical_query(others),
            }
        return ctx


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


class ProductCategoryView(ProductListView):
    form_class = CategoryForm
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_bad_page_redirect(self):
        return self.category.get_absolute_url()

    def search_scope(self):
        return {"category": self.category}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    """Oscar's name for the search page, kept so Oscar's URLs and templates find it."""

    form_class = SearchForm
    template_name = "oscar/search/results.html"
    redirect_on_bad_page = "search:search"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        result = getattr(self, "result", None)
        # Oscar's analytics (and the demand insight) record what buyers look for;
        # result_count lets a receiver single out searches that found nothing.
        user_search.send(
            sender=self,
            session=request.session,
            user=request.user,
            query=request.GET.get("q", ""),
            result_count=result.total if result is not None else None,
            corrected_query=result.query if result and result.corrected_from else None,
        )
        if result is not None:
            # Demand insight counts every search, each copy the page cache serves too
            # (shop.apps.core.page_cache notes the copies; while the page is rendered to be
            # stored, the cache notes this visitor's search as well).
            response.karya_search = (request.GET.get("q", ""), result.total)
            if not getattr(request, "karya_page_cache_render", False):
                search_note(query=request.GET.get("q", ""), result_count=result.total)
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["search_form"] = self.form
        return ctx
