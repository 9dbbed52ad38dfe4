"""Searching published articles on SQLite (FTS5) and PostgreSQL (tsvector); README, "Search".

A query is read once, in Python, with web-search syntax (``"a phrase"``,
``-word``, ``or``), and its words stemmed by core.analysis exactly as the
articles were. Each database gets the same query in its own language: an FTS5
MATCH expression ranked by ``bm25()`` with ``snippet()``, or a ``tsquery``
ranked by ``ts_rank_cd`` on the stored weighted vector with ``ts_headline``.
"""

import difflib
import json
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from core import analysis

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Relevance is ranked among the newest MAX_RESULTS matches, so a common word
# costs the same as a rare one (bench/README.md); narrower queries reach older ones.
MAX_RESULTS = 1000
# On PostgreSQL the newest matches are looked for among the newest articles
# first, in windows this many articles long, and only then among all: a word in
# a few percent of a million articles costs a few thousand rows, not all of its
# matches (README, "Search").
MATCH_WINDOWS = (4_000, 16_000, 64_000)
# At most this many unknown words are corrected ("did you mean").
MAX_CORRECTIONS = 4
MIN_SIMILARITY = 0.75
SNIPPET_WORDS = 24
MARK_START, MARK_END = "\ue000", "\ue001"  # never in search_document (clean_document)

OR_WORDS = {"or", "atau"}
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def clean_query(raw: str) -> str:
    """What we search for: printable words only, bounded in length and count."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))[:MAX_QUERY_CHARS]
    return " ".join(text.split()[:MAX_TERMS])


@dataclass(frozen=True)
class Phrase:
    """Words that must follow each other: per token its alternative terms
    (Indonesian and English stems), or () for a stop word keeping its place."""

    tokens: tuple[tuple[str, ...], ...]

    def variants(self) -> list[list[str | None]]:
        """The phrase in Indonesian stems and in English stems (a phrase is one language)."""
        found = []
        for index in (0, -1):
            variant = [
                alternatives[index] if alternatives else None for alternatives in self.tokens
            ]
            if variant not in found:
                found.append(variant)
        return found


@dataclass
class ParsedQuery:
    # All of these groups must match; within a group, any phrase.
    groups: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the positive words, folded

    def __bool__(self) -> bool:
        return bool(self.groups)

    def terms(self) -> set[str]:
        return {
            term
            for group in self.groups
            for phrase in group
            for alternatives in phrase.tokens
            for term in alternatives
        }

    def to_fts5(self) -> str:
        def phrase(value: Phrase) -> str:
            if len(value.tokens) == 1:
                return "(" + " OR ".join(f'"{term}"' for term in value.tokens[0]) + ")"
            variants = [
                '"' + " ".join(term or analysis.STOP_TERM for term in variant) + '"'
                for variant in value.variants()
            ]
            return "(" + " OR ".join(variants) + ")"

        expression = " AND ".join(
            "(" + " OR ".join(phrase(item) for item in group) + ")" for group in self.groups
        )
        if self.excluded:
            expression += " NOT (" + " OR ".join(phrase(item) for item in self.excluded) + ")"
        return expression

    def to_tsquery(self) -> str:
        def phrase(value: Phrase) -> str:
            variants = []
            for variant in value.variants():
                text, gap = "", 1
                for term in variant:
                    if term is None:
                        gap += 1
                        continue
                    text = f"'{term}'" if not text else f"{text} <{gap}> '{term}'"
                    gap = 1
                variants.append(f"( {text} )")
            if len(value.tokens) == 1:
                variants = [f"'{term}'" for term in value.tokens[0]]
            return "( " + " | ".join(variants) + " )"

        expression = " & ".join(
            "( " + " | ".join(phrase(item) for item in group) + " )" for group in self.groups
        )
        for item in self.excluded:
            expression += f" & !{phrase(item)}"
        return expression


def _phrase(text: str) -> Phrase | None:
    tokens = [analysis.query_alternatives(token) for token in analysis.tokens(text)]
    while tokens and not tokens[0]:
        tokens.pop(0)
    while tokens and not tokens[-1]:
        tokens.pop()
    return Phrase(tuple(tuple(alternatives) for alternatives in tokens)) if tokens else None


def parse_query(text: str) -> ParsedQuery:
    """Web-search syntax: words (all must match), "quoted phrases", -excluded,
    a or b (also "atau")."""
    parsed = ParsedQuery()
    join_next = False
    for match in _PART.finditer(text):
        negated, quoted, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() in OR_WORDS:
            join_next = bool(parsed.groups)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        phrase = _phrase(quoted if quoted is not None else word)
        if phrase is None:
            continue
        if negated:
            parsed.excluded.append(phrase)
            continue
        if join_next:
            parsed.groups[-1].append(phrase)
        else:
            parsed.groups.append([phrase])
        join_next = False
        parsed.words.extend(
            analysis.fold(token)
            for token in analysis.tokens(quoted if quoted is not None else word)
            if analysis.query_alternatives(token)
        )
    return parsed


def marked(text: str) -> SafeString:
    """Text with MARK_START/MARK_END around the matches, escaped, the marks as <mark>."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


