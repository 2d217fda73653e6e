"""Merging entries from all sources into records, keeping what each source said.

Same person: equal `name_key` (of name or alias) and equal year. A fuzzy name match
(rapidfuzz) at or above MERGE_SCORE with the same year also merges, and says so;
between CANDIDATE_SCORE and MERGE_SCORE, with years at most one apart, the pair is
only reported as a candidate, never merged silently.

How the fuzzy match is found matters at scale (a person may add a list of a million
rows). An entry without an exact match is compared with every group of the year before,
the same year and the year after: the best `token_sort_ratio` of its name key against
each group's wins, the first such group on a tie (year before, then same year, then
year after; older groups first). That rule is kept exactly, but the scores are not
computed entry by entry:

- a score depends only on the two names' token-sorted keys, so it is worked out once
  per pair of distinct keys (`_close_keys`), before the entries are walked;
- a pair can only reach CANDIDATE_SCORE if its lengths are close (the score is at most
  `100 * (1 - |a - b| / (a + b))`), so only such pairs are compared, in C
  (`process.cdist`), and only the few close ones are scored again one by one;
- the pairs compared are either all pairs of keys (few distinct names, as in generated
  lists) or only keys listed in the same or neighbouring years (many distinct names),
  whichever is fewer comparisons; both find every pair the walk can ask about.

Exact matches (equal name or alias key and year) are found for all entries at once
(`_Placement`); only the entries with none are walked one by one, in order, each close
key looked up in the groups of the three years.
Python's cyclic garbage collector is paused meanwhile (`collector_paused`): a million
entries make millions of objects, and its full collections walked all of them again
and again.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import attrgetter, is_
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from defectors_catalog.domain.codes import DiagnosticCode, WarningCode
from defectors_catalog.domain.folding import fold_many
from defectors_catalog.domain.gc_pause import collector_paused
from defectors_catalog.domain.merge.comparing import ValueComparer
from defectors_catalog.domain.merge.conflicts import conflicts_of
from defectors_catalog.domain.merge.decisions import Decision, pair_key
from defectors_catalog.domain.model import (
    CatalogRecord,
    Diagnostic,
    MatchCandidate,
    ParseResult,
    RecordWarning,
    Severity,
    SourceEntry,
    SourceSpec,
    made_in_bulk,
)
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.name_variants import NO_VARIANTS, NameVariants
from defectors_catalog.domain.reference.professions import ProfessionClassifier

MERGE_SCORE = 96.0
CANDIDATE_SCORE = 88.0
# Entries (or records) between progress steps: a few milliseconds of work, so that a
# cancel is noticed at once and reports stay cheap.
STEP = 2048
# Name pairs compared in one `process.cdist` call (a byte each; about 50 ms of work).
_CELLS_PER_CALL = 1 << 21
# `process.cdist` lets through a little below CANDIDATE_SCORE, so that no pair the exact
# score accepts can be lost to rounding in its faster code path; each pair it lets
# through is scored again with `fuzz.ratio`, as the walk would.
_PREFILTER_MARGIN = 1.0
# Above this many exact comparisons the keys are compared in blocks (`_close_keys`):
# about a second of `process.cdist`.
_EXACT_BUDGET = 1 << 25
# Neighbours each key is compared with in a block, in each of the two sort orders.
_NEIGHBOURS = 12
_IntArray = npt.NDArray[np.int64]
_T = TypeVar("_T")
_SOURCE_OF = attrgetter("source_id")
_DIAGNOSTICS_OF = attrgetter("diagnostics")


@dataclass(slots=True)
class _Group:
    """Entries believed to be one person; the first entry is from the most reliable source."""

    entries: list[SourceEntry]
    key: str = ""  # name_key of the first entry: gives the record id
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
    variants: NameVariants = NO_VARIANTS,
) -> MergeResult:
    """Group entries into records; `decisions` (pair key -> 'same-person' or
    'different-people') settle candidate pairs: the same person is merged, and a decided
    pair no longer carries a possible-duplicate warning. Names are compared with their
    first names as `variants` spells them (`Aleksandr` as `Alexander`)."""
    with collector_paused():
        return _merge(sources, results, gazetteer, classifier, decisions or {}, progress, variants)


def _merge(
    sources: Sequence[SourceSpec],
    results: Mapping[str, ParseResult],
    gazetteer: Gazetteer,
    classifier: ProfessionClassifier,
    decisions: Mapping[str, str],
    progress: Progress,
    variants: NameVariants,
) -> MergeResult:
    # Reliable sources first, manifest order within: the first entry of a group gives
    # the values shown.
    order = sorted(range(len(sources)), key=lambda i: (not sources[i].reliable, i))
    batches = [(sources[i], results[sources[i].id]) for i in order if sources[i].id in results]
    entries = [entry for _, result in batches for entry in result.entries]

    with_alias = [i for i, e in enumerate(entries) if e.alias]
    progress.stage("Preparing names", len(entries) + len(with_alias))
    names = name_keys([e.name for e in entries], progress)
    aliases = [""] * len(entries)
    alias_keys = name_keys([entries[i].alias for i in with_alias], progress)
    for i, key in zip(with_alias, alias_keys, strict=True):
        aliases[i] = key
    # Names as they are matched: the first name as its variant group spells it. The
    # name keys themselves stay as they are: they give the record ids.
    shown = names
    if variants.canonical:
        # Once per distinct key: a big list repeats its names.
        matched = {key: variants.match_key(key) for key in dict.fromkeys([*names, *aliases])}
        names = list(map(matched.__getitem__, names))
        aliases = list(map(matched.__getitem__, aliases))
    sorted_of: dict[str, int] = {}  # name key -> id of its token-sorted form
    vocabulary: dict[str, int] = {}  # token-sorted name key -> id
    for name in _checked(dict.fromkeys(names), progress):
        tokens = " ".join(sorted(name.split()))
        sorted_of[name] = vocabulary.setdefault(tokens, len(vocabulary))
    key_of = list(map(sorted_of.__getitem__, names))
    years_of: list[set[int]] = [set() for _ in vocabulary]
    years = [e.year for e in entries]
    # Each (key, year) once, in the order first met: the same sets, fewer steps.
    for key_id, year in _checked(dict.fromkeys(zip(key_of, years, strict=True)), progress):
        if year is not None:
            years_of[key_id].add(year)
    close = _close_keys(list(vocabulary), years_of, progress)

    placed = _Placement(entries, names, aliases, years, [len(r.entries) for _, r in batches])
    pending_candidates = placed.walk([spec.title for spec, _ in batches], key_of, close, progress)
    groups = placed.groups(shown, [spec.title for spec, _ in batches],
                           variants if names is not shown else None)  # fmt: skip

    titles = {s.id: s.title for s in sources}
    reliable = {s.id for s in sources if s.reliable}
    manifest_rank = {s.id: i for i, s in enumerate(sources)}
    ids = _assign_ids(_checked(groups, progress))
    candidates = _candidates(groups, ids, pending_candidates, progress)
    merged_into: dict[int, int] = {}
    undecided = [(a, b, c) for (a, b, _, _), c in zip(pending_candidates, candidates, strict=True)]
    if decisions:
        merged_into = _apply_decisions(groups, pending_candidates, candidates, decisions)
        undecided = [
            u for u in undecided if pair_key(u[2].record_a, u[2].record_b) not in decisions
        ]
    duplicates = _duplicate_warnings(groups, merged_into, _checked(undecided, progress))
    progress.stage("Building records", len(groups))
    build = _RecordBuilder(titles, reliable, manifest_rank, gazetteer, classifier)
    kept = [g for i, g in enumerate(groups) if i not in merged_into] if merged_into else groups
    kept_ids = [ids[i] for i in range(len(groups)) if i not in merged_into] if merged_into else ids
    kept_duplicates = (
        [duplicates.get(i, ()) for i in range(len(groups)) if i not in merged_into]
        if merged_into
        else [duplicates.get(i, ()) for i in range(len(groups))]
    )
    records = build.records(kept, kept_ids, kept_duplicates, progress)
    progress.step(len(groups) - len(kept))
    return MergeResult(records, candidates)


class _Placement:
    """Which group each entry joins: the walk over the entries in order, with its
    exact matches worked out beforehand for all entries at once.

    An entry joins the group of the first earlier entry that registered its name key
    (or else its alias key) with its year, as a walk keeping a dict of keys would
    find it (the first registration of a key is kept). Those exact matches do not
    depend on the walk: the first entry registering each key is found by dicts built
    in C, and each entry points to the entry whose group it joins (`pointer`; -1 when
    none does: a "fresh" entry). Only fresh entries are walked one by one, in order: a
    close-name match may merge them into an older group or leave a candidate pair,
    or they start a group. A million-row list has about half as many fresh entries,
    and most of them have no close name at all.
    """

    def __init__(
        self,
        entries: Sequence[SourceEntry],
        names: Sequence[str],
        aliases: Sequence[str],
        years: Sequence[int | None],
        sizes: Sequence[int],
    ) -> None:
        count = len(entries)
        self.entries = entries
        self.years = years
        self.sizes = sizes
        # The batch (source) of each entry: batches are consecutive runs of entries.
        self.batch = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        position = np.arange(count, dtype=np.int64)
        named = np.fromiter(map(bool, names), bool, count)
        alias_at = np.flatnonzero(np.fromiter(map(bool, aliases), bool, count))
        # Each (key, year) as one number: the key's code among all distinct keys, then
        # the year (0 for none): sorting numbers, where dicts of a million (key, year)
        # tuples took 130 MB at a million rows (1.3 GB at ten million).
        given = np.array(years, dtype=object)
        unknown = np.fromiter(map(is_, years, repeat(None, count)), bool, count)
        known = given[~unknown].astype(np.int64)
        first_year = int(known.min()) if len(known) else 0
        offsets = np.zeros(count, dtype=np.int64)
        offsets[~unknown] = known - first_year + 1
        width = int(offsets.max(initial=0)) + 1
        code_of = {key: code for code, key in enumerate(dict.fromkeys(chain(names, aliases)))}
        name_keys = np.fromiter(map(code_of.__getitem__, names), np.int64, count) * width + offsets
        alias_keys = (
            np.fromiter(map(code_of.__getitem__, compress(aliases, aliases)), np.int64,
                        len(alias_at)) * width + offsets[alias_at]
        )  # fmt: skip
        del code_of, given
        # The first entry registering each key (its name key if it has a name, its alias
        # key if it has an alias): a key's registrations sorted by entry, the first kept.
        registered = np.concatenate([name_keys[named], alias_keys])
        by = np.concatenate([position[named], alias_at])
        order = np.lexsort((by, registered))
        registered, by = registered[order], by[order]
        runs = np.flatnonzero(np.concatenate(([True], registered[1:] != registered[:-1])))
        runs = runs[runs < len(registered)]  # none when nothing is registered
        distinct, first = registered[runs], by[runs]
        del registered, by, order, runs
        # Every name key is registered (by its own entry at least); an empty name's key
        # is not, and is never looked up: its entry can match only by its alias.
        at = np.minimum(np.searchsorted(distinct, name_keys), max(len(distinct) - 1, 0))
        earlier = first[at] if len(distinct) else position
        pointer = np.where(named & (earlier < position), earlier, -1)
        if len(alias_at):
            via = first[np.searchsorted(distinct, alias_keys)]
            use = (pointer[alias_at] < 0) & (via < alias_at)
            pointer[alias_at[use]] = via[use]
        # The fresh entry each exact match leads back to (pointers only go back).
        root = np.where(pointer >= 0, pointer, position)
        while True:
            further = root[root]
            if np.array_equal(further, root):
                break
            root = further
        self.root = root
        self.fresh = np.flatnonzero(pointer < 0)
        # (fresh entry, batch) -> the first exact match leading to it from that batch:
        # whether a group lists a source before a given entry, without walking them.
        exact = np.flatnonzero(pointer >= 0)
        keys = root[exact] * len(sizes) + self.batch[exact]
        distinct, at_first = np.unique(keys, return_index=True)
        self.exact_keys: list[int] = distinct.tolist()  # sorted, for `bisect`
        self.first_exact: list[int] = exact[at_first].tolist()
        self.group_of = [-1] * count  # for fresh entries; the others follow their root
        self.members: list[list[int]] = []  # each group's fresh entries, in order
        self.fuzzy: dict[int, float] = {}  # fresh entry -> score it merged on

    def walk(
        self,
        titles: Sequence[str],
        key_of: Sequence[int],
        close: Sequence[Sequence[tuple[int, float]]],
        progress: Progress,
    ) -> list[tuple[int, int, float, str]]:
        """Place the fresh entries, in order; returns the candidate pairs met (group,
        group, score, why)."""
        years, group_of, members = self.years, self.group_of, self.members
        # token-sorted key id -> year -> the oldest group of that key and year: the one
        # a fuzzy match picks among groups of equal score.
        first_group: dict[int, dict[int, int]] = defaultdict(dict)
        pending: list[tuple[int, int, float, str]] = []
        fresh = self.fresh
        start = 0
        for batch, (title, size) in enumerate(zip(titles, self.sizes, strict=True)):
            progress.stage(f"Merging {title}", size)
            for chunk in range(start, start + size, STEP):
                stop = min(chunk + STEP, start + size)
                low, high = np.searchsorted(fresh, [chunk, stop]).tolist()
                for i in fresh[low:high].tolist():
                    year = years[i]
                    key = key_of[i]
                    nearby = close[key]
                    target: int | None = None
                    # No close name, or only its own with no group yet: a new group.
                    if year is not None and nearby and (len(nearby) > 1 or key in first_group):
                        target, score, near = _fuzzy_match(year, nearby, first_group)
                        if target is not None and self._lists(target, batch, i):
                            # One list giving two close names means two rows, not a typo
                            # to mend: only rows identical after folding merge within a
                            # source.
                            why = f"{title} lists both; names {score:.0f}/100 alike, year {year}"
                            near = (target, score, why)
                            target = None
                        if target is not None:
                            self.fuzzy[i] = score
                        elif near is not None:
                            pending.append((near[0], len(members), near[1], near[2]))
                    if target is None:
                        group_of[i] = len(members)
                        if year is not None:
                            first_group[key].setdefault(year, len(members))
                        members.append([i])
                    else:
                        group_of[i] = target
                        members[target].append(i)
                progress.step(stop - chunk)
            start += size
        return pending

    def _lists(self, group: int, batch: int, before: int) -> bool:
        """Whether `group` holds an entry of `batch` earlier than entry `before`."""
        batches = len(self.sizes)
        for fresh in self.members[group]:
            if self.batch[fresh] == batch:
                return True
            key = fresh * batches + batch
            at = bisect_left(self.exact_keys, key)
            found = at < len(self.exact_keys) and self.exact_keys[at] == key
            if found and self.first_exact[at] < before:
                return True
        return False

    def groups(
        self, shown: Sequence[str], titles: Sequence[str], variants: NameVariants | None
    ) -> list[_Group]:
        """The groups, their entries in order, with what was said as they joined: a
        list giving an entry twice, a close-name merge, a name variant (`variants`,
        when in use), in the order of the entries said about."""
        entries = self.entries
        count = len(entries)
        group_of = np.asarray(self.group_of, dtype=np.int64)[self.root]
        creators = np.fromiter((m[0] for m in self.members), np.int64, len(self.members))
        order = np.argsort(group_of, kind="stable")
        ends = np.cumsum(np.bincount(group_of, minlength=len(creators))).tolist()
        ordered = list(map(entries.__getitem__, order.tolist()))
        groups = [
            _Group(ordered[begin:end], key=shown[creator])
            for begin, end, creator in zip([0, *ends][:-1], ends, creators.tolist(), strict=True)
        ]
        position = np.arange(count, dtype=np.int64)
        # A second entry of one source in a group: the first of that source came first.
        keys = group_of * len(self.sizes) + self.batch
        _, at_first, which = np.unique(keys, return_index=True, return_inverse=True)
        earlier = at_first[which.reshape(-1)]
        twice = np.flatnonzero(earlier < position)
        said = [twice, np.fromiter(self.fuzzy, np.int64, len(self.fuzzy))]
        joined = position[creators[group_of] != position]
        if variants is not None and len(joined):
            names = np.fromiter(map(attrgetter("name"), entries), object, count)
            differ = names[joined] != names[creators[group_of[joined]]]
            said.append(joined[differ.astype(bool)])
        # What each noted entry gets, worked out as lists (a numpy scalar per lookup
        # cost more than the note itself): its group, and for a second listing the
        # line of the first.
        noted = np.unique(np.concatenate(said))
        group_list = group_of[noted].tolist()
        seconds = twice.tolist()
        lines = list(map(attrgetter("line"), map(entries.__getitem__, seconds)))
        firsts = map(attrgetter("line"), map(entries.__getitem__, earlier[twice].tolist()))
        messages = [
            f"{titles[batch]} lists this entry twice (lines {first} and {line})"
            for batch, first, line in zip(self.batch[twice].tolist(), firsts, lines, strict=True)
        ]
        code = repeat(DiagnosticCode.DUPLICATE_IN_SOURCE, len(seconds))
        warning, no_field = repeat(Severity.WARNING, len(seconds)), repeat("", len(seconds))
        twice_made = made_in_bulk(
            Diagnostic, (code, messages, lines, warning, no_field), len(seconds)
        )
        twice_note = dict(zip(seconds, twice_made, strict=True))
        differing = set(said[2].tolist()) if len(said) > 2 else set()
        for i, group_index in zip(noted.tolist(), group_list, strict=True):
            group = groups[group_index]
            note = twice_note.get(i)
            if note is not None:
                group.diagnostics.append(note)
            score = self.fuzzy.get(i)
            if score is not None:
                entry = entries[i]
                group.diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.FUZZY_MERGED,
                        f"merged on a close name match ({score:.0f}/100): '{entry.name}'",
                        entry.line,
                    )
                )
            if variants is not None and i in differing:
                variant = _variant_note(group, entries[i], variants)
                if variant is not None:
                    group.diagnostics.append(variant)
        return groups


def _variant_note(group: _Group, entry: SourceEntry, variants: NameVariants) -> Diagnostic | None:
    """Why `entry` joins `group` when their first names differ: 'Aleksandr' and
    'Alexander' are one name (None when the first names are the same)."""
    theirs = group.primary.name.split()[:1]
    mine = entry.name.split()[:1]
    if theirs == mine:  # most merges: the same spelling, no variant to explain
        return None
    if not theirs or not mine or not variants.same_name(theirs[0], mine[0]):
        return None
    return Diagnostic(
        DiagnosticCode.NAME_VARIANT,
        f"'{entry.name}' merged with '{group.primary.name}': the first names "
        f"'{mine[0]}' and '{theirs[0]}' are transliterations of one name",
        entry.line,
    )


def name_keys(values: Sequence[str], progress: Progress = NO_PROGRESS) -> list[str]:
    """`[name_key(v) for v in values]`, folded a batch at a time (`fold_many`).

    `progress` is stepped once per value, a batch at a time.
    """
    keys: list[str] = []
    for start in range(0, len(values), _KEY_BATCH):
        batch = values[start : start + _KEY_BATCH]
        # Folded text is ASCII without line ends, so one "\n" separates the values; the
        # rest is `name_key`'s own punctuation-to-space, run over the whole batch.
        joined = "\n".join(fold_many(batch)).translate(_PUNCTUATION_TO_SPACE)
        joined = _SPACE_RUN.sub(" ", joined).replace(" \n", "\n").replace("\n ", "\n")
        keys.extend(joined.strip(" ").split("\n"))
        progress.step(len(batch))
    return keys


_KEY_BATCH = 1 << 15
# Every ASCII character `name_key` turns into a space (all but 0-9 and a-z), but the
# line end that separates values in a batch.
_PUNCTUATION_TO_SPACE = str.maketrans(
    {c: " " for c in map(chr, range(128)) if c != "\n" and not re.fullmatch("[0-9a-z]", c)}
)
_SPACE_RUN = re.compile(" {2,}")


def _checked(items: Iterable[_T], progress: Progress) -> Iterator[_T]:
    """The items, with a check for a cancel every STEP of them: for the loops over every
    entry or record that report no progress of their own."""
    for count, item in enumerate(items, 1):
        if count % STEP == 0:
            progress.check()
        yield item


def _fuzzy_match(
    year: int,
    close: Sequence[tuple[int, float]],
    first_group: Mapping[int, Mapping[int, int]],
) -> tuple[int | None, float, tuple[int, float, str] | None]:
    """(group to merge into, score, nearest candidate below the merge score).

    The best-scoring group among the year before, the same year and the year after;
    on a tie, the earlier year and then the older group, as a scan over the groups of
    those years in that order would find it.
    """
    best: tuple[float, int, int] | None = None  # (score, year slot, group)
    for key_id, score in close:
        if best is not None and score < best[0]:
            continue
        years = first_group.get(key_id)
        if not years:
            continue
        for slot in (0, 1, 2):
            group = years.get(year - 1 + slot)
            if group is None:
                continue
            if best is None or score > best[0] or (slot, group) < (best[1], best[2]):
                best = (score, slot, group)
            break  # the later years of this key can only tie behind this one
    if best is None:
        return None, 0.0, None
    score, slot, group = best
    if score >= MERGE_SCORE and slot == 1:
        return group, score, None
    why = f"names {score:.0f}/100 alike, years {year - 1 + slot} and {year}"
    return None, score, (group, score, why)


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
                DiagnosticCode.MERGED_BY_DECISION,
                f"merged with '{groups[drop].primary.name}' ({groups[drop].primary.year}) "
                "because you marked them as the same person",
            )
        )
        merged_into[drop] = keep
    return merged_into


def _close_keys(
    keys: Sequence[str],
    years_of: Sequence[set[int]],
    progress: Progress = NO_PROGRESS,
    strategy: str = "fewer",
) -> list[list[tuple[int, float]]]:
    """For each token-sorted name key, every key (itself included) whose `fuzz.ratio`
    with it is at least CANDIDATE_SCORE, with that score, in key order.

    Only pairs the walk can ask about are needed: two keys listed in years at most one
    apart (`years_of`: the years each key is listed in). Either every pair of keys is
    compared, or per year the keys of that year with those of the same and the next
    year, whichever is fewer comparisons (`strategy` "all-pairs" or "by-year" forces one,
    for tests).

    Beyond `_EXACT_BUDGET` comparisons (a list of hundreds of thousands of mostly
    different names: O(distinct keys squared per year)), keys are compared only within
    blocks ("blocked"): per year and the next, each key with its `_NEIGHBOURS` nearest
    keys in sorted order, and again sorted from their last letter, so that a typo in the
    first letters is found as well (a sorted neighbourhood, two passes). That is linear
    in the keys; it can miss a pair both of whose ends differ, which the exact plans
    would find, and says so in no record: a miss is a candidate not shown.
    """
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    by_year: dict[int, list[int]] = defaultdict(list)
    for key_id, years in enumerate(years_of):
        for year in years:
            by_year[year].append(key_id)
    listed = np.array(sorted({k for ids in by_year.values() for k in ids}), dtype=np.int64)
    everything = [(listed, listed)]
    per_year: list[tuple[_IntArray, _IntArray]] = []
    for year in sorted(by_year):
        these = np.array(by_year[year], dtype=np.int64)
        per_year.append((these, these))
        if year + 1 in by_year:
            per_year.append((these, np.array(by_year[year + 1], dtype=np.int64)))
    every_pair = _block_cost(lengths, listed, listed)
    if strategy == "fewer":
        # A few thousand names (the seeds, a book's appendix) are compared in moments:
        # the cost of the year by year plan is only worked out for more.
        blocks = everything
        if every_pair > _CELLS_PER_CALL:
            by_year_cost = sum(_block_cost(lengths, *block) for block in per_year)
            blocks = per_year if by_year_cost < every_pair else everything
            if min(by_year_cost, every_pair) > _EXACT_BUDGET:
                strategy = "blocked"
    elif strategy != "blocked":
        blocks = {"all-pairs": everything, "by-year": per_year}[strategy]
    pairs: set[tuple[int, int]] = set()
    if strategy == "blocked":
        windows = [
            np.unique(np.array(by_year[year] + by_year.get(year + 1, []), dtype=np.int64))
            for year in sorted(by_year)
        ]
        progress.stage("Comparing names", sum(len(w) for w in windows) * 2 * _NEIGHBOURS)
        pairs.update(_neighbour_pairs(keys, windows, progress))
    else:
        progress.stage("Comparing names", sum(_block_cost(lengths, *b) for b in blocks))
        for left, right in blocks:
            pairs.update(_prefiltered_pairs(keys, lengths, left, right, progress))
    close: list[list[tuple[int, float]]] = [[] for _ in keys]
    for key_id in listed.tolist():
        close[key_id].append((key_id, fuzz.ratio(keys[key_id], keys[key_id])))
    for a, b in sorted(pairs):
        score = fuzz.ratio(keys[a], keys[b])
        if score >= CANDIDATE_SCORE:
            close[a].append((b, score))
            close[b].append((a, score))
    return close


def _neighbour_pairs(
    keys: Sequence[str], windows: Sequence[_IntArray], progress: Progress
) -> Iterable[tuple[int, int]]:
    """Pairs (smaller id, larger id) of keys within `_NEIGHBOURS` of each other in a
    window's keys sorted from the front, then from the back, that `process.cpdist`
    scores close to CANDIDATE_SCORE or above."""
    forward = _ranks(keys)
    backward = _ranks([key[::-1] for key in keys])
    for window in windows:
        for rank in (forward, backward):
            ordered = window[np.argsort(rank[window], kind="stable")]
            texts = [keys[k] for k in ordered.tolist()]
            for distance in range(1, min(_NEIGHBOURS, len(texts) - 1) + 1):
                scores = process.cpdist(
                    texts[:-distance], texts[distance:], scorer=fuzz.ratio,
                    score_cutoff=CANDIDATE_SCORE - _PREFILTER_MARGIN, dtype=np.uint8,
                    workers=-1 if len(texts) >= 1 << 14 else 1,
                )  # fmt: skip
                hits = np.flatnonzero(scores)
                a, b = ordered[hits], ordered[hits + distance]
                yield from zip(np.minimum(a, b).tolist(), np.maximum(a, b).tolist(), strict=True)
            progress.step(len(window) * _NEIGHBOURS)


def _ranks(texts: Sequence[str]) -> _IntArray:
    """Each text's position in sorted order."""
    order = sorted(range(len(texts)), key=texts.__getitem__)
    rank = np.empty(len(texts), dtype=np.int64)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(texts), dtype=np.int64)
    return rank


