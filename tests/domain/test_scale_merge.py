"""Merging a big added source: the blocked merge gives exactly what the old one gave.

`reference_merge_sources` below is `app/defectors_catalog/domain/merge/merging.py` as it was
before the merge
was made fast (commit cdb2751; only its progress calls left out, and one rule changed on
purpose for issue 14: within one source only rows identical after folding merge, a close
name in the same list becomes a candidate): one rapidfuzz
`extractOne` per entry over every group of the year before, the same year and the year
after. The tests merge the seeds and generated sources full of near-duplicates (typos,
dropped diacritics, swapped names, years one apart, scores exactly at the thresholds)
with both, and compare every record and candidate.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import gc
import io
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from anyascii import anyascii
from defectors_catalog import paths
from defectors_catalog.domain.merge import merging as merge
from defectors_catalog.domain.merge.comparing import comparable
from defectors_catalog.domain.merge.decisions import Decision, pair_key
from defectors_catalog.domain.merge.merging import MergeResult
from defectors_catalog.domain.model import (
    CatalogRecord,
    Diagnostic,
    MatchCandidate,
    ParseResult,
    RecordWarning,
    Reliability,
    Severity,
    SourceEntry,
    SourceSpec,
)
from defectors_catalog.domain.progress import NO_PROGRESS, CancelledError, Progress
from defectors_catalog.domain.query.table import TableColumns
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import ProfessionClassifier
from defectors_catalog.domain.sources.layouts import parse_file, parse_lines
from defectors_catalog.domain.sources.layouts.common import LINES_PER_STEP
from defectors_catalog.domain.sources.manifest import load_manifest
from defectors_catalog.domain.text import name_key, slug
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from benchmarks.synthetic import synthetic_columns, write_source
from tests.conftest import SEEDS

MERGE_SCORE = 96.0
CANDIDATE_SCORE = 88.0
COMPARED_FIELDS = ("alias", "profession", "birthplace", "year", "notes")

# ---- the reference: the merge before blocking, verbatim but for progress ----------


@dataclass
class _Group:
    """Entries believed to be one person; the first entry is from the most reliable source."""

    entries: list[SourceEntry]
    key: str = ""  # name_key of the first entry, computed once for fuzzy matching
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def primary(self) -> SourceEntry:
        return self.entries[0]


def reference_merge_sources(
    sources: Sequence[SourceSpec],
    results: Mapping[str, ParseResult],
    gazetteer: Gazetteer,
    classifier: ProfessionClassifier,
    decisions: Mapping[str, str] | None = None,
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
        for entry in result.entries:
            keys = _keys(entry)
            target = next((by_key[k] for k in keys if k in by_key), None)
            reason = ""
            if target is None:
                target, score, near = _fuzzy_match(entry, groups, by_year)
                if target is not None and any(
                    e.source_id == entry.source_id for e in groups[target].entries
                ):
                    # Changed on purpose since cdb2751 (issue 14): a source's own rows
                    # merge only when identical after folding; a close name in the same
                    # list is a candidate, no longer a silent merge.
                    why = f"{spec.title} lists both; names {score:.0f}/100 alike, year {entry.year}"
                    near = (target, score, why)
                    target = None
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
    compared = _conflicts(group, titles, gazetteer)
    diagnostics += compared
    conflicts = [d for d in compared if d.code == "conflict"]
    warnings: list[RecordWarning] = []
    if not any(s in reliable for s in sources):
        names = " and ".join(f"\u201c{titles[s]}\u201d" for s in sources)
        warnings.append(
            RecordWarning(
                "only-unreliable", f"Found only in {names}; no reliable source lists this entry"
            )
        )
    if conflicts:
        fields = ", ".join(sorted({d.message.split(":")[0] for d in conflicts}))
        warnings.append(RecordWarning("conflict", f"Sources disagree on: {fields}"))
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


def _conflicts(group: _Group, titles: Mapping[str, str], gazetteer: Gazetteer) -> list[Diagnostic]:
    """One `conflict` diagnostic per field on which the sources' values differ.

    Changed on purpose since cdb2751 (issue 16, "cross-checking that tells the truth"):
    values are compared in their comparable form (`comparing.comparable`: case, spacing,
    punctuation and reference markers aside; birthplaces as the places they name), a
    source that gives no value takes no part, and notes that differ are `notes-differ`,
    not a conflict. The rule is written out here plainly, field by field, so the fast
    merge is still checked against an independent walk.
    """
    found = []
    for name in COMPARED_FIELDS:
        values: dict[str, list[str]] = defaultdict(list)
        first_spelling: dict[str, str] = {}
        for entry in group.entries:
            value = entry.value(name)
            if name == "birthplace":
                parts = [comparable(p) for p in value.split(",")]
                places = [gazetteer.lookup_key(p) for p in parts]
                form = ",".join(
                    f"@{place.name}" if place else part
                    for part, place in zip(parts, places, strict=True)
                    if part
                )
            else:
                form = comparable(value)
            if not form:
                continue
            first_spelling.setdefault(form, value)
            values[form].append(titles.get(entry.source_id, entry.source_id))
        if len(values) > 1:
            said = "; ".join(
                f"{', '.join(who)}: {first_spelling[v]!r}" for v, who in values.items()
            )
            if name == "notes":
                found.append(
                    Diagnostic(
                        "notes-differ",
                        f"{name} worded differently (free text, not a conflict): {said}",
                        group.primary.line,
                        field=name,
                    )
                )
                continue
            found.append(
                # `field=`: the one change since, so no one parses the message again.
                Diagnostic(
                    "conflict", f"{name}: {said}", group.primary.line, Severity.WARNING, field=name
                )
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
                records[i],
                warnings=(*records[i].warnings, RecordWarning("possible-duplicate", text)),
            )
    return records


# ---- generated sources full of near-duplicates ---------------------------------------


SIZE = 2500  # synthetic records: about 1,800 archive rows, 700 forum rows
HEADER = "| Defector | Profession | Birthplace | Year | Notes |"
# Pairs whose scores sit exactly on the thresholds (checked in a test below).
ON_THE_THRESHOLDS = [
    # 25 + 25 characters, 2 edits: 96.0, same year: merged on a close match.
    ("Maximilian Kowalczykowski", "Maximilian Kowalczykowsky", 1950, 1950),
    # the same names a year apart: a candidate at 96.
    ("Bartholomew Szczepankowsk", "Bartholomew Szczepankowsz", 1952, 1953),
    # 11 + 14 characters, 3 edits: 88.0 exactly, a candidate.
    ("Jan Kowalsk", "Jan Kowalskiab", 1949, 1949),
    # 11 + 15 characters, 4 edits: 84.6, nothing.
    ("Jan Wiśniew", "Jan Wiśniewskabc", 1949, 1949),
]

# Groups that score the same against a later entry, listed in the order they are made.
TIES = [
    # Two groups of one year at 93.75 each (each a candidate of the one before).
    (("Karol Nowakowski", "Karol Nowakowskj", "Karol Nowakowskz"), 1970),
    # At 92.9 in the year before and the year after.
    (("Ewa Marczewska",), 1930),
    (("Ewa Marczewskb",), 1932),
    (("Ewa Marczewskc",), 1931),
    # One token-sorted name, four spellings: two groups of 1941 end up with it.
    (("Anna Maria Kowalska",), 1940),
    (("Maria Anna Kowalska", "Kowalska Anna Maria"), 1941),
    (("Kowalska Maria Anna",), 1942),
]


def near_duplicate_rows(columns: TableColumns, seed: int = 5) -> list[str]:
    """Rows that repeat generated records with the changes a person's list makes."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzáéőüż"
    rows: list[str] = []

    def row(name: str, year: int | None, i: int) -> str:
        year_cell = "unknown" if year is None else str(year)
        cells = (name, columns["profession"][i], columns["birthplace"][i], year_cell, "near")
        return "| " + " | ".join(cells) + " |"

    for i in rng.sample(range(len(columns)), 900):
        name, year = columns["name"][i], columns["year"][i]
        where = rng.randrange(1, max(2, len(name) - 1))
        change = rng.randrange(12)
        if change == 0:  # a typo
            name = name[:where] + rng.choice(letters) + name[where + 1 :]
        elif change == 1:  # a letter too many
            name = name[:where] + rng.choice(letters) + name[where:]
        elif change == 2:  # a letter missing
            name = name[:where] + name[where + 1 :]
        elif change == 3:  # diacritics dropped
            name = anyascii(name)
        elif change == 4:  # family name first
            name = " ".join(reversed(name.split()))
        elif change == 5 and year is not None:  # a year off by one
            year += rng.choice((-1, 1))
        elif change == 6 and year is not None:  # both
            name = name[:where] + rng.choice(letters) + name[where + 1 :]
            year += rng.choice((-1, 1))
        elif change == 7:
            name += " Jr"
        elif change == 8:
            name = name.upper()
        elif change == 9:
            year = None
        elif change == 10:  # listed twice in this source
            rows.append(row(name, year, i))
        rows.append(row(name, year, i))
    for first, second, year_a, year_b in ON_THE_THRESHOLDS:
        rows += [row(first, year_a, 0), row(second, year_b, 1)]
    # Names with an empty name key: they match each other at 100 in the same year.
    rows += [row("???", 1960, 2), row("\u2014", 1960, 3), row("...", 1961, 4)]
    rows += [row("Vladimir Rezun (Viktor Suvorov)", 1978, 5), row("Viktor Suvorow", 1978, 6)]
    rng.shuffle(rows)
    # Ties, in this order: the first group of equal score must win.
    for names, year in TIES:
        rows += [row(name, year, 7) for name in names]
    return [HEADER, "|---|---|---|---|---|", *rows]


