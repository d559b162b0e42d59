"""A buyer's query, read once into terms that both search backends understand.

Words are letters and digits (anything else separates them, so nothing a buyer types can
reach SQL or a tsquery as syntax). Text in double quotes is a phrase: its words must
stand together. The last word, while the buyer may still be typing it, also matches
longer words ("kop" finds "kopi").

English words that the bilingual term list knows (catalog/search_terms/en-id.csv) bring
their Indonesian equivalents along, because products are named in Indonesian only: on
either site "bread" finds "roti". Once products carry English names (issue 18), delete
the file and ``TERMS_FILE`` and English queries find English names by themselves.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

TERMS_FILE = Path(settings.BASE_DIR) / "catalog" / "search_terms" / "en-id.csv"
MAX_TERMS = 8
MAX_WORD_LENGTH = 40
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"')


def words_of(text: str) -> tuple[str, ...]:
    return tuple(w[:MAX_WORD_LENGTH] for w in _WORD.findall(text.lower()))


@cache
def term_list() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """English words (one or two) -> their Indonesian equivalents, each a tuple of words."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    if not TERMS_FILE.exists():
        return {}
    with TERMS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            english, indonesian = words_of(row["english"]), words_of(row["indonesian"])
            if english and indonesian and english != indonesian:
                found.setdefault(english, []).append(indonesian)
    return {key: tuple(values) for key, values in found.items()}


def _equivalents(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    terms = term_list()
    if words in terms:
        return terms[words]
    # "chairs" -> "chair": English plurals of the list's words.
    if len(words) == 1 and len(words[0]) > 3 and words[0].endswith("s"):
        return terms.get((words[0][:-1],), ())
    return ()


@dataclass(frozen=True)
class Term:
    """What one term asks for: its words (several for a phrase), any of its equivalents
    instead, and whether its last word may be the start of a longer one."""

    words: tuple[str, ...]
    equivalents: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.equivalents)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[Term, ...]

    def __bool__(self):
        return bool(self.terms)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for term in self.terms for w in term.words)


def parse(text: str) -> ParsedQuery:
    text = (text or "").strip()
    terms: list[Term] = []
    for phrase in _QUOTED.findall(text):
        words = words_of(phrase)
        if words:
            terms.append(Term(words=words, equivalents=_equivalents(words)))
    loose = words_of(_QUOTED.sub(" ", text))
    i = 0
    while i < len(loose):
        pair = loose[i : i + 2]
        if len(pair) == 2 and pair in term_list():
            terms.append(Term(words=pair, equivalents=term_list()[pair]))
            i += 2
            continue
        terms.append(Term(words=(loose[i],), equivalents=_equivalents((loose[i],))))
        i += 1
    terms = terms[:MAX_TERMS]
    # The last loose word may be unfinished (not a quoted phrase: that one is closed).
    if terms and loose and not text.endswith('"') and terms[-1].words[-1] == loose[-1]:
        last = terms[-1]
        if len(last.words) == 1 and len(last.words[0]) >= 3:
            terms[-1] = Term(words=last.words, equivalents=last.equivalents, prefix=True)
    return ParsedQuery(text=text, terms=tuple(terms))


def title_pattern(words: tuple[str, ...], *, prefix: bool, start: str, end: str) -> str:
    """A regular expression for ``words`` side by side as whole words ("\\m…\\M" on
    PostgreSQL, "\\b…\\b" elsewhere). Words hold letters and digits only."""
    return start + r"\s+".join(words) + ("" if prefix else end)
