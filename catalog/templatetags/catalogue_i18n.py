"""Marks catalogue text that an English page shows in Indonesian (issue 18).

``{{ product|source_lang:"title" }}`` gives "id" where the text falls back, so the
element can say ``lang="id"`` (screen readers then read it as Indonesian);
``{% untranslated_note product "title" "description" %}`` prints one visible note when
any of the named texts falls back. Both read the product's own columns: no query.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from catalog import i18n

register = template.Library()


@register.filter
def source_lang(obj, field: str) -> str:
    return i18n.SOURCE_LANGUAGE if i18n.falls_back(obj, field) else ""


@register.simple_tag
def untranslated_note(obj, *fields) -> str:
    if not i18n.untranslated(obj, fields):
        return ""
    return format_html(
        '<p class="translation-note"><small>{}</small></p>',
        gettext("Not yet translated into English; shown in Indonesian."),
    )