def spec(source_id: str, path: Path, reliable: bool) -> SourceSpec:
    return SourceSpec(
        id=source_id, title=f"{source_id} (test)", label=source_id[:6], path=path,
        layout="auto",
        reliability=Reliability.RELIABLE if reliable else Reliability.UNRELIABLE,
        license="test", origin="generated", retrieved="", colour="#000000",
    )  # fmt: skip


@dataclass(frozen=True)
class Merging:
    sources: tuple[SourceSpec, ...]
    parses: dict[str, ParseResult]
    gazetteer: Gazetteer
    classifier: ProfessionClassifier

    def new(self, decisions=None, progress: Progress = NO_PROGRESS) -> MergeResult:
        return merge.merge_sources(
            self.sources, self.parses, self.gazetteer, self.classifier, decisions, progress
        )

    def reference(self, decisions=None) -> MergeResult:
        return reference_merge_sources(
            self.sources, self.parses, self.gazetteer, self.classifier, decisions
        )


@pytest.fixture(scope="module")
def columns(classifier) -> TableColumns:
    return synthetic_columns(SIZE, classifier, seed=7)


@pytest.fixture(scope="module")
def merging(tmp_path_factory, columns, context, gazetteer, classifier) -> Merging:
    folder = tmp_path_factory.mktemp("big")
    write_source(columns, "state-archive", folder / "archive.md")
    write_source(columns, "emigre-forum", folder / "forum.md")
    (folder / "near.md").write_text("\n".join(near_duplicate_rows(columns)), encoding="utf-8")
    sources = [
        *load_manifest(paths.manifest_path()),
        spec("archive", folder / "archive.md", reliable=True),
        spec("forum", folder / "forum.md", reliable=False),
        spec("near", folder / "near.md", reliable=True),
    ]
    parses = {s.id: parse_file(s.path, s.id, s.layout, context) for s in sources}
    return Merging(tuple(sources), parses, gazetteer, classifier)