@functools.cache
def _window(length: int) -> tuple[int, int]:
    """The shortest and longest key that can score CANDIDATE_SCORE with one of `length`.

    The score is 100 * (1 - distance / (a + b)) for lengths a and b, and the distance is
    at least |a - b|; the bound is taken with room to spare, never too narrow.
    """
    low, high = length, length
    while low > 0 and _may_reach(length, low - 1):
        low -= 1
    while _may_reach(length, high + 1):
        high += 1
    return low, high


def _may_reach(a: int, b: int) -> bool:
    return 100 * abs(a - b) <= (100 - CANDIDATE_SCORE) * (a + b) + 1e-6


def _block_cost(lengths: _IntArray, left: _IntArray, right: _IntArray) -> int:
    """Comparisons `_prefiltered_pairs` makes for this block."""
    counts = np.bincount(lengths[right], minlength=int(lengths.max(initial=0)) + 2)
    running = np.concatenate(([0], np.cumsum(counts)))
    cost = 0
    for length, n in zip(*np.unique(lengths[left], return_counts=True), strict=True):
        low, high = _window(int(length))
        high = min(high, len(counts) - 1)
        if left is right:
            low = int(length)  # a key against itself: shorter keys came first
        cost += int(n) * int(running[high + 1] - running[low])
    return cost


