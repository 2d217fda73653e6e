"""Merging entries from all sources into records, keeping what each source said.

Same person: equal `name_key` (of name or alias) and equal year. A fuzzy name match
(rapidfuzz) at or above MERGE_SCORE with the same year also merges, and says so;
between CANDIDATE_SCORE and MERGE_SCORE, with years at most one apart, the pair is
only reported as a candidate, never merged silently.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from app.domain.decisions import Decision, pair_key
from app.domain.gazetteer import Gazetteer
from app.domain.model import (
    CatalogRecord,
    Diagnostic,
    MatchCandidate,
    ParseResult,
    Severity,
    SourceEntry,
    SourceSpec,
    Warning,
)
from app.domain.professions import ProfessionClassifier
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.text import name_key, slug

MERGE_SCORE = 96.0
CANDIDATE_SCORE = 88.0
COMPARED_FIELDS = ("alias", "profession", "birthplace", "year", "notes")


@dataclass
class _Group:
    """Entries believed to be one person; the first entry is from the most reliable source."""

    entries: list[SourceEntry]
    key: str = ""  # name_key of the first entry, computed once for fuzzy matching
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def primary(self) -> SourceEntry:
        return self.entries[0]


@dataclass(frozen=True)
class MergeResult:
    records: tuple[CatalogRecord, ...]
    candidates: tuple[MatchCandidate, ...]


def merge_sources(
    sources: Sequence[SourceSpec],
    results: Mapping[str, ParseResult],
    gazetteer: Gazetteer,
    classifier: ProfessionClassifier,
    decisions: Mapping[str, str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> MergeResult:
    """Group entries into records; `decisions` (pair key -> 'same-person' or
    'different-people') settle candidate pairs: the same person is merged, and a decided
    pair no longer carries a possible-duplicate warning."""
    decisions = decisions or {}
    # Reliable sources first, manifest order within: the first entry of a group gives
    # the values shown.
    order = sorted(range(len(sources)), key=lambda i: (not sources[i].reliable, i))
    groups: list[_Group] = []
    by_key: dict[tuple[str, int | None], int] = {}
    by_year: dict[int | None, list[int]] = defaultdict(list)
    pending_candidates: list[tuple[int, int, float, str]] = []

    for source_index in order:
        spec = sources[source_index]
        result = results.get(spec.id)
        if result is None:
            continue
        progress.stage(f"Merging {spec.title}", len(result.entries))
        for count, entry in enumerate(result.entries, 1):
            if count % 2048 == 0:
                progress.step(2048)
            keys = _keys(entry)
            target = next((by_key[k] for k in keys if k in by_key), None)
            reason = ""
            if target is None:
                target, score, near = _fuzzy_match(entry, groups, by_year)
                if target is not None:
                    reason = f"merged on a close name match ({score:.0f}/100)"
                elif near is not None:
                    pending_candidates.append((near[0], len(groups), near[1], near[2]))
            if target is None:
                groups.append(_Group([entry], key=name_key(entry.name)))
                index = len(groups) - 1
                by_year[entry.year].append(index)
            else:
                index = target
                group = groups[index]
                if any(e.source_id == entry.source_id for e in group.entries):
                    group.diagnostics.append(
                        Diagnostic(
                            "duplicate-in-source",
                            f"{spec.title} lists this entry twice (lines "
                            f"{_line_of(group, entry.source_id)} and {entry.line})",
                            entry.line,
                            Severity.WARNING,
                        )
                    )
                if reason:
                    group.diagnostics.append(
                        Diagnostic("fuzzy-merged", f"{reason}: '{entry.name}'", entry.line)
                    )
                group.entries.append(entry)
            for key in keys:
                by_key.setdefault(key, index)

    titles = {s.id: s.title for s in sources}
    reliable = {s.id for s in sources if s.reliable}
    manifest_rank = {s.id: i for i, s in enumerate(sources)}
    ids = _assign_ids(groups)
    candidates = tuple(
        MatchCandidate(ids[a], ids[b], score, (why,), _label(groups[a]), _label(groups[b]))
        for a, b, score, why in pending_candidates
    )
    merged_into = _apply_decisions(groups, pending_candidates, candidates, decisions)
    undecided = [c for c in candidates if pair_key(c.record_a, c.record_b) not in decisions]
    records = [
        _record(group, ids[i], titles, reliable, manifest_rank, gazetteer, classifier)
        for i, group in enumerate(groups)
        if i not in merged_into
    ]
    records = _flag_candidates(records, undecided)
    return MergeResult(tuple(records), candidates)


def _label(group: _Group) -> str:
    primary = group.primary
    return primary.name if primary.year is None else f"{primary.name} ({primary.year})"


def _assign_ids(groups: Sequence[_Group]) -> list[str]:
    """'george-balanchine-1924': name and year of the shown entry, unique by suffix."""
    ids: list[str] = []
    taken: set[str] = set()
    for group in groups:
        primary = group.primary
        base = slug(primary.name) + (f"-{primary.year}" if primary.year is not None else "")
        record_id, n = base, 2
        while record_id in taken:
            record_id, n = f"{base}-{n}", n + 1
        taken.add(record_id)
        ids.append(record_id)
    return ids


def _apply_decisions(
    groups: list[_Group],
    pairs: Sequence[tuple[int, int, float, str]],
    candidates: Sequence[MatchCandidate],
    decisions: Mapping[str, str],
) -> dict[int, int]:
    """Merge the pairs a person marked as the same person; returns dropped -> kept group."""
    merged_into: dict[int, int] = {}

    def root(i: int) -> int:
        while i in merged_into:
            i = merged_into[i]
        return i

    for (a, b, _, _), candidate in zip(pairs, candidates, strict=True):
        if decisions.get(pair_key(candidate.record_a, candidate.record_b)) != Decision.SAME:
            continue
        # The earlier group came from the more reliable source, so it keeps the shown values.
        keep, drop = sorted((root(a), root(b)))
        if keep == drop:
            continue
        groups[keep].entries.extend(groups[drop].entries)
        groups[keep].diagnostics.extend(groups[drop].diagnostics)
        groups[keep].diagnostics.append(
            Diagnostic(
                "merged-by-decision",
                f"merged with '{groups[drop].primary.name}' ({groups[drop].primary.year}) "
                "because you marked them as the same person",
            )
        )
        merged_into[drop] = keep
    return merged_into


def _keys(entry: SourceEntry) -> list[tuple[str, int | None]]:
    names = [entry.name, entry.alias] if entry.alias else [entry.name]
    return [(name_key(n), entry.year) for n in names if name_key(n)]


def _line_of(group: _Group, source_id: str) -> int:
    return next(e.line for e in group.entries if e.source_id == source_id)


def _fuzzy_match(
    entry: SourceEntry, groups: list[_Group], by_year: Mapping[int | None, list[int]]
) -> tuple[int | None, float, tuple[int, float, str] | None]:
    """(group to merge into, score, nearest candidate below the merge score)."""
    if entry.year is None:
        return None, 0.0, None
    nearby = [
        (i, year)
        for year in (entry.year - 1, entry.year, entry.year + 1)
        for i in by_year.get(year, ())
    ]
    if not nearby:
        return None, 0.0, None
    choices = [groups[i].key for i, _ in nearby]
    best = process.extractOne(
        name_key(entry.name), choices, scorer=fuzz.token_sort_ratio, score_cutoff=CANDIDATE_SCORE
    )
    if best is None:
        return None, 0.0, None
    _, score, position = best
    index, year = nearby[position]
    if score >= MERGE_SCORE and year == entry.year:
        return index, score, None
    why = f"names {score:.0f}/100 alike, years {year} and {entry.year}"
    return None, score, (index, score, why)


def _record(
    group: _Group,
    record_id: str,
    titles: Mapping[str, str],
    reliable: set[str],
    manifest_rank: Mapping[str, int],
    gazetteer: Gazetteer,
    classifier: ProfessionClassifier,
) -> CatalogRecord:
    primary = group.primary
    sources = tuple(sorted({e.source_id for e in group.entries}, key=manifest_rank.__getitem__))
    diagnostics = [d for e in group.entries for d in e.diagnostics] + group.diagnostics
    conflicts = _conflicts(group, titles)
    diagnostics += conflicts
    warnings: list[Warning] = []
    if not any(s in reliable for s in sources):
        names = " and ".join(f"\u201c{titles[s]}\u201d" for s in sources)
        warnings.append(
            Warning(
                "only-unreliable", f"Found only in {names}; no reliable source lists this entry"
            )
        )
    if conflicts:
        fields = ", ".join(sorted({d.message.split(":")[0] for d in conflicts}))
        warnings.append(Warning("conflict", f"Sources disagree on: {fields}"))
    return CatalogRecord(
        id=record_id,
        name=primary.name,
        alias=next((e.alias for e in group.entries if e.alias), ""),
        profession=primary.profession,
        category=classifier.classify(primary.profession),
        birthplace=primary.birthplace,
        country=gazetteer.country_of(primary.birthplace) if primary.birthplace else "",
        year=primary.year,
        notes=primary.notes,
        sources=sources,
        entries=tuple(group.entries),
        warnings=tuple(warnings),
        diagnostics=tuple(diagnostics),
    )


def _conflicts(group: _Group, titles: Mapping[str, str]) -> list[Diagnostic]:
    """One `conflict` diagnostic per field on which the sources' values differ."""
    found = []
    for name in COMPARED_FIELDS:
        values: dict[str, list[str]] = defaultdict(list)
        for entry in group.entries:
            values[entry.value(name)].append(titles.get(entry.source_id, entry.source_id))
        if len(values) > 1:
            said = "; ".join(f"{', '.join(who)}: {v!r}" for v, who in values.items())
            found.append(
                Diagnostic("conflict", f"{name}: {said}", group.primary.line, Severity.WARNING)
            )
    return found


def _flag_candidates(
    records: list[CatalogRecord], candidates: Sequence[MatchCandidate]
) -> list[CatalogRecord]:
    if not candidates:
        return records
    by_id = {r.id: i for i, r in enumerate(records)}
    for c in candidates:
        if c.record_a not in by_id or c.record_b not in by_id:
            continue  # one of them was merged away by another decision
        for mine, other in ((c.record_a, c.record_b), (c.record_b, c.record_a)):
            i = by_id[mine]
            text = f"May be the same person as {records[by_id[other]].name} ({c.reasons[0]})"
            records[i] = dataclasses.replace(
                records[i], warnings=(*records[i].warnings, Warning("possible-duplicate", text))
            )
    return records