@pytest.fixture(scope="module")
def reference(merging: Merging) -> MergeResult:
    return merging.reference()


def assert_same(new: MergeResult, old: MergeResult) -> None:
    """Equal results; on a difference, the first differing candidate or record."""
    assert len(new.candidates) == len(old.candidates)
    for mine, theirs in zip(new.candidates, old.candidates, strict=True):
        assert mine == theirs
    assert len(new.records) == len(old.records)
    for record, expected in zip(new.records, old.records, strict=True):
        assert record == expected


# ---- the tests ----------------------------------------------------------------------


def test_the_generated_sources_exercise_every_rule(reference):
    """Otherwise comparing with the reference would prove little."""
    diagnostics = [d for r in reference.records for d in r.diagnostics]
    fuzzy = [d.message for d in diagnostics if d.code == "fuzzy-merged"]
    assert len(fuzzy) >= 20
    assert any("(96/100)" in m for m in fuzzy)
    assert any("(100/100)" in m for m in fuzzy)
    assert any(d.code == "duplicate-in-source" for d in diagnostics)
    scores = [c.score for c in reference.candidates]
    assert len(scores) >= 50
    assert 88.0 in scores and 100.0 in scores
    assert any(88 < s < 96 for s in scores)
    # a close pair a year apart, and one in the same year below the merge score
    assert any(c.reasons[0].endswith(f"years {c.label_a[-5:-1]} and {c.label_b[-5:-1]}")
               and c.label_a[-5:-1] != c.label_b[-5:-1] for c in reference.candidates)  # fmt: skip
    assert any(c.label_a[-5:-1] == c.label_b[-5:-1] for c in reference.candidates)


