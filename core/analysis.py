"""Text analysis for full-text search, the same on every database (README, "Search").

Words are cut, folded and stemmed here in Python, once, with the Snowball
stemmers of the ``snowballstemmer`` package (Indonesian, and English for
articles written in English), and our own stop-word lists. SQLite's FTS5 table
and PostgreSQL's stored ``tsvector`` index exactly the terms this module
produces, and queries go through the same functions, so "berkebijakan" finds
"kebijakannya" on a laptop exactly as in production.

The body's terms are aligned with ``clean_document()``'s text: one term per
token, in order, stop words kept as ``STOP_TERM``, so FTS5's ``snippet()`` can
point at the original words from the positions of their stems.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# A term no query produces: it keeps a stop word's place (phrases, snippets).
STOP_TERM = "ǂ"
MAX_TERM_CHARS = 40
# PostgreSQL keeps positions up to 16383 and 256 of them per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_TERM = 255

# A token: letters and digits (not "_"), as FTS5's unicode61 tokenizer cuts them.
TOKEN = re.compile(r"[^\W_]+")

INDONESIAN_STOP_WORDS = frozenset(
    """
    ada adalah agar akan aku anda antara apa apakah atas atau bagi bahwa bahkan
    banyak begitu belum beberapa berupa bila bisa boleh dalam dan dapat dari daripada
    demi dengan di dia ia ialah ini itu jadi jika juga kalau kami kamu karena ke
    kepada kita lagi lain lalu maka masih mereka meski namun nya oleh pada para
    pun saat saja sambil sampai sangat sebagai sebelum sedang sejak sekali seperti
    serta setelah sudah supaya tanpa tapi tentang telah tetapi tidak untuk yaitu
    yakni yang hal harus hanya kah lah mu ku pula se sedangkan selama semua sendiri
    si sang tak tersebut tiap walau
    """.split()
)
ENGLISH_STOP_WORDS = frozenset(
    """
    a about after all also an and are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its just more most my no not
    of on or our out she so some than that the their them then there these they this
    those to too very was we were what when where which who why will with would you
    your
    """.split()
)
STOP_WORDS = INDONESIAN_STOP_WORDS | ENGLISH_STOP_WORDS

_STEMMERS = {
    "id": snowballstemmer.stemmer("indonesian"),
    "en": snowballstemmer.stemmer("english"),
}
# Snowball removes one second-order prefix and stops, so "berkebijakan" gives
# "kebija" where "kebijakan" gives "bijak", and "berdiplomasi" "diplomasi" where
# "diplomasi" gives "plomasi". For these prefixes we stem what follows instead:
# ber+X always stems as X.
_SECOND_PREFIXES = ("ber", "per")
_MIN_REST = 4


def fold(token: str) -> str:
    """Lower case without diacritics, one token in, one token out."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    folded = "".join(ch for ch in decomposed if ch.isalnum())
    return (folded or token.lower())[:MAX_TERM_CHARS]


@lru_cache(maxsize=100_000)
def stem(word: str, language: str = "id") -> str:
    """The Snowball stem of a folded word (digits and short words stay as they are)."""
    if len(word) < 3 or not word.isalpha():
        return word
    if language == "id":
        for prefix in _SECOND_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_REST:
                return stem(word[len(prefix) :], "id")
    return _STEMMERS[language].stemWord(word)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def clean_document(text: str) -> str:
    """Text whose tokens Python and FTS5 cut the same way: combining marks dropped,
    control and private-use characters (the snippet markers) and letters outside
    the scripts both know (Latin, Greek, Cyrillic) turned into spaces."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category[0] == "M":
            continue
        if category[0] == "C" or (ord(ch) >= 0x0500 and ch.isalnum()):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def detect_language(words: list[str]) -> str:
    """ "en" when English function words clearly outnumber Indonesian ones, else "id"."""
    english = sum(1 for word in words if word in ENGLISH_STOP_WORDS)
    indonesian = sum(1 for word in words if word in INDONESIAN_STOP_WORDS)
    return "en" if english >= 3 and english > 2 * indonesian else "id"


def terms(text: str, language: str) -> str:
    """The indexed terms of ``text``: one per token, space-separated."""
    return " ".join(_term(fold(token), language) for token in tokens(text))


def _term(word: str, language: str) -> str:
    return STOP_TERM if word in STOP_WORDS else stem(word, language)


def query_alternatives(word: str) -> list[str]:
    """The terms a query word may match: its Indonesian and its English stem."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return []
    return list(dict.fromkeys([stem(folded, "id"), stem(folded, "en")]))


def body_fields(text: str) -> dict:
    """The search fields made from the excerpt and body's plain text."""
    document = clean_document(text)
    language = detect_language([fold(token) for token in tokens(document)])
    return {
        "search_document": document,
        "search_language": language,
        "search_body_terms": terms(document, language),
    }


def heading_fields(title: str, keywords: str, language: str, body_terms: str) -> dict:
    """The search fields made from the title and the keywords (tags, topic), and the
    weighted vector of all three parts."""
    title_terms, keyword_terms = terms(title, language), terms(keywords, language)
    return {
        "search_title_terms": title_terms,
        "search_keyword_terms": keyword_terms,
        "search_vector": weighted_vector(title_terms, keyword_terms, body_terms),
    }


def weighted_vector(title: str, keywords: str, body: str) -> str:
    """A PostgreSQL tsvector literal of the three term strings, weighted A, B and C.

    Title and keywords count positions from 1, the body from BODY_START, so the
    body's part of the literal depends on the body alone and is made once per
    body (bulk loaders share bodies); PostgreSQL merges a lexeme's entries."""
    parts = [_vector_part(title, "A", 1), _vector_part(keywords, "B", len(title.split()) + 2)]
    parts.append(_body_vector_part(body))
    return " ".join(part for part in parts if part)


# Titles are at most 200 characters: their terms and the tags' end before this.
BODY_START = 256


@lru_cache(maxsize=64)
def _body_vector_part(body: str) -> str:
    return _vector_part(body, "C", BODY_START)


def _vector_part(terms_text: str, weight: str, first: int) -> str:
    positions: dict[str, list[str]] = {}
    for position, term in enumerate(terms_text.split(), start=first):
        if term == STOP_TERM or position > MAX_POSITION:
            continue  # a stop word leaves a gap
        seen = positions.setdefault(term, [])
        if len(seen) < MAX_POSITIONS_PER_TERM:
            seen.append(f"{position}{weight}")
    return " ".join(f"'{term}':{','.join(found)}" for term, found in positions.items())
