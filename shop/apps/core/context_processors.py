from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from oscar.core.loading import get_model
from wagtail.models import Page

from cms import selectors as cms_selectors

Category = get_model("catalogue", "Category")


def navigation(request):
    """Header navigation shared by Wagtail and Oscar pages: one theme, one menu."""
    categories = list(
        Category.objects.browsable().filter(depth__lte=2, exclude_from_menu=False).order_by("path")
    )
    top, children = [], {}
    for category in categories:
        if category.depth == 1:
            top.append(category)
        else:
            children.setdefault(category.path[: Category.steplen], []).append(category)
    menu = [{"category": c, "children": children.get(c.path, [])} for c in top]
    # Segment landing pages and the site's sections, from the CMS (cms.selectors).
    pages = cms_selectors.nav_pages(request=request, language_code=get_language())
    return {
        "nav_categories": menu,
        "nav_segments": pages["segments"],
        "nav_sections": pages["sections"],
        "language_links": language_links(request),
    }


def language_links(request):
    """This page in each language: every language has its own URL (/... and /en/...).

    A Wagtail page links to its translation (its slug may differ), or to the home page
    of a language it is not translated into; other pages to the same path in the other
    language.
    """
    page = _wagtail_page(request)
    if page is not None:
        return cms_selectors.page_language_links(page=page, request=request)
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": name,
            "active": code == current,
            "url": translate_url(path, code),
            "is_translation": True,
        }
        for code, name in settings.LANGUAGES
    ]


def _wagtail_page(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return None
    # Wagtail has already routed this request; the route is cached on the request.
    path = match.args[0] if match.args else match.kwargs.get("path", "")
    return Page.find_for_request(request, path)