def test_ties_go_to_the_first_group_of_equal_score(reference):
    """What the scan over the groups of three years in order did; see TIES."""
    labels = {(c.label_a, c.label_b) for c in reference.candidates}
    assert ("Karol Nowakowski (1970)", "Karol Nowakowskz (1970)") in labels
    assert ("Ewa Marczewska (1930)", "Ewa Marczewskc (1931)") in labels
    assert ("Maria Anna Kowalska (1941)", "Kowalska Maria Anna (1942)") in labels


def test_the_threshold_pairs_score_exactly_on_the_thresholds():
    scores = [fuzz.token_sort_ratio(name_key(a), name_key(b)) for a, b, _, _ in ON_THE_THRESHOLDS]
    assert scores[:3] == [96.0, 96.0, 88.0]
    assert scores[3] < 88.0


@pytest.mark.parametrize("strategy", ["fewer", "all-pairs", "by-year", "blocked"])
def test_same_records_and_candidates_as_the_reference(merging, reference, strategy, monkeypatch):
    close_keys = functools.partial(merge._close_keys, strategy=strategy)
    monkeypatch.setattr(merge, "_close_keys", close_keys)
    assert_same(merging.new(), reference)


@pytest.mark.parametrize("at_once", [1, 3])
def test_conflicts_worded_a_few_groups_at_a_time_are_the_same(
    merging, reference, at_once, monkeypatch
):
    from defectors_catalog.domain.merge import conflicts

    monkeypatch.setattr(conflicts, "_WORDED_AT_ONCE", at_once)
    assert_same(merging.new(), reference)


def test_same_result_as_the_reference_with_decisions(merging, reference):
    pairs = [pair_key(c.record_a, c.record_b) for c in reference.candidates]
    decisions = {key: Decision.SAME for key in pairs[:12:2]}
    decisions |= {key: Decision.DIFFERENT for key in pairs[1:12:2]}
    old = merging.reference(decisions)
    assert len(old.records) < len(reference.records)  # some pairs were merged
    assert_same(merging.new(decisions), old)


