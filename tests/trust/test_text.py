# ruff: noqa: RUF001 (look-alike letters are what these tests feed in)
import pytest

from trust.rules import word_hits
from trust.text import normalise


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("SLOT GACOR", "slot gacor"),
        ("s l o t  g a c o r", "slotgacor"),
        ("g4c0r", "gacor"),
        ("Ѕlοt gасоr", "slot gacor"),  # Cyrillic and Greek look-alikes
        ("ＳＬＯＴ", "slot"),  # full-width
        ("pin\u200bjol", "pinjol"),  # a zero-width space inside
        ("gacorrrr", "gacor"),
        ("t.o.g.e.l", "togel"),
        ("jüdï ónline", "judi online"),
        ("Pemilu 2000 diikuti 3 calon", "pemilu 2000 dikuti 3 calon"),  # letters squeezed
    ],
)
def test_normalise_undoes_common_obfuscations(written, read_as):
    assert normalise(written) == read_as


@pytest.mark.parametrize(
    "text",
    [
        "Daftar sekarang di situs slot gacor terbaik",
        "main s l o t  g a c o r malam ini",
        "bandar T0G3L resmi",
        "butuh dana? p1nj0l cair",
        "Ѕlοt gасоr hari ini",
        "j u d i  o n l i n e",
        "Layanan OPEN BO sekitar Jakarta",
        "best online casino with free spins",
        "payday loan, no credit check",
    ],
)
def test_word_list_catches_obfuscated_spam(text):
    assert word_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kami mencari slot waktu untuk rapat RT",  # "slot" alone is not listed
        "Tauge dan toge dijual di pasar pagi",  # not "togel"
        "Pinjolku? Bukan, itu nama kucing saya",  # word boundary: not "pinjol"
        "Gacoan itu nama warung mi di Malang",
        "Casino Royale adalah film James Bond",
    ],
)
def test_word_list_respects_word_boundaries(text):
    assert word_hits(text) == []


def test_word_hits_name_the_category():
    assert word_hits("pinjol ilegal menagih dengan teror") == [
        "lending: pinjol",
        "lending: pinjol ilegal",
    ]


def test_extra_words_come_from_settings(settings):
    settings.TRUST_EXTRA_WORDS = ["obat kuat"]
    assert word_hits("Jual 0bat kuat asli") == ["extra: obat kuat"]
