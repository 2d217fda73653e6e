"""When two sources' values of a field say the same thing, and when they truly disagree.

A field disagrees only when both sources give a value and the values still differ once
case, spacing, punctuation and reference markers are set aside: `Choreographer` and
`choreographer`, `Politburo secretary` and `Politburo Secretary`, `…Weimar Republic[11]`
and `…Weimar Republic` say the same. An empty cell is "not given", never a disagreement.
Birthplaces are compared as places, so a translated mirror's `Russland` is `Russia`.

Notes are free text: two wordings of one story differ in many small ways, so their
differences are recorded (`notes-differ`) and shown word by word (`word_diff`), but they
are not a conflict.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.text import name_key

# What wikitext and scraped pages leave in a cell: '[11]', '[a]', '[note 3]',
# '[citation needed]', '[who?]'.
REFERENCE_MARKER = re.compile(
    r"\[(?:\d{1,4}|[a-z]|(?:note|nb|n)\s*\d{1,4}|[a-z][a-z ]{1,40}needed|[a-z ]{1,20}\?)\]",
    re.IGNORECASE,
)


def without_references(value: str) -> str:
    """'Defected to the Weimar Republic[11]' -> 'Defected to the Weimar Republic'."""
    return REFERENCE_MARKER.sub("", value) if "[" in value else value


def comparable(value: str) -> str:
    """The form two values are compared in: folded (case, diacritics, script),
    punctuation and reference markers dropped, one space between words."""
    return name_key(without_references(value))


class ValueComparer:
    """Compares the values of one field; remembers each value's comparable form.

    Holds the gazetteer (birthplaces are compared as places) and a memo of forms: the
    same professions and places come up again and again in a big source.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._forms: dict[str, dict[str, str]] = {}

    def form(self, field: str, value: str) -> str:
        """The comparable form of `value` of `field`; '' when the source gives none."""
        forms = self.forms(field)
        found = forms.get(value)
        if found is None:
            found = forms[value] = (
                "" if not value
                else self._place_form(value) if field == "birthplace"
                else comparable(value)
            )  # fmt: skip
        return found

    def forms(self, field: str) -> dict[str, str]:
        """The forms of `field` worked out so far (value -> form): a caller comparing
        many values looks them up here first, and asks `form` only for a new one."""
        return self._forms.setdefault(field, {})

    def _place_form(self, value: str) -> str:
        """'Ukraine, Russian Empire' and 'Украина, Russisches Kaiserreich' give the same
        form when every part is a known place; an unknown part is compared as text."""
        parts = []
        for part in without_references(value).split(","):
            key = comparable(part)
            place = self.gazetteer.lookup_key(key)
            parts.append(f"@{place.name}" if place is not None else key)
        return ",".join(p for p in parts if p)


@dataclass(frozen=True)
class WordChange:
    """One run of words in a side-by-side comparison: `kind` is 'same', 'removed' (only
    in the first text) or 'added' (only in the second)."""

    kind: str
    text: str


def word_diff(first: str, second: str) -> tuple[list[WordChange], list[WordChange]]:
    """Each text as runs of words, marked where the other text differs.

    Words are compared in their comparable form, so a change of case or a reference
    marker is not marked: 'tour of Germany[11]' and 'tour of germany' are the same.
    """
    words_a, words_b = first.split(), second.split()
    keys_a, keys_b = _word_keys(words_a), _word_keys(words_b)
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    left: list[WordChange] = []
    right: list[WordChange] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            _add(left, "same", words_a[a0:a1])
            _add(right, "same", words_b[b0:b1])
            continue
        _add(left, "removed", words_a[a0:a1])
        _add(right, "added", words_b[b0:b1])
    return left, right


def _word_keys(words: Sequence[str]) -> list[str]:
    # A word that is only punctuation or a marker keeps its text, so it still lines up.
    return [comparable(w) or w for w in words]


def _add(runs: list[WordChange], kind: str, words: Sequence[str]) -> None:
    if not words:
        return
    text = " ".join(words)
    if runs and runs[-1].kind == kind:
        runs[-1] = WordChange(kind, f"{runs[-1].text} {text}")
    else:
        runs.append(WordChange(kind, text))