def test_token_sort_ratio_is_ratio_of_the_token_sorted_keys(columns):
    """What lets the merge score each pair of distinct sorted keys only once."""
    keys = [name_key(n) for n in columns["name"][:300]] + ["", "b a", "a  b"]
    for a in keys:
        for b in keys[:40]:
            sorted_a, sorted_b = (" ".join(sorted(k.split())) for k in (a, b))
            assert fuzz.token_sort_ratio(a, b) == fuzz.ratio(sorted_a, sorted_b)


def test_name_keys_in_batches_equal_name_key_one_by_one(columns):
    tricky = [
        "", " ", "G. M. Dimitrov", "G.M.  Dimitrov", "\u01c4emal", "Straße", "Щукин",
        "Kiều Mẫn Hoàng", "毛泽东", "a\tb", "x\u00a0y", "\u2014", "O'Brien", "Jean-Luc",
        " lead", "trail ", "e\u0301", "ﬁne", "1956", "ÆØÅ", "a\x00b", "...", "Ǆ-ǅ",
    ]  # fmt: skip
    values = tricky + list(columns["name"]) + list(columns["alias"])
    assert merge.name_keys(values) == [name_key(v) for v in values]


# ---- progress and cancelling --------------------------------------------------------


class Recorder:
    """Every report (interval 0); cancels at the first report `when` accepts."""

    def __init__(self, when=None) -> None:
        self.reports: list[tuple[str, int, int]] = []
        self.progress = Progress(self.report, interval=0)
        self.when = when
        self.cancelled_at: tuple[str, int] | None = None

    def report(self, stage: str, done: int, total: int) -> None:
        # (Progress caps what it reports at the total; counting past it is a mistake.)
        assert self.progress.done <= total or total == 0, (stage, self.progress.done, total)
        self.reports.append((stage, done, total))
        if self.when is not None and self.cancelled_at is None and self.when(stage, done, total):
            self.cancelled_at = (stage, done)
            self.progress.cancel()

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _, _ in self.reports))

    def assert_counts_up_to_each_total(self) -> None:
        """Within each stage (a new name or a new total starts one) the count never goes
        back and ends at the total; a stage of unknown size (total 0) only says its name."""
        segments: list[list[tuple[str, int, int]]] = []
        for report in self.reports:
            if not segments or segments[-1][-1][::2] != report[::2]:
                segments.append([])
            segments[-1].append(report)
        for segment in segments:
            stage, _, total = segment[0]
            done = [d for _, d, _ in segment]
            assert done == sorted(done), stage
            assert done[-1] == total, stage

    def work_after_cancel(self) -> int:
        """Steps counted after the cancel, in the stage it came in (at most one step)."""
        assert self.cancelled_at is not None
        assert self.progress.stage_name == self.cancelled_at[0]  # no later stage began
        return self.progress.done - self.cancelled_at[1]


def test_merge_reports_every_stage_up_to_its_total(merging):
    recorder = Recorder()
    merging.new(progress=recorder.progress)
    assert recorder.stages() == [
        "Preparing names",
        "Comparing names",
        *(f"Merging {s.title}" for s in merging.sources if s.reliable),
        *(f"Merging {s.title}" for s in merging.sources if not s.reliable),
        "Building records",
    ]
    recorder.assert_counts_up_to_each_total()


@pytest.mark.parametrize(
    ("stage", "most_work"),
    [
        ("Preparing names", merge._KEY_BATCH),
        ("Comparing names", merge._CELLS_PER_CALL * 2),
        ("Merging archive", merge.STEP),
        ("Building records", merge.STEP),
    ],
)
def test_cancelling_stops_the_merge_within_a_step(merging, stage, most_work):
    first = Recorder(lambda name, done, total: name.startswith(stage))
    with pytest.raises(CancelledError):
        merging.new(progress=first.progress)
    assert first.work_after_cancel() <= most_work
    halfway = Recorder(lambda name, done, total: name.startswith(stage) and done >= total / 2)
    with pytest.raises(CancelledError):
        merging.new(progress=halfway.progress)
    assert halfway.work_after_cancel() <= most_work


