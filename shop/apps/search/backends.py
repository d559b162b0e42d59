"""The two ways products are searched, behind one interface (``backend()``):

* **PostgreSQL**: full-text search on the search vector that triggers keep
  (catalog/migrations/0036_product_search.py) with weights (title A; category, workshop
  and Lapas B; description C; label and ingredients D), the ``indonesian`` or ``english``
  configuration by the visitor's language, phrases and prefixes; pg_trgm for typos.
* **Simple** (SQLite, the embedded demo): every term somewhere in the same fields
  (icontains), typos suggested from the titles' words with difflib.

Both order the same way: titles holding the whole query as whole words first, then
titles holding every term, then the rest; within those, by text rank (PostgreSQL) and
then the listing's usual order.
"""

import difflib
from functools import reduce
from itertools import islice, product
from operator import and_, or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Exists, Expression, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import get_language
from oscar.core.loading import get_model

from catalog import i18n

from .query import ParsedQuery, Term, title_pattern, words_of

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

# Fewer results than this and the page offers a corrected query ("did you mean").
FEW_RESULTS = 3
# Weights of D, C, B, A, as PostgreSQL's ts_rank takes them.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
# What an English page shows as a product's title, in SQL (the expression of its index).
TITLE_EN_SQL = "coalesce(nullif(p.title_en, ''), p.title_ind)"
# Ways of spelling the whole query (each term or an equivalent) that the title is tried
# against; a long query of listed English words would otherwise multiply them.
MAX_WHOLES = 8


def _tier(parsed: ParsedQuery) -> Case:
    """3: the title starts with the whole query (Indonesian names start with what the
    thing is: "Kursi Makan", "Meja Kantor"); 2: the title holds the whole query, word for
    word; 1: it holds every term; 0: otherwise. The term list's equivalents count as the
    buyer's words ("desk" is "meja")."""
    # Word boundaries: PostgreSQL's regular expressions spell them \m and \M; SQLite's
    # REGEXP is Python's re (Django's), where \b is one.
    start, end = (r"\m", r"\M") if connection.vendor == "postgresql" else (r"\b", r"\b")
    prefix = parsed.terms[-1].prefix

    # "search_title": the title in the visitor's language (i18n.title_expression), which
    # each backend puts on its query before ordering by this. On English pages the
    # Indonesian title counts too: the term list's equivalents are Indonesian words, and
    # an Indonesian title still starts with what the thing is ("kursi" for chairs).
    fields = ["search_title"] if i18n.is_source_language() else ["search_title", "title_ind"]

    def any_of(patterns) -> Q:
        return reduce(or_, (Q(**{f"{f}__iregex": p}) for p in patterns for f in fields))

    def term_in_title(term: Term) -> Q:
        return any_of(
            title_pattern(words, prefix=term.prefix, start=start, end=end)
            for words in term.spellings
        )

    wholes = [
        tuple(w for words in combination for w in words)
        for combination in islice(product(*(t.spellings for t in parsed.terms)), MAX_WHOLES)
    ]
    return Case(
        When(any_of(title_pattern(w, prefix=prefix, start="^", end=end) for w in wholes), then=3),
        When(any_of(title_pattern(w, prefix=prefix, start=start, end=end) for w in wholes), then=2),
        When(reduce(and_, (term_in_title(t) for t in parsed.terms)), then=1),
        default=Value(0),
        output_field=IntegerField(),
    )


