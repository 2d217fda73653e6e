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
those, one by one, as a person reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain
from operator import attrgetter

import numpy as np

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.fields import COMPARED_FIELDS, FREE_TEXT_FIELDS
from defectors_catalog.domain.merge.comparing import ValueComparer
from defectors_catalog.domain.model import Diagnostic, Severity, SourceEntry, made_one

_COMPARED_READERS = tuple((name, attrgetter(name)) for name in COMPARED_FIELDS)
_SOURCE_OF = attrgetter("source_id")


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
        # The entries of the groups that disagree, in order: only theirs become Python
        # values (a code and a title each), not every entry's.
        counts = sizes[wanted]
        before = np.cumsum(counts) - counts
        shift = np.repeat(starts[wanted] - before, counts)
        at = np.arange(int(counts.sum()), dtype=np.int64) + shift
        values = codes[at].tolist()
        sayers = [titles.get(s, s) for s in map(_SOURCE_OF, map(flat.__getitem__, at.tolist()))]
        free = name in FREE_TEXT_FIELDS
        for index, begin, end in zip(
            wanted.tolist(), before.tolist(), (before + counts).tolist(), strict=True
        ):
            by_form: dict[str, tuple[str, list[str]]] = {}  # form -> (first spelling, sources)
            for value, title in zip(values[begin:end], sayers[begin:end], strict=True):
                form = form_of[value]
                if form:
                    by_form.setdefault(form, (texts[value], []))[1].append(title)
            text = "; ".join([f"{', '.join(given)}: {v!r}" for v, given in by_form.values()])
            line = groups[index][0].line
            if free:
                message = f"{name} worded differently (free text, not a conflict): {text}"
                note = made_one(
                    Diagnostic, DiagnosticCode.NOTES_DIFFER, message, line, Severity.INFO, name
                )
            else:
                note = made_one(
                    Diagnostic, DiagnosticCode.CONFLICT, f"{name}: {text}", line,
                    Severity.WARNING, name,
                )  # fmt: skip
            found[index].append(note)
    return found
