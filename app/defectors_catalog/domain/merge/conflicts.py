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
those, as a person reads them: the groups of two entries (most of them) a column at a
time, larger ones one by one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter

import numpy as np

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.fields import COMPARED_FIELDS, FREE_TEXT_FIELDS
from defectors_catalog.domain.merge.comparing import ValueComparer
from defectors_catalog.domain.model import Diagnostic, Severity, SourceEntry, made_in_bulk

_COMPARED_READERS = tuple((name, attrgetter(name)) for name in COMPARED_FIELDS)
_SOURCE_OF = attrgetter("source_id")
_LINE_OF = attrgetter("line")
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
    title_of = np.array([titles.get(s, s) for s in numbered] + [""], dtype=object)[:-1]
    lines = np.array(list(map(_LINE_OF, flat)), dtype=object)
    free_of = {name: name in FREE_TEXT_FIELDS for name, _ in _COMPARED_READERS}
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
        free = free_of[name]
        head = f"{name} worded differently (free text, not a conflict): " if free else f"{name}: "
        kind, severity = _KIND[free]
        # Most groups that disagree are two entries (a list giving a person twice): two
        # forms, each given once, worded a column at a time. Larger groups one by one.
        two = sizes[wanted] == 2
        pairs, larger = wanted[two], wanted[~two]
        first = starts[pairs]
        left, right = codes[first], codes[first + 1]
        spelled = np.empty(len(texts), dtype=object)
        needed = np.unique(np.concatenate([left, right])).tolist()
        spelled[needed] = [repr(texts[value]) for value in needed]
        messages = list(map(
            "{}{}: {}; {}: {}".format, repeat(head),
            title_of[source[first]].tolist(), spelled[left].tolist(),
            title_of[source[first + 1]].tolist(), spelled[right].tolist(),
        ))  # fmt: skip
        at_lines = lines[first].tolist()
        for index in larger.tolist():
            begin = int(starts[index])
            by_form: dict[str, tuple[str, list[str]]] = {}  # form -> (first spelling, sources)
            for value, title in zip(
                codes[begin : begin + int(sizes[index])].tolist(),
                title_of[source[begin : begin + int(sizes[index])]].tolist(),
                strict=True,
            ):
                form = form_of[value]
                if form:
                    by_form.setdefault(form, (texts[value], []))[1].append(title)
            messages.append(
                head + "; ".join([f"{', '.join(given)}: {v!r}" for v, given in by_form.values()])
            )
            at_lines.append(lines[begin])
        count = len(messages)
        notes = made_in_bulk(
            Diagnostic,
            (repeat(kind, count), messages, at_lines, repeat(severity, count), repeat(name, count)),
            count,
        )
        deque(map(list.append, map(found.__getitem__, [*pairs.tolist(), *larger.tolist()]), notes),
              maxlen=0)  # fmt: skip
    return found
