"""Search engines and link previews: canonical URLs, OpenGraph/Twitter data, JSON-LD
(organisation, events, articles, breadcrumbs) and sitemap entries with language versions.

Absolute URLs are built from Wagtail's Site (cms.selectors.public_base_url), so
canonical links, the sitemap and e-mails name the same host.
"""

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import get_language

from .selectors import public_base_url

OG_LOCALES = {"id": "id_ID", "en": "en_US"}
SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"


def absolute(request, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return public_base_url(request) + url


def social_image_url(image, request) -> str:
    if image is None:
        return absolute(request, static("img/karya-mark.svg"))
    return absolute(request, image.get_rendition(SOCIAL_IMAGE_SPEC).url)


def page_seo(page, request) -> dict:
    """What the head of a Wagtail page needs for canonical and sharing tags."""
    image = page.social_image()
    return {
        "title": page.seo_title or page.title,
        "description": page.summary() or "",
        "canonical": page.get_full_url(request),
        "image": social_image_url(image, request) if image is not None else "",
        "image_alt": image.default_alt_text if image is not None else "",
        "type": "article" if page.specific_class.__name__ == "ArticlePage" else "website",
    }


def organization_jsonld(request) -> dict:
    base = public_base_url(request)
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": settings.OSCAR_SHOP_NAME,
        "url": base + "/",
        "logo": absolute(request, static("img/karya-mark.svg")),
        "description": str(settings.OSCAR_SHOP_TAGLINE),
    }


def breadcrumb_jsonld(page, request) -> dict:
    from .selectors import page_breadcrumbs

    trail = [*page_breadcrumbs(page), page]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def event_jsonld(page, request) -> dict:
    location = {
        "@type": "Place",
        "name": page.venue,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": page.city,
            "addressCountry": "ID",
            **({"streetAddress": page.address} if page.address else {}),
        },
    }
    if page.map_url:
        location["hasMap"] = page.map_url
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.summary(),
        "startDate": page.start_date.isoformat(),
        "endDate": page.end_date.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "url": page.get_full_url(request),
        "inLanguage": page.locale.language_code,
        "organizer": {
            "@type": "Organization",
            "name": settings.OSCAR_SHOP_NAME,
            "url": public_base_url(request) + "/",
        },
    }
    if page.image is not None:
        data["image"] = [social_image_url(page.image, request)]
    return data


def article_jsonld(page, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.summary(),
        "datePublished": page.date.isoformat(),
        "inLanguage": page.locale.language_code,
        "mainEntityOfPage": page.get_full_url(request),
        "publisher": {"@type": "Organization", "name": settings.OSCAR_SHOP_NAME},
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.image is not None:
        data["image"] = [social_image_url(page.image, request)]
    return data


def page_sitemap_urls(page, request) -> list[dict]:
    """The page's sitemap entry, naming its published versions in the other languages
    (hreflang), so search engines show each visitor their language."""
    translations = list(page.get_translations(inclusive=True).live().select_related("locale"))
    alternates = [
        {"lang_code": t.locale.language_code, "location": t.get_full_url(request)}
        for t in translations
    ]
    entry = {
        "location": page.get_full_url(request),
        "lastmod": page.last_published_at or page.latest_revision_created_at,
    }
    if len(alternates) > 1:
        entry["alternates"] = alternates
    return [entry]


def og_locale() -> str:
    return OG_LOCALES.get(get_language() or settings.LANGUAGE_CODE, "id_ID")
