# ruff: noqa: RUF001 (the look-alike letters are the point of this table)
"""Text as the rules read it: look-alikes, leetspeak and spacing undone.

``normalise("S l 0 t   G4C0RRR")`` gives ``"slot gacor"``: the word list and the
classifier see what a reader sees, not what the spammer typed to dodge a filter.
"""

import re
import unicodedata

# Letters from other scripts that look like Latin ones (Cyrillic, Greek).
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ӏ": "l", "ɡ": "g", "α": "a", "β": "b", "ε": "e", "ι": "i",
        "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        "ɑ": "a", "ı": "i",
    }
)  # fmt: skip
# Digits and signs written for letters, read so only inside a word with letters.
_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o",
                       "5": "s", "$": "s", "7": "t", "8": "b", "9": "g"})  # fmt: skip
_WORD = re.compile(r"[\w@$!]+")
_REPEATS = re.compile(r"([^\W\d_])\1+")  # letters only: "2000" stays


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # Invisible characters (zero-width spaces, joiners) split nothing a reader sees.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.casefold().translate(_LOOKALIKES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _join_spaced_letters(tokens: list[str]) -> tuple[list[str], list[str]]:
    """``s l o t`` (or ``s.l.o.t``) becomes ``slot``: runs of three or more
    one-character tokens are one word. Returns the words and the joined runs."""
    joined: list[str] = []
    runs: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1:
            run.append(token)
            continue
        if len(run) >= 3:
            joined.append(_deleet("".join(run)))
            runs.append(joined[-1])
        else:
            joined.extend(_deleet(one) for one in run)
        run = []
        if token:
            joined.append(_deleet(token))
    return joined, runs


def _deleet(token: str) -> str:
    if token.isdigit() or not any(ch.isalpha() for ch in token):
        return token
    return token.translate(_LEET)


def _squeeze(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def read(text: str) -> tuple[str, list[str]]:
    """The words of ``text`` folded, de-leeted, spaced letters joined and repeated
    letters squeezed, as one string; and the runs of spaced letters (their word
    gaps are lost, so the word list looks for its phrases inside them)."""
    raw = [token.replace("_", "") for token in _WORD.findall(_fold(text))]
    words, runs = _join_spaced_letters([token for token in raw if token])
    return " ".join(_squeeze(word) for word in words), [_squeeze(run) for run in runs]


def normalise(text: str) -> str:
    return read(text)[0]


def squeeze_phrase(phrase: str) -> str:
    """A list phrase as the text is read (so both sides match alike)."""
    return normalise(phrase)
