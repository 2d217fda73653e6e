"""What the sources of each merged record disagree on: conflicts, and free text worded
differently.

Per compared field, the sources that give a value are compared in its comparable form
(`comparing.ValueComparer`): case, spacing, punctuation and reference markers aside,
birthplaces as places; a source that leaves the field empty does not take part. Two or
more forms make a `conflict`, or for free text (notes) a `notes-differ` that is no
conflict.

A big list merges hundreds of thousands of groups of several entries, and most agree on
most fields: `conflicts_of` finds the groups that disagree a field at a time, over all
groups at once (each value a code, a group's codes compared in numpy), and words only
those, as a person reads them, their texts put together for all of them at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.fields import COMPARED_FIELDS, FREE_TEXT_FIELDS
from defectors_catalog.domain.merge.comparing import ValueComparer
from defectors_catalog.domain.model import Diagnostic, Severity, SourceEntry, made_in_bulk

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]

_COMPARED_READERS = tuple((name, attrgetter(name)) for name in COMPARED_FIELDS)
_SOURCE_OF = attrgetter("source_id")
_LINE_OF = attrgetter("line")
# Groups worded at a time: the pieces of their texts are strings of their own, and all
# of them at once raised the merge's peak by 190 MB at 1M rows (2,066 MB, was 1,867).
_WORDED_AT_ONCE = 16384
# A field's disagreement: free text is worded differently, any other field conflicts.
_KIND = {
    True: (DiagnosticCode.NOTES_DIFFER, Severity.INFO),
    False: (DiagnosticCode.CONFLICT, Severity.WARNING),
}


def conflicts_of(
    groups: Sequence[Sequence[SourceEntry]], titles: Mapping[str, str], comparer: ValueComparer
) -> list[list[Diagnostic]]:
    """Each group's conflicts and notes worded differently, in field order; a group is
    its entries in order (two or more each), the first giving the line they are said at."""
    found: list[list[Diagnostic]] = [[] for _ in groups]
    if not groups:
        return found
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    if int(sizes.min()) < 2:
        raise ValueError("a group to compare has two entries or more")
    starts = np.zeros(len(groups), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    flat = list(chain.from_iterable(groups))
    # Each entry's source as a number and each source's title, once for every field.
    source_ids = list(map(_SOURCE_OF, flat))
    numbered = {source: n for n, source in enumerate(dict.fromkeys(source_ids))}
    source = np.fromiter(map(numbered.__getitem__, source_ids), np.int64, len(flat))
    # (An extra item, dropped, keeps numpy from reading the titles as one 2-D array.)
    title_of = np.array([titles.get(s, s) for s in numbered] + [""], dtype=object)[:-1]
    said_by = title_of[source]  # each entry's source's title
    lines = np.array(list(map(_LINE_OF, flat)), dtype=object)
    for name, read in _COMPARED_READERS:
        raw = list(map(read, flat))
        distinct = list(dict.fromkeys(raw))
        code = dict(zip(distinct, range(len(distinct)), strict=True))
        codes = np.fromiter(map(code.__getitem__, raw), dtype=np.int64, count=len(raw))
        # A group whose values are all equal says nothing (equal values, equal forms).
        differ = np.minimum.reduceat(codes, starts) != np.maximum.reduceat(codes, starts)
        if not differ.any():
            continue
        texts = ["" if value is None else str(value) for value in distinct]
        forms = comparer.forms(name)
        form_of = [forms.get(text) for text in texts]
        form_of = [
            comparer.form(name, text) if form is None else form
            for text, form in zip(texts, form_of, strict=True)
        ]
        form_index: dict[str, int] = {}
        form_code = np.fromiter(
            (-1 if not form else form_index.setdefault(form, len(form_index)) for form in form_of),
            dtype=np.int64,
            count=len(form_of),
        )
        said = form_code[codes]
        # Of the groups whose values differ, those with two forms or more given: the
        # least and the greatest form given differ (no form given: -1, and the least
        # looked for among the forms given).
        least = np.minimum.reduceat(np.where(said >= 0, said, len(form_index)), starts)
        greatest = np.maximum.reduceat(said, starts)
        wanted = np.flatnonzero(differ & (greatest > least))
        if not len(wanted):
            continue
        free = name in FREE_TEXT_FIELDS
        head = f"{name} worded differently (free text, not a conflict): " if free else f"{name}: "
        kind, severity = _KIND[free]
        messages: list[str] = []
        spelled = np.empty(len(texts), dtype=object)  # filled as the chunks need them
        for begin in range(0, len(wanted), _WORDED_AT_ONCE):
            chunk = wanted[begin : begin + _WORDED_AT_ONCE]
            messages += _worded(head, chunk, sizes, starts, said, codes, texts, spelled, said_by)
        at_lines = lines[starts[wanted]].tolist()
        count = len(messages)
        notes = made_in_bulk(
            Diagnostic,
            (repeat(kind, count), messages, at_lines, repeat(severity, count), repeat(name, count)),
            count,
        )
        deque(map(list.append, map(found.__getitem__, wanted.tolist()), notes), maxlen=0)
    return found


def _worded(
    head: str,
    wanted: IntArray,
    sizes: IntArray,
    starts: IntArray,
    said: IntArray,
    codes: IntArray,
    texts: Sequence[str],
    spelled: ObjectArray,
    titles: ObjectArray,
) -> list[str]:
    """The text of each group in `wanted` (indexes of groups, ascending): after `head`,
    each form given, in the order first given, as the titles of the entries giving it
    (one per entry, in order), then its first spelling: `A, B: 'x'; C: 'y'`.

    `sizes` and `starts` place each group among the entries; `said` is each entry's form
    (-1: none given), `codes` its value among `texts`, `titles` its source's title;
    `spelled` holds each value's `: 'text'` once made (None before), for all chunks. The
    texts are put together for all groups at once: each entry's piece (a separator, its
    title, and after a form's last entry its spelling), and a group's pieces joined in C
    (`np.add.reduceat` on Python strings).
    """
    counts = sizes[wanted]
    before = np.cumsum(counts) - counts
    at = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(starts[wanted] - before, counts)
    group = np.repeat(np.arange(len(wanted), dtype=np.int64), counts)
    given = said[at] >= 0
    at, group = at[given], group[given]
    form = said[at]
    # Where each entry's form is first given in its group; entries sorted by that, then
    # by their own place, run as the text reads: group by group, form by form.
    _, first_of, which = np.unique(
        group * (int(form.max()) + 1) + form, return_index=True, return_inverse=True
    )
    first = at[first_of][which.reshape(-1)]
    order = np.lexsort((at, first))
    at, group, first = at[order], group[order], first[order]
    count = len(at)
    opens_group = np.ones(count, dtype=bool)
    opens_group[1:] = group[1:] != group[:-1]
    opens_form = np.ones(count, dtype=bool)
    opens_form[1:] = first[1:] != first[:-1]
    closes_form = np.ones(count, dtype=bool)
    closes_form[:-1] = opens_form[1:]
    separator = np.full(count, ", ", dtype=object)  # three strings, shared
    separator[opens_form] = "; "
    separator[opens_group] = ""
    spelling = codes[first[closes_form]]
    needed = [value for value in np.unique(spelling).tolist() if spelled[value] is None]
    spelled[needed] = [f": {texts[value]!r}" for value in needed]
    ending = np.full(count, "", dtype=object)
    ending[closes_form] = spelled[spelling]
    pieces = separator + titles[at] + ending
    joined: list[str] = np.add.reduceat(pieces, np.flatnonzero(opens_group)).tolist()
    return list(map(head.__add__, joined))