def plain_rows(columns: TableColumns) -> list[str]:
    """The fan wiki's layout: 'Name profession Country Year Notes' without borders."""
    lines = ["Defector Profession/", "Country Year Notes"]
    for i in range(len(columns)):
        if columns["year"][i] is not None and columns["country"][i]:
            name, profession = columns["name"][i], columns["profession"][i].lower()
            country, year, notes = columns["country"][i], columns["year"][i], columns["notes"][i]
            lines.append(f"{name} {profession} {country} {year} {notes}")
    return lines


def delimited_rows(columns: TableColumns) -> list[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "profession", "birthplace", "year", "notes"])
    for i in range(len(columns)):
        writer.writerow([columns["name"][i], columns["profession"][i], columns["birthplace"][i],
                         columns["year"][i] or "", columns["notes"][i]])  # fmt: skip
    return out.getvalue().split("\n")[:-1]


@pytest.fixture(scope="module")
def big_files(columns, tmp_path_factory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("layouts")
    write_source(columns, "state-archive", folder / "pipe.md")
    return {
        "pipe-table": (folder / "pipe.md").read_text(encoding="utf-8").split("\n")[:-1],
        "plain-rows": plain_rows(columns),
        "delimited": delimited_rows(columns),
    }


@pytest.mark.parametrize("layout", ["pipe-table", "plain-rows", "delimited"])
def test_parsing_reports_the_lines_read_up_to_the_total(big_files, context, layout):
    lines = big_files[layout]
    recorder = Recorder()
    recorder.progress.stage("Reading big.txt")
    result = parse_lines(lines, "big", "auto", context, recorder.progress)
    assert result.layout == layout
    assert len(result.entries) > 1000
    assert recorder.stages() == ["Reading big.txt"]
    passes = 2 if layout == "plain-rows" else 1
    assert recorder.reports[-1] == ("Reading big.txt", passes * len(lines), passes * len(lines))
    assert len(recorder.reports) > 3  # a report every few hundred lines, not only the end
    recorder.assert_counts_up_to_each_total()


@pytest.mark.parametrize("layout", ["pipe-table", "plain-rows", "delimited"])
@pytest.mark.parametrize("at", ["first report", "halfway"])
def test_cancelling_stops_parsing_within_a_step(big_files, context, layout, at):
    def when(stage, done, total):
        return at == "first report" or done >= total / 2

    recorder = Recorder(when)
    with pytest.raises(CancelledError):
        parse_lines(big_files[layout], "big", "auto", context, recorder.progress)
    assert recorder.work_after_cancel() <= LINES_PER_STEP


def test_parse_file_names_the_stage_after_the_caller_and_counts_lines(merging, context):
    path = next(s.path for s in merging.sources if s.id == "archive")
    recorder = Recorder()
    recorder.progress.stage("Reading the archive")
    parse_file(path, "archive", "auto", context, recorder.progress)
    lines = len(path.read_text(encoding="utf-8").split("\n")) - 1
    assert recorder.reports[-1] == ("Reading the archive", lines, lines)


def test_seed_files_parse_the_same_with_progress(context):
    for path in SEEDS.iterdir():
        if path.suffix in {".md", ".txt"}:
            lines = path.read_text(encoding="utf-8").split("\n")
            quiet = parse_lines(lines, "seed", "auto", context)
            counted = parse_lines(lines, "seed", "auto", context, Recorder().progress)
            assert counted == quiet


@pytest.mark.parametrize("collecting", [True, False])
def test_the_garbage_collector_is_left_as_it_was(merging, big_files, context, collecting):
    """Merging and parsing pause it; they must not leave it paused (or switch it on)."""
    was = gc.isenabled()
    try:
        gc.enable() if collecting else gc.disable()
        merging.new()
        assert gc.isenabled() is collecting
        cancelled = Recorder(lambda stage, done, total: stage.startswith("Merging"))
        with pytest.raises(CancelledError):
            merging.new(progress=cancelled.progress)
        assert gc.isenabled() is collecting
        parse_lines(big_files["pipe-table"], "big", "auto", context)
        assert gc.isenabled() is collecting
    finally:
        gc.enable() if was else gc.disable()


def test_one_list_never_merges_close_names_of_its_own(tmp_path, context, gazetteer, classifier):
    """Issue 14: 200 distinct "Wide PersonN" rows of one table are 200 records; the close
    names within the list are candidates, and only the row identical after folding merges."""
    rows = ["Name,Year", *(f"Wide Person{n},1970" for n in range(200)), "WIDE  PERSON7,1970"]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wide = spec("wide", path, reliable=True)
    parses = {"wide": parse_file(path, "wide", "auto", context)}
    result = merge.merge_sources([wide], parses, gazetteer, classifier)
    assert len(result.records) == 200
    seventh = next(r for r in result.records if r.name == "Wide Person7")
    assert len(seventh.entries) == 2
    assert any(d.code == "duplicate-in-source" for d in seventh.diagnostics)
    assert not any(d.code == "fuzzy-merged" for r in result.records for d in r.diagnostics)
    within = [c for c in result.candidates if "lists both" in c.reasons[0]]
    assert len(within) >= 65
    assert all(c.score >= merge.MERGE_SCORE for c in within)


def test_blocked_comparison_finds_a_typo_at_either_end():
    keys = ["kovacs andras", "kovacs andraz", "zovacs andras", "nagy bela", "nagy belq"]
    years = [{1956}] * len(keys)
    close = merge._close_keys(keys, years, strategy="blocked")
    assert {k for k, _ in close[0]} == {0, 1, 2}
    assert {k for k, _ in close[3]} == {3, 4}


# Names as the seeds give them, aliases included, and forms that fold to the same key.
_SEED_NAMES = (
    "Vladimir Rezun (Viktor Suvorov)", "Viktor Suvorov", "Vladimir Rezun", "Rezun Vladimir",
    "Rudolf Nureyev", "Rudolf Nurejev", "Nureyev Rudolf", "RUDOLF NUREYEV", "",
    "Mikhail Baryshnikov", "Mihail Baryshnikov", "Oleg Gordievsky", "Oleg Gordievskiy",
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 2),  # the source
            st.sampled_from(_SEED_NAMES),
            st.one_of(st.none(), st.integers(1960, 1963)),
        ),
        max_size=40,
    ),
    reliable=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_any_mix_of_exact_alias_and_close_names_merges_as_the_reference(
    rows: list[tuple[int, str, int | None]], reliable: list[bool], gazetteer, classifier
):
    """Exact matches are placed for all entries at once and only the rest walked: on
    any order of names, aliases, years and sources, the records and candidates are
    the walk's over every entry."""
    from defectors_catalog.domain.text import split_alias

    sources = tuple(spec(f"s{n}", Path(f"s{n}.md"), reliable[n]) for n in range(3))
    entries: dict[str, list[SourceEntry]] = {s.id: [] for s in sources}
    for line, (source, cell, year) in enumerate(rows, 1):
        name, alias = split_alias(cell)
        entries[f"s{source}"].append(
            SourceEntry(f"s{source}", line, f"| {cell} | {year} |", name, alias, "Dancer",
                        "Moscow", year, "")
        )  # fmt: skip
    parses = {s.id: ParseResult(s.id, "pipe-table", tuple(entries[s.id]), ()) for s in sources}
    merged = merge.merge_sources(sources, parses, gazetteer, classifier)
    assert_same(merged, reference_merge_sources(sources, parses, gazetteer, classifier, None))