def highlight_title(title: str, terms: set[str]) -> SafeString:
    """The title escaped, with the words whose stem the query has in <mark>."""
    pieces, last = [], 0
    for match in analysis.TOKEN.finditer(title):
        word = analysis.fold(match.group())
        if {analysis.stem(word, "id"), analysis.stem(word, "en")} & terms:
            pieces += [title[last : match.start()], MARK_START, match.group(), MARK_END]
            last = match.end()
    pieces.append(title[last:])
    return marked("".join(pieces))


class _Backend:
    windows: tuple[int, ...] = ()

    def matching(self, articles, query: ParsedQuery):
        raise NotImplementedError

    def ranked(self, articles, query: ParsedQuery):
        raise NotImplementedError

    def snippets(self, pks: list[int], query: ParsedQuery, raw: str) -> dict[int, str]:
        raise NotImplementedError

    def known_terms(self, terms: list[str]) -> set[str]:
        raise NotImplementedError

    def prepare_similarity(self) -> None:
        pass

    def similar_names(self, words: list[str]) -> list[str]:
        """Names of tags and authors of published articles like ``words``."""
        tags = Tag.objects.filter(
            Exists(
                TaggedArticle.objects.filter(
                    tag=OuterRef("pk"), content_object__status=Article.Status.PUBLISHED
                )
            )
        )
        authors = Article.objects.published().filter(author=OuterRef("pk"))
        people = get_user_model().objects.filter(Exists(authors))
        tags = self.like(tags, "name", words)[:30].values_list("name", flat=True)
        names = self.like(people, "display_name", words)[:30].values_list("display_name", flat=True)
        return [*tags, *names]


class SQLiteBackend(_Backend):
    @staticmethod
    def names_like(queryset, field_name, words):
        condition = Q()
        for word in words:
            condition |= Q(**{f"{field_name}__icontains": word})
        return queryset.filter(condition)

    def matching(self, articles, query):
        return articles.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM search_index WHERE search_index MATCH %s", [query.to_fts5()]
            )
        )

    def ranked(self, articles, query):
        # bm25 is lower for better matches. One bm25 per column, weighted after:
        # FTS5's own column weights multiply the term counts, which bm25 then
        # saturates, so a title would count little more than a body.
        return articles.annotate(
            relevance=RawSQL(
                "SELECT -(10.0 * bm25(search_index, 1.0, 0.0, 0.0)"
                " + 4.0 * bm25(search_index, 0.0, 1.0, 0.0)"
                " + bm25(search_index, 0.0, 0.0, 1.0)) FROM search_index "
                "WHERE search_index MATCH %s AND rowid = articles_article.id",
                [query.to_fts5()],
            )
        )

    def snippets(self, pks, query, raw):
        if not pks:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, snippet(search_index, 2, %s, %s, '…', %s) FROM search_index "
                "WHERE search_index MATCH %s AND rowid IN (SELECT value FROM json_each(%s))",
                [MARK_START, MARK_END, SNIPPET_WORDS, query.to_fts5(), json.dumps(pks)],
            )
            return dict(cursor.fetchall())

    def known_terms(self, terms):
        if not terms:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_vocabulary "
                "WHERE term IN (SELECT value FROM json_each(%s))",
                [json.dumps(terms)],
            )
            return {term for (term,) in cursor.fetchall()}

    @staticmethod
    def like(queryset, field_name, words):
        # No trigram operator here: names sharing a word's first letters.
        condition = Q()
        for word in words:
            condition |= Q(**{f"{field_name}__istartswith": word[:2]})
            condition |= Q(**{f"{field_name}__icontains": f" {word[:2]}"})
        return queryset.filter(condition)


