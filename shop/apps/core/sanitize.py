"""The one allow-list for HTML that users write (product and category descriptions, offer,
range and shipping descriptions, flat pages).

HTML is cleaned twice: when it is saved (``sanitize_saved_html``, connected for every field in
``RICH_TEXT_FIELDS``) and when it is rendered (the ``|sanitize`` template filter in place of
Django's safe filter). Cleaning on save keeps the stored text harmless for every reader, Oscar's own
templates and the API included; cleaning on render protects the page from rows written before
this module existed or by a writer that bypasses ``save()`` (bulk loads, raw SQL).

nh3 is the binding to Ammonia (Rust), the maintained successor to bleach: it parses as a browser
does, so tricks with broken markup do not slip through.

Wagtail's rich text (RichTextField, RichTextBlock) is not listed: Wagtail converts it through
the editor's own allow-list (its contentstate converter's whitelister) when an editor saves, and
``|richtext`` only rewrites its link and embed placeholders.
"""

from __future__ import annotations

import nh3
from django.apps import apps
from django.db.models.signals import pre_save
from django.utils.safestring import SafeString, mark_safe

# What TinyMCE in Oscar's dashboard produces for a description, less anything that runs,
# loads or restyles: no script, style, iframe, img, form or event attributes, no style
# attribute, no classes.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# No javascript:, data: or vbscript: links.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Links users write are not endorsed by the shop and must not reach back into the opener.
LINK_REL = "noopener noreferrer nofollow"

# Every model field that stores user-written HTML, as "app_label.ModelName": (field, ...).
RICH_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "catalogue.Product": ("description",),
    "catalogue.Category": ("description",),
    "offer.ConditionalOffer": ("description",),
    "offer.Range": ("description",),
    "shipping.WeightBased": ("description",),
    "flatpages.FlatPage": ("content",),
}


def sanitize_html(value: str | None) -> str:
    """The HTML with everything outside the allow-list removed (text is kept, escaped)."""
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def sanitized(value: str | None) -> SafeString:
    """Sanitised HTML marked safe for a template (what the ``|sanitize`` filter returns)."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - cleaned by the allow-list above


def sanitize_saved_html(sender, instance, **kwargs):
    """pre_save receiver: clean the listed HTML fields of the instance being saved.

    A receiver rather than each form: Oscar's dashboard forms for offers, ranges, flat pages
    and its catalogue forms, Django's admin and the imports all save through here, so no
    writer can be forgotten."""
    for name in RICH_TEXT_FIELDS.get(sender._meta.label, ()):
        value = getattr(instance, name)
        if value:
            setattr(instance, name, sanitize_html(value))


def connect_sanitizers():
    for label in RICH_TEXT_FIELDS:
        model = apps.get_model(label)
        pre_save.connect(sanitize_saved_html, sender=model, dispatch_uid=f"karya-sanitize-{label}")
