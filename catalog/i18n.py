"""Catalogue texts by language (issue 18): which texts a page shows in Indonesian
because no translation exists yet, and the title as SQL sees it in a language.

``falls_back`` reads the instance's own language columns (no query): an English page
asks whether ``title_en`` is empty while ``title_ind`` is not, and marks that text as
Indonesian.
"""

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def _filled(value) -> bool:
    return value is not None and value != ""


def falls_back(obj, field: str, language: str | None = None) -> bool:
    """True when ``obj.<field>`` shows the Indonesian text on a page in ``language``
    (the active one by default) because that language's own text is empty."""
    if obj is None:
        return False
    language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
    if language == SOURCE_LANGUAGE:
        return False
    try:
        options = translator.get_options_for_model(type(obj))
    except NotRegistered:
        return False
    if field not in options.all_fields:
        return False
    own = getattr(obj, build_localized_fieldname(field, language), None)
    source = getattr(obj, build_localized_fieldname(field, SOURCE_LANGUAGE), None)
    return not _filled(own) and _filled(source)


def untranslated(obj, fields, language: str | None = None) -> list[str]:
    return [f for f in fields if falls_back(obj, f, language)]


def is_source_language(language: str | None = None) -> bool:
    return (language or get_language() or SOURCE_LANGUAGE).split("-")[0] == SOURCE_LANGUAGE


def title_expression(language: str | None = None):
    """The title a page in ``language`` shows, as an SQL expression: the English one
    where it exists, else the Indonesian (what ``product.title`` gives in Python).
    Lookups on ``title`` itself would read only the active language's column."""
    if is_source_language(language):
        return F("title_ind")
    own = build_localized_fieldname("title", (language or get_language()).split("-")[0])
    # Each language's column is a field class of its own: the result type is named.
    return Coalesce(NullIf(F(own), Value("")), F("title_ind"), output_field=CharField())