class TermsQuery(SearchQuery):
    """A tsquery already written in stemmed terms (ParsedQuery.to_tsquery), cast as it is."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = compiler.compile(self.source_expressions[-1])
        return f"({sql})::tsquery", params


class PostgresBackend(_Backend):
    windows = MATCH_WINDOWS

    @staticmethod
    def names_like(queryset, field_name, words):
        # word_similarity through the name's trigram index (accounts_user_name_trgm).
        condition = Q()
        for word in words:
            condition |= Q(**{f"{field_name}__trigram_word_similar": word})
        return queryset.filter(condition)

    def matching(self, articles, query):
        return articles.filter(search_vector=TermsQuery(query.to_tsquery()))

    def ranked(self, articles, query):
        # Weights D, C (body), B (tags, topic), A (title); normalised by the
        # logarithm of the document's length, as bm25 does by its length.
        return articles.annotate(
            relevance=SearchRank(
                F("search_vector"),
                TermsQuery(query.to_tsquery()),
                weights=[0.1, 0.1, 0.4, 1.0],
                cover_density=True,
                normalization=Value(1),
            )
        )

    def snippets(self, pks, query, raw):
        if not pks:
            return {}
        # ts_headline stems with PostgreSQL's own Snowball configuration for the
        # article's language, so the words are read in both; PostgreSQL's lacks
        # our ber-/per- rule, so the words with and without the prefix are added.
        text = " or ".join(headline_words(query))
        words = SearchQuery(text, config="indonesian", search_type="websearch") | SearchQuery(
            text, config="english", search_type="websearch"
        )
        config = Case(
            When(search_language="en", then=Value("english")), default=Value("indonesian")
        )
        return dict(
            Article.objects.filter(pk__in=pks).values_list(
                "pk",
                SearchHeadline(
                    "search_document",
                    words,
                    config=config,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS + 6,
                    min_words=SNIPPET_WORDS - 6,
                    max_fragments=1,
                ),
            )
        )

    def known_terms(self, terms):
        if not terms:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM unnest(%s::text[]) AS term WHERE EXISTS ("
                "SELECT 1 FROM articles_article WHERE status = 'published' "
                "AND search_vector @@ quote_literal(term)::tsquery)",
                [terms],
            )
            return {term for (term,) in cursor.fetchall()}

    def prepare_similarity(self):
        # pg_trgm's default word similarity (0.6) misses one dropped letter in
        # eight ("kebijkan"); difflib decides among what this lets through.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true)")

    like = names_like  # "did you mean" candidates: the same word similarity


def headline_words(query: ParsedQuery) -> list[str]:
    """The query's words, each also with ber- and without ber-/per- (PostgresBackend.snippets)."""
    found = []
    for word in query.words:
        found += [word, f"ber{word}"]
        found += [
            word[len(prefix) :]
            for prefix in ("ber", "per")
            if word.startswith(prefix) and len(word) - len(prefix) >= 4
        ]
    return list(dict.fromkeys(found))


