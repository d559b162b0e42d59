from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page

from cms import selectors as cms_selectors


def navigation(request):
    """Header navigation shared by Wagtail and Oscar pages: one theme, one menu. Kept in
    the shared cache (cms.selectors.navigation): it is on every page and changes only
    when staff change categories, segments or pages."""
    menu = cms_selectors.navigation(request=request, language_code=get_language())
    return {
        "nav_categories": menu["categories"],
        "nav_segments": menu["segments"],
        "nav_sections": menu["sections"],
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