def _prefiltered_pairs(
    keys: Sequence[str],
    lengths: _IntArray,
    left: _IntArray,
    right: _IntArray,
    progress: Progress,
) -> Iterable[tuple[int, int]]:
    """Pairs (smaller id, larger id) of a left and a right key, of compatible lengths,
    that `process.cdist` scores close to CANDIDATE_SCORE or above."""
    itself = left is right
    right = right[np.argsort(lengths[right], kind="stable")]
    right_lengths = lengths[right]
    for length in np.unique(lengths[left]).tolist():
        low, high = _window(length)
        if itself:
            low = length  # a key against itself: shorter keys came first
        start, stop = np.searchsorted(right_lengths, [low, high + 1]).tolist()
        if start == stop:
            continue
        these = left[lengths[left] == length]
        others = right[start:stop]
        other_keys = [keys[k] for k in others.tolist()]
        rows = max(1, _CELLS_PER_CALL // len(others))
        for first in range(0, len(these), rows):
            chunk = these[first : first + rows]
            cells = len(chunk) * len(others)
            scores = process.cdist(
                [keys[k] for k in chunk.tolist()], other_keys, scorer=fuzz.ratio,
                score_cutoff=CANDIDATE_SCORE - _PREFILTER_MARGIN, dtype=np.uint8,
                # Starting threads costs milliseconds: worth it for big blocks only.
                workers=-1 if cells >= _CELLS_PER_CALL // 2 else 1,
            )  # fmt: skip
            progress.step(cells)
            hit_rows, hit_columns = np.nonzero(scores)
            a, b = chunk[hit_rows], others[hit_columns]
            different = a != b
            yield from zip(
                np.minimum(a, b)[different].tolist(),
                np.maximum(a, b)[different].tolist(),
                strict=True,
            )


def _candidates(
    groups: Sequence[_Group],
    ids: Sequence[str],
    pending: Sequence[tuple[int, int, float, str]],
    progress: Progress,
) -> tuple[MatchCandidate, ...]:
    """The candidate pairs (group a, group b, score, why) as the records' pairs."""
    progress.check()
    if not pending:
        return ()
    firsts, seconds, scores, reasons = zip(*pending, strict=True)
    labels = {i: _label(groups[i]) for i in dict.fromkeys((*firsts, *seconds))}
    progress.check()
    columns = (
        map(ids.__getitem__, firsts),
        map(ids.__getitem__, seconds),
        scores,
        zip(reasons),  # one reason each, as a 1-tuple
        map(labels.__getitem__, firsts),
        map(labels.__getitem__, seconds),
    )
    return tuple(made_in_bulk(MatchCandidate, columns, len(pending)))


def _label(group: _Group) -> str:
    primary = group.primary
    return primary.name if primary.year is None else f"{primary.name} ({primary.year})"


def _assign_ids(groups: Iterable[_Group]) -> list[str]:
    """'george-balanchine-1924': name and year of the shown entry, unique by suffix."""
    ids: list[str] = []
    taken: set[str] = set()
    for group in groups:
        primary = group.primary
        # `slug` of the name: its name key, computed with the group.
        base = group.key.replace(" ", "-")
        if primary.year is not None:
            base = f"{base}-{primary.year}"
        record_id, n = base, 2
        while record_id in taken:
            record_id, n = f"{base}-{n}", n + 1
        taken.add(record_id)
        ids.append(record_id)
    return ids


def _duplicate_warnings(
    groups: Sequence[_Group],
    merged_into: Mapping[int, int],
    undecided: Iterable[tuple[int, int, MatchCandidate]],
) -> dict[int, list[RecordWarning]]:
    """Group -> its possible-duplicate warnings, one per undecided candidate pair, in
    the candidates' order; none for a pair one of whose records was merged away."""
    mine: list[int] = []
    texts: list[str] = []
    for a, b, candidate in undecided:
        if a in merged_into or b in merged_into:
            continue
        why = candidate.reasons[0]
        mine += (a, b)
        texts += (
            f"May be the same person as {groups[b].primary.name} ({why})",
            f"May be the same person as {groups[a].primary.name} ({why})",
        )
    code = repeat(WarningCode.POSSIBLE_DUPLICATE, len(texts))
    made = made_in_bulk(RecordWarning, (code, texts), len(texts))
    warnings: dict[int, list[RecordWarning]] = defaultdict(list)
    for group, warning in zip(mine, made, strict=True):
        warnings[group].append(warning)
    return warnings


class _RecordBuilder:
    """Makes a group's record; remembers each profession's category, each birthplace's
    country and each warning text (one object per text), which repeat across a big
    source."""

    def __init__(
        self,
        titles: Mapping[str, str],
        reliable: set[str],
        manifest_rank: Mapping[str, int],
        gazetteer: Gazetteer,
        classifier: ProfessionClassifier,
    ) -> None:
        self.titles = titles
        self.reliable = reliable
        self.manifest_rank = manifest_rank
        self.gazetteer = gazetteer
        self.classifier = classifier
        self.categories: dict[str, str] = {}
        self.countries: dict[str, str] = {"": ""}
        self.unreliable: dict[tuple[str, ...], RecordWarning] = {}
        self.disagreeing: dict[str, RecordWarning] = {}
        self.comparer = ValueComparer(gazetteer)

    def records(
        self,
        groups: Sequence[_Group],
        ids: Sequence[str],
        duplicates: Sequence[Sequence[RecordWarning]],
        progress: Progress,
    ) -> tuple[CatalogRecord, ...]:
        """Each group's record, with its id and possible-duplicate warnings.

        Built column by column: a group of one entry with nothing said about it (most
        of a big list) takes its fields straight from the entry, and only the others
        go through `_shared` one by one; the records are then made in C from the
        columns, as `make_entries` makes entries.
        """
        count = len(groups)
        primaries = [group.entries[0] for group in groups]
        several = [i for i, group in enumerate(groups) if len(group.entries) > 1]
        # Each group's conflicts; a tuple where there are none, so no list is shared.
        compared: list[Sequence[Diagnostic]] = [()] * count
        for i, found in zip(
            several,
            conflicts_of([groups[i].entries for i in several], self.titles, self.comparer),
            strict=True,
        ):
            compared[i] = found
        aliases: list[str] = []
        sources: list[tuple[str, ...]] = []
        entries: list[tuple[SourceEntry, ...]] = []
        warnings: list[tuple[RecordWarning, ...]] = []
        diagnostics: list[tuple[Diagnostic, ...]] = []
        alone: dict[str, tuple[tuple[str, ...], tuple[RecordWarning, ...]]] = {}
        for start in range(0, count, STEP):
            for group, primary, duplicate, said in zip(
                groups[start : start + STEP],
                primaries[start : start + STEP],
                duplicates[start : start + STEP],
                compared[start : start + STEP],
                strict=True,
            ):
                if len(group.entries) == 1 and not group.diagnostics:
                    # One source, nothing to disagree on: the source's tuple and its
                    # warnings are one object per source.
                    source = primary.source_id
                    known = alone.get(source)
                    if known is None:
                        known = alone[source] = self._alone(source)
                    aliases.append(primary.alias)
                    sources.append(known[0])
                    entries.append((primary,))
                    warnings.append((*known[1], *duplicate) if duplicate else known[1])
                    diagnostics.append(primary.diagnostics)
                    continue
                alias, listed, warned, noted = self._shared(group, duplicate, said)
                aliases.append(alias)
                sources.append(listed)
                entries.append(tuple(group.entries))
                warnings.append(warned)
                diagnostics.append(noted)
            progress.step(min(STEP, count - start))
        professions = list(map(attrgetter("profession"), primaries))
        birthplaces = list(map(attrgetter("birthplace"), primaries))
        categories = {p: self._category(p) for p in dict.fromkeys(professions)}
        countries = {b: self._country(b) for b in dict.fromkeys(birthplaces)}
        columns = (
            ids,
            map(attrgetter("name"), primaries),
            aliases,
            professions,
            map(categories.__getitem__, professions),
            birthplaces,
            map(countries.__getitem__, birthplaces),
            map(attrgetter("year"), primaries),
            map(attrgetter("notes"), primaries),
            sources,
            entries,
            warnings,
            diagnostics,
            repeat(None, count),
        )
        return tuple(made_in_bulk(CatalogRecord, columns, count))

    def _alone(self, source: str) -> tuple[tuple[str, ...], tuple[RecordWarning, ...]]:
        """The sources and warnings of a record only `source` lists, once per source."""
        listed = (source,)
        if source in self.reliable:
            return listed, ()
        return listed, (self._only_unreliable(listed),)

    def _shared(
        self,
        group: _Group,
        duplicates: Sequence[RecordWarning],
        compared: Sequence[Diagnostic],
    ) -> tuple[str, tuple[str, ...], tuple[RecordWarning, ...], tuple[Diagnostic, ...]]:
        """(alias, sources, warnings, diagnostics) of a group of several entries, or of
        one entry the merge said something about; `compared`: what its sources disagree
        on (`conflicts.conflicts_of`)."""
        primary = group.primary
        entries = group.entries
        if len(entries) == 1:
            sources: tuple[str, ...] = (primary.source_id,)
            diagnostics = [*primary.diagnostics, *group.diagnostics]
            conflicts = []
        else:
            listed = set(map(_SOURCE_OF, entries))
            sources = (
                (primary.source_id,)  # a list giving one person twice: the commonest
                if len(listed) == 1
                else tuple(sorted(listed, key=self.manifest_rank.__getitem__))
            )
            diagnostics = [*chain.from_iterable(map(_DIAGNOSTICS_OF, entries)), *group.diagnostics]
            diagnostics += compared
            conflicts = [d for d in compared if d.code == DiagnosticCode.CONFLICT]
        warnings: list[RecordWarning] = []
        if not any(map(self.reliable.__contains__, sources)):
            warnings.append(self._only_unreliable(sources))
        if conflicts:
            fields = ", ".join(sorted({d.field for d in conflicts}))
            warnings.append(self._disagreeing(fields))
        warnings.extend(duplicates)
        alias = primary.alias or next((e.alias for e in entries if e.alias), "")
        return alias, sources, tuple(warnings), tuple(diagnostics)

    def _only_unreliable(self, sources: tuple[str, ...]) -> RecordWarning:
        """One warning object per set of sources: a big unreliable list gives it to
        every one of its records (and the saved catalog then stores it once)."""
        warning = self.unreliable.get(sources)
        if warning is None:
            names = " and ".join(f"\u201c{self.titles[s]}\u201d" for s in sources)
            warning = self.unreliable[sources] = RecordWarning(
                WarningCode.ONLY_UNRELIABLE,
                f"Found only in {names}; no reliable source lists this entry",
            )
        return warning

    def _disagreeing(self, fields: str) -> RecordWarning:
        warning = self.disagreeing.get(fields)
        if warning is None:
            warning = self.disagreeing[fields] = RecordWarning(
                WarningCode.CONFLICT, f"Sources disagree on: {fields}"
            )
        return warning

    def _category(self, profession: str) -> str:
        category = self.categories.get(profession)
        if category is None:
            category = self.categories[profession] = self.classifier.classify(profession)
        return category

    def _country(self, birthplace: str) -> str:
        country = self.countries.get(birthplace)
        if country is None:
            country = self.countries[birthplace] = self.gazetteer.country_of(birthplace)
        return country
