from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from oscar.core.loading import get_model

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
    return {"nav_categories": menu, "language_links": language_links(request)}


def language_links(request):
    """This page in each language: every language has its own URL (/... and /en/...)."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": name,
            "active": code == current,
            "url": translate_url(path, code),
        }
        for code, name in settings.LANGUAGES
    ]
