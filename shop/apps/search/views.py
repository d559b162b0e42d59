"""Browse, category and search pages, served from the database (see catalog.selectors)."""

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

from .forms import BrowseCategoryForm, CategoryForm, SearchForm

Category = get_model("catalogue", "Category")


class ProductListView(ListView):
    form_class = BrowseCategoryForm
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    redirect_on_bad_page = "catalogue:index"

    def get(self, request, *args, **kwargs):
        self.form = self.form_class(request.GET or None)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("The given page number was invalid."))
            return redirect(self.get_bad_page_redirect())

    def get_bad_page_redirect(self):
        return self.redirect_on_bad_page

    def get_queryset(self):
        return selectors.product_list(segment=self.segment_slug(), sort=self.form.sort())

    def segment_slug(self):
        return getattr(self.form, "segment_slug", lambda: None)()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["sort_form"] = self.form
        if "segment" in self.form.fields:
            # The segment chips above the listing: one query, whatever the page shows.
            ctx["segment_filter"] = {
                "segments": selectors.segments_cached(),
                "active": self.segment_slug(),
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

    def get_queryset(self):
        return selectors.product_list(
            category=self.category, segment=self.segment_slug(), sort=self.form.sort()
        )

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
        user_search.send(
            sender=self,
            session=request.session,
            user=request.user,
            query=request.GET.get("q", ""),
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.product_list(
            query=self.form.query(), segment=self.segment_slug(), sort=self.form.sort()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.form.query()
        ctx["search_form"] = self.form
        return ctx
