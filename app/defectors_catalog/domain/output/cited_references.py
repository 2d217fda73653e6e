"""Which of a source's references a record's row cites, and each reference's link.

A scraped page keeps the article's reference list, but the copy glues each reference's
words to its URL ("The Independenthttp://www.independent.co.uk/…") and, in the seeds,
drops the footnote markers from the rows. So a row cites a reference when its raw line
carries the footnote marker ("…in 1947.[12]" cites the twelfth), or when the reference
names the person (the Independent's obituary URL ends "professor-grigori-tokaty").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from defectors_catalog.domain.model import CatalogRecord, SourceEntry
from defectors_catalog.domain.text import name_key

# A footnote marker as a copied page keeps it: "[12]".
_FOOTNOTE = re.compile(r"\[(\d{1,4})\]")
# The first URL in a reference: its words stop where it starts, glued or not.
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A surname shorter than this ("Li", "Ott") would be found in unrelated references.
_SHORTEST_NAME = 4


@dataclass(frozen=True)
class Reference:
    """One reference as listed: its number in the list, its words and its link apart,
    and whether the record's row cites it."""

    number: int  # 1-based, as the list numbers it
    text: str  # the words, without the URL
    url: str  # the first http(s) URL in it, or ""
    cited: bool


def split_reference(reference: str) -> tuple[str, str]:
    """'The Independenthttp://x.uk/y' -> ('The Independent', 'http://x.uk/y')."""
    match = _URL.search(reference)
    if match is None:
        return reference.strip(), ""
    words = (reference[: match.start()] + " " + reference[match.end() :]).strip()
    return " ".join(words.split()), match.group(0)


def _names(record: CatalogRecord, entry: SourceEntry | None) -> set[str]:
    """The surnames a reference about this person would carry (name and alias)."""
    names = {record.name, record.alias}
    if entry is not None:
        names |= {entry.name, entry.alias}
    found = set()
    for name in names:
        words = name_key(name).split()
        if words and len(words[-1]) >= _SHORTEST_NAME:
            found.add(words[-1])
    return found


def cited_numbers(
    record: CatalogRecord, entry: SourceEntry | None, references: Sequence[str]
) -> list[int]:
    """The numbers (1-based) of the references this record's row cites, in list order."""
    cited = set()
    if entry is not None:
        for match in _FOOTNOTE.finditer(entry.raw):
            number = int(match.group(1))
            if 1 <= number <= len(references):
                cited.add(number)
    surnames = _names(record, entry)
    for number, reference in enumerate(references, 1):
        if surnames & set(name_key(reference).split()):
            cited.add(number)
    return sorted(cited)


def references_for(
    record: CatalogRecord | None, source_id: str, references: Sequence[str]
) -> list[Reference]:
    """Every reference of the source, the ones `record`'s row in it cites first, then
    the rest in list order; without a record, the list as it is."""
    entry = None
    if record is not None:
        entry = next((e for e in record.entries if e.source_id == source_id), None)
    cited = set(cited_numbers(record, entry, references)) if record is not None else set()
    listed = [
        Reference(number, *split_reference(text), cited=number in cited)
        for number, text in enumerate(references, 1)
    ]
    return [r for r in listed if r.cited] + [r for r in listed if not r.cited]
