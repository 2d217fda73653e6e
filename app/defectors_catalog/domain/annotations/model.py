"""A record's verdict as the person gave it: status, tags, note, and when it changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.text import fold

# Bounds that keep a pasted novel or a runaway script from filling the database.
MAX_TAG_LENGTH = 100
MAX_TAGS = 200
MAX_NOTE_LENGTH = 100_000


class Status(StrEnum):
    """What the person concluded about a record (the facet registry's `STATUSES`)."""

    UNCHECKED = "unchecked"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"


class AnnotationError(CatalogError):
    """A verdict that cannot be stored: a bad value, or a database that refuses writes."""


def parse_status(text: str) -> Status:
    """A status typed by a person, ignoring case and spacing."""
    try:
        return Status(text.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise AnnotationError(f"unknown status {text!r}; known: {known}") from None


def tag_key(tag: str) -> str:
    """How tags are compared: `Olympics ` and `olympics` are one tag."""
    return fold(" ".join(tag.split()))


def clean_tag(tag: str) -> str:
    """A tag as it is kept and shown: as typed, spaces collapsed; refused when empty,
    too long, or holding a `;` (the export's separator) or a control character."""
    shown = " ".join(tag.split())
    if not shown or not tag_key(shown):
        raise AnnotationError(f"a tag needs a letter or digit, not {tag!r}")
    if len(shown) > MAX_TAG_LENGTH:
        raise AnnotationError(f"a tag is at most {MAX_TAG_LENGTH} characters long")
    if ";" in shown or any(ord(c) < 32 or ord(c) == 127 for c in shown):
        raise AnnotationError(f"a tag may not hold ';' or control characters: {tag!r}")
    return shown


def merge_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags without repeats (compared by `tag_key`), the first spelling kept, in order."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


def clean_note(note: str) -> str:
    """A note as kept: plain text, line ends made `\\n`, trailing space dropped."""
    text = note.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if len(text) > MAX_NOTE_LENGTH:
        raise AnnotationError(f"a note is at most {MAX_NOTE_LENGTH:,} characters long")
    if "\x00" in text:
        raise AnnotationError("a note may not hold a NUL character")
    return text


def now_utc() -> str:
    """The time of a change, as stored: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Annotation:
    """The verdict on one record: status, tags (as typed), the note, the time of the last
    change (UTC, ISO), and the stored verdicts it was made from.

    A record that merged others (a "Same person" decision) answers to their stored
    verdicts too: `merged_from` names each stored record id (empty for a record that
    answers only to its own), and `conflicts` says where
    they disagree ("status: verified (a-1950) / rejected (b-1950)"), for the window to
    show. Tags are united and notes kept one after the other.
    """

    record_id: str
    status: Status = Status.UNCHECKED
    tags: tuple[str, ...] = ()
    note: str = ""
    changed: str = ""
    merged_from: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.status is Status.UNCHECKED and not self.tags and not self.note

    def has_tag(self, tag: str) -> bool:
        return tag_key(tag) in {tag_key(t) for t in self.tags}


@dataclass(frozen=True)
class Change:
    """What a person changes on a record: each part left as None (or empty) is kept."""

    status: Status | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "add_tags", tuple(clean_tag(t) for t in self.add_tags))
        object.__setattr__(self, "remove_tags", tuple(tag_key(t) for t in self.remove_tags))
        if self.note is not None:
            object.__setattr__(self, "note", clean_note(self.note))

    @property
    def nothing(self) -> bool:
        return (
            self.status is None and not self.add_tags and not self.remove_tags and self.note is None
        )

    def applied(self, base: Annotation, when: str) -> Annotation:
        """`base` with this change made at `when`."""
        removed = set(self.remove_tags)
        tags = merge_tags([*(t for t in base.tags if tag_key(t) not in removed), *self.add_tags])
        if len(tags) > MAX_TAGS:
            raise AnnotationError(f"a record carries at most {MAX_TAGS} tags")
        return Annotation(
            record_id=base.record_id,
            status=base.status if self.status is None else self.status,
            tags=tags,
            note=base.note if self.note is None else self.note,
            changed=when,
        )


@dataclass(frozen=True)
class StoredVerdict:
    """One row of the database: the verdict stored under a record id, with the anchors
    (`record_ids.entry_keys`) of the record it was given to."""

    verdict: Annotation
    anchors: tuple[str, ...] = ()

    @property
    def record_id(self) -> str:
        return self.verdict.record_id


def combine(record_id: str, stored: Iterable[Annotation]) -> Annotation:
    """The verdict of a record that answers to several stored ones (its own first): the
    status they agree on, or the latest one's and a conflict; every tag; every note."""
    rows = list(stored)
    if not rows:
        return Annotation(record_id)
    if len(rows) == 1:
        only = rows[0]
        # Stored under another id (the record it merged, or its own old id): say so.
        came_from = (only.record_id,) if only.record_id != record_id else ()
        return Annotation(record_id, only.status, only.tags, only.note, only.changed, came_from)
    judged = [r for r in rows if r.status is not Status.UNCHECKED]
    latest = max(judged or rows, key=lambda r: r.changed)
    conflicts: tuple[str, ...] = ()
    if len({r.status for r in judged}) > 1:
        conflicts = ("status: " + " / ".join(f"{r.status} ({r.record_id})" for r in judged),)
    notes = list(dict.fromkeys(r.note for r in rows if r.note))
    return Annotation(
        record_id=record_id,
        status=latest.status,
        tags=merge_tags(t for r in rows for t in r.tags),
        note="\n\n".join(notes),
        changed=max(r.changed for r in rows),
        merged_from=tuple(r.record_id for r in rows),
        conflicts=conflicts,
    )
