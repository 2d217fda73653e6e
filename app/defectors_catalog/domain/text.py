"""Text normalisation shared by the parsers, the merge and the search.

Two different jobs live here and must not be confused:
- `clean_cell` tidies what a source says (NFC, no exotic spaces) and keeps it readable;
- `fold` and `name_key` make text comparable (case, diacritics, transliteration).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache
from itertools import repeat

from anyascii import anyascii

# Non-breaking, thin, ideographic and other Unicode spaces that sources carry, e.g.
# the fan-wiki copy's "via\u00a0Poland".
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_ALIAS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<alias>[^()]+)\)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_cell(value: str) -> str:
    """NFC, every kind of space as one plain space, control characters removed, trimmed."""
    if value.isascii() and value.isprintable():  # most cells: only plain spaces to tidy
        return " ".join(value.split()) if "  " in value else value.strip()
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_note(value: str) -> str:
    """A note of just `-` (or an en/em dash) means the source had nothing to say."""
    value = clean_cell(value)
    return "" if value in {"-", "\u2013", "\u2014"} else value


def fold(value: str) -> str:
    """Case-, diacritic- and script-insensitive form for search: 'Kőszegi' -> 'koszegi'.

    The result is always ASCII, which lets the search engine work on bytes.
    """
    if value.isascii():  # nothing to transliterate; ASCII white space is what split() splits on
        return " ".join(value.split()).lower()
    return _SPACES.sub(" ", anyascii(unicodedata.normalize("NFC", value))).casefold().strip()


def name_key(value: str) -> str:
    """Key for matching the same person across sources: folded, punctuation dropped.

    'G. M. Dimitrov' and 'G.M. Dimitrov' both give 'g m dimitrov'.
    """
    return _NOT_ALNUM.sub(" ", fold(value)).strip()


def split_alias(name: str) -> tuple[str, str]:
    """'Vladimir Rezun (Viktor Suvorov)' -> ('Vladimir Rezun', 'Viktor Suvorov')."""
    match = _ALIAS.match(name)
    if match is None:
        return name, ""
    return match.group("name").strip(), match.group("alias").strip()


def slug(value: str) -> str:
    return name_key(value).replace(" ", "-")


def fold_query_words(text: str) -> list[bytes]:
    """Search words as the engine compares them: folded ASCII, longest first.

    Longer words narrow the result most, so they are matched first.
    """
    words = {w.encode("ascii", "replace") for w in fold(text).split()}
    return sorted(words, key=len, reverse=True)


@lru_cache(maxsize=4096)
def _folded_with_offsets(text: str) -> tuple[str, tuple[int, ...] | None]:
    """`text` folded a character at a time, and for each folded offset the original one
    (None when they are the same). Cached: the table repaints the same cells on every
    keystroke, and this runs for each highlighted cell."""
    if text.isascii():
        # ASCII folds to itself, case aside; white space becomes a single space.
        return _SPACES.sub(lambda m: " " * len(m.group()), text).casefold(), None
    pieces: list[str] = []
    owner: list[int] = []  # folded offset -> original offset
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        owner.extend([index] * len(folded))
    return "".join(pieces), tuple(owner)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return _SPACES.sub(" ", anyascii(char)).casefold()


def highlight_spans(text: str, words: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """Where folded search words occur in `text`, as (start, end) offsets into `text`.

    Folding can change length ('ß' -> 'ss', 'Ǆ' -> 'DZ'), so each original character
    is folded on its own and the offsets mapped back.
    """
    if not words or not text:
        return []
    haystack, owner = _folded_with_offsets(text)
    spans = []
    for word in words:
        start = haystack.find(word)
        while start >= 0 and word:
            end = start + len(word)
            if owner is None:  # folding kept every offset
                spans.append((start, end))
            else:
                spans.append((owner[start], owner[end - 1] + 1))
            start = haystack.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# Words after a surname that are not it: 'Martin Luther King Jr.' files under King.
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def surname_first(name: str) -> str:
    """'Rudolf Nureyev' -> 'Nureyev, Rudolf', as catalogues of people file them.

    The surname is taken to be the last word (after suffixes such as 'Jr.'): right for
    the European names of the lists, not for names written family name first, which the
    lists do not mark. Two people in one entry keep the entry's last surname.
    """
    words = name.split()
    end = len(words)
    while end > 1 and words[end - 1].casefold() in _NAME_SUFFIXES:
        end -= 1
    if end < 2:
        return name.strip()
    given = " ".join(words[: end - 1] + words[end:])
    return f"{words[end - 1]}, {given}"


# 'Rudolf Nureyev', as most names are: words one space apart, nothing around them.
_SINGLE_SPACED = re.compile(r"\S+(?: \S+)+")


def surnames_first(names: Sequence[str]) -> list[str]:
    """`[surname_first(name) for name in names]` for a whole column: a name of words one
    space apart whose last word is no suffix is cut at its last space (both tests in
    C), the others go through `surname_first`."""
    usual = map(_SINGLE_SPACED.fullmatch, names)
    cut = map(str.rpartition, names, repeat(" "))
    return [
        f"{last}, {given}"
        if match and last.casefold() not in _NAME_SUFFIXES
        else surname_first(name)
        for name, match, (given, _, last) in zip(names, usual, cut, strict=True)
    ]


_WORDS = re.compile(r"[^\W_]+")
_YEAR_WORD = re.compile(r"(1[89]|20)\d\d")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")  # 'list.csv', not 'Dr. Smith'

BADGE_CHARS = 8


def badge_label(title: str, taken: Collection[str] = ()) -> str:
    """A short badge for an added source, readable beside WP, WP-25 and Fan.

    'Hungarian émigrés 1956.csv' -> 'Hungaria 1956' would be cut mid-word, so: the
    whole title when short ('Zotero'), else its first word when that is short
    ('Book 1990' from 'Book appendix 1990'), else the initials ('HÉ 1956'); a year in
    the title is kept, as lists are often told apart by it. Unique against `taken`.
    """
    words = _WORDS.findall(_EXTENSION.sub("", title))
    year = next((w for w in words if _YEAR_WORD.fullmatch(w)), "")
    plain = [w for w in words if w != year]
    if not plain:
        base = year or "List"
    elif len(" ".join(words)) <= BADGE_CHARS:
        base = " ".join(words)
    else:
        if len(plain[0]) <= BADGE_CHARS:
            first = plain[0][:1].upper() + plain[0][1:]
        elif len(plain) > 1:
            first = "".join(w[0] for w in plain[:4]).upper()
        else:  # one long word: its start reads better than a lone initial
            first = plain[0][:1].upper() + plain[0][1:BADGE_CHARS]
        base = first + (f" {year}" if year else "")
    label, n = base, 2
    while label in taken:
        label, n = f"{base} {n}", n + 1
    return label