def backend() -> _Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def newest_matches(articles, query: ParsedQuery) -> list[int]:
    """The keys of the newest MAX_RESULTS of ``articles`` that match, newest first:
    looked for among the newest articles in growing windows (the backend's), so
    the rows read stay near MAX_RESULTS for a common word and a rare one alike."""
    engine = backend()
    newest = articles.order_by("-published_at", "-id")

    def matches(candidates) -> list[int]:
        found = engine.matching(candidates, query).order_by("-published_at", "-id")
        return list(found.values_list("pk", flat=True)[:MAX_RESULTS])

    for size in engine.windows:
        edge = list(newest.values_list("published_at", flat=True)[size - 1 : size])
        if not edge:
            break  # fewer articles than the window: all of them, below
        found = matches(articles.filter(published_at__gte=edge[0]))
        if len(found) >= MAX_RESULTS:
            return found
    return matches(articles)


def search_articles(articles, query: ParsedQuery, *, order: str = "relevance"):
    """``articles`` (published, filtered) that match, best first or newest first,
    among the newest MAX_RESULTS matches."""
    if not query:
        return articles.none()
    engine = backend()
    candidates = articles.filter(pk__in=newest_matches(articles, query))
    if order == "newest":
        return candidates.order_by("-published_at", "-id")
    return engine.ranked(candidates, query).order_by("-relevance", "-published_at", "-id")


def snippets(pks: list[int], query: ParsedQuery, raw: str) -> dict[int, SafeString]:
    return {pk: marked(text) for pk, text in backend().snippets(pks, query, raw).items() if text}


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_away(word: str) -> set[str]:
    """Every word one letter deleted, swapped with the next, replaced or added away."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    return (
        {left + right[1:] for left, right in splits if right}
        | {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
        | {left + letter + right[1:] for left, right in splits if right for letter in LETTERS}
        | {left + letter + right for left, right in splits for letter in LETTERS}
    ) - {word}


def suggest_correction(raw: str, query: ParsedQuery) -> str | None:
    """The query with its unknown words replaced by the closest known word; None
    when there is nothing to correct.

    A word is known when a published article's index holds its stem. The
    candidates for an unknown word are the words one typing slip away whose
    stems the index holds (one query for all of them: index lookups, never a
    scan of titles), and the words of the names of tags and authors of
    published articles that look like it. The most alike wins (difflib, at
    least MIN_SIMILARITY)."""
    engine = backend()
    words = list(dict.fromkeys(query.words))
    alternatives = {word: analysis.query_alternatives(word) for word in words}
    known = engine.known_terms(sorted({term for terms in alternatives.values() for term in terms}))
    unknown = [word for word in words if not set(alternatives[word]) & known][:MAX_CORRECTIONS]
    unknown = [word for word in unknown if len(word) >= 3 and word.isalpha()]
    if not unknown:
        return None
    slips = {
        word: {slip: analysis.query_alternatives(slip) for slip in one_edit_away(word)}
        for word in unknown
    }
    indexed = engine.known_terms(
        sorted({term for found in slips.values() for terms in found.values() for term in terms})
    )
    with transaction.atomic():  # the similarity threshold is set for these queries only
        engine.prepare_similarity()
        names = engine.similar_names(unknown)
    vocabulary = {
        analysis.fold(token) for name in names for token in analysis.tokens(name)
    } - analysis.STOP_WORDS
    corrected = raw
    for word in unknown:
        candidates = {slip for slip, terms in slips[word].items() if set(terms) & indexed}
        candidates |= vocabulary - {word}
        scores = {
            candidate: difflib.SequenceMatcher(None, word, candidate).ratio()
            for candidate in candidates
        }
        # The most alike; among equals the first in alphabetical order.
        best = min(scores, key=lambda candidate: (-scores[candidate], candidate), default=None)
        if best and scores[best] >= MIN_SIMILARITY:
            corrected = re.sub(
                rf"(?<!\w){re.escape(word)}(?!\w)", best, corrected, flags=re.IGNORECASE
            )
    return corrected if corrected.lower() != raw.lower() else None