class SearchVector(Expression):
    """catalogue_product.search_vector: a column the triggers keep, unknown to Django's
    model so that listings never read it and saves never write it."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{connection.ops.quote_name(alias)}.search_vector", []


class PostgresBackend:
    name = "postgres"

    def config(self) -> str:
        return "english" if (get_language() or "").startswith("en") else "indonesian"

    def _tsquery(self, term: Term, config: str) -> SearchQuery:
        if len(term.words) == 1:
            value = term.words[0] + (":*" if term.prefix else "")
            own = SearchQuery(value, search_type="raw", config=config)
        else:
            own = SearchQuery(term.text, search_type="phrase", config=config)
        # The term list's equivalents are Indonesian, whatever the visitor's language.
        others = [
            SearchQuery(" ".join(words), search_type="phrase", config="indonesian")
            for words in term.equivalents
        ]
        return reduce(or_, others, own)

    def search(self, qs, parsed: ParsedQuery):
        config = self.config()
        tsquery = reduce(and_, (self._tsquery(t, config) for t in parsed.terms))
        matches = Q(search_match=tsquery)
        upc = parsed.text.strip()
        if upc and " " not in upc:
            matches |= Q(upc__iexact=upc)  # a scanned or typed product code
        return (
            qs.alias(search_match=SearchVector(), search_title=i18n.title_expression())
            .filter(matches)
            .annotate(
                search_tier=_tier(parsed),
                search_rank=SearchRank(SearchVector(), tsquery, weights=RANK_WEIGHTS),
            )
            .order_by("-search_tier", "-search_rank", "-priority", "-date_created", "-pk")
        )

    def suggest(self, parsed: ParsedQuery) -> str | None:
        """The query with each unknown word replaced by the nearest word of a product
        title (pg_trgm's word similarity, read from the titles' trigram index)."""
        words = [w for t in parsed.terms if not t.equivalents for w in t.words if len(w) >= 3]
        if not words:
            return None
        # The titles the visitor reads, each expression with its own trigram index
        # (catalog/migrations/0038_product_search_translations.py).
        title = "p.title_ind" if i18n.is_source_language() else TITLE_EN_SQL
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT q.word, best.title
                  FROM unnest(%s::text[]) AS q(word)
                 CROSS JOIN LATERAL (
                     SELECT {title} AS title FROM catalogue_product p
                      WHERE p.is_public AND p.parent_id IS NULL AND q.word <%% {title}
                      ORDER BY word_similarity(q.word, {title}) DESC, p.id
                      LIMIT 5
                 ) AS best
                """,  # noqa: S608 - two constant expressions, no input
                [words],
            )
            candidates: dict[str, set[str]] = {}
            for word, title in cursor.fetchall():
                candidates.setdefault(word, set()).update(words_of(title))
        return _corrected(parsed, candidates)


class SimpleBackend:
    name = "simple"

    def _term(self, term: Term) -> Q:
        # Both languages' columns by name: a lookup on "title" would read only the
        # active language's column, and miss products not yet translated.
        found = Q()
        for words in term.spellings:
            text = " ".join(words)
            in_category = ProductCategory.objects.filter(
                Q(category__name_ind__icontains=text) | Q(category__name_en__icontains=text),
                product=OuterRef("pk"),
            )
            found |= (
                Q(title_ind__icontains=text)
                | Q(title_en__icontains=text)
                | Q(description_ind__icontains=text)
                | Q(description_en__icontains=text)
                | Q(label_name__icontains=text)
                | Q(workshop__name_ind__icontains=text)
                | Q(workshop__name_en__icontains=text)
                | Q(workshop__lapas__name__icontains=text)
                | Q(Exists(in_category))
            )
        return found

    def search(self, qs, parsed: ParsedQuery):
        matches = reduce(and_, (self._term(t) for t in parsed.terms))
        upc = parsed.text.strip()
        if upc and " " not in upc:
            matches |= Q(upc__iexact=upc)
        return (
            qs.alias(search_title=i18n.title_expression())
            .filter(matches)
            .annotate(search_tier=_tier(parsed))
            .order_by("-search_tier", "-priority", "-date_created", "-pk")
        )

    def suggest(self, parsed: ParsedQuery) -> str | None:
        titles = Product.objects.browsable().values_list("title", flat=True)
        vocabulary = {w for title in titles for w in words_of(title) if len(w) >= 3}
        candidates = {
            w: set(difflib.get_close_matches(w, vocabulary, n=3, cutoff=0.75))
            for t in parsed.terms
            if not t.equivalents
            for w in t.words
        }
        return _corrected(parsed, candidates)


def _corrected(parsed: ParsedQuery, candidates: dict[str, set[str]]) -> str | None:
    changed = False
    out = []
    for word in parsed.words:
        options = candidates.get(word) or set()
        if not options or word in options:
            out.append(word)
            continue
        best = max(sorted(options), key=lambda o: difflib.SequenceMatcher(None, word, o).ratio())
        changed |= best != word
        out.append(best)
    return " ".join(out) if changed else None


def backend():
    """``KARYA_SEARCH_BACKEND`` ("postgres" or "simple") or, unset, by the database."""
    chosen = getattr(settings, "KARYA_SEARCH_BACKEND", None)
    if chosen is None:
        chosen = "postgres" if connection.vendor == "postgresql" else "simple"
    return PostgresBackend() if chosen == "postgres" else SimpleBackend()


__all__ = ["FEW_RESULTS", "PostgresBackend", "SimpleBackend", "backend"]
