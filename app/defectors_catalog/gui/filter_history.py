"""Undo and Redo of filter changes (Ctrl+Z, Ctrl+Shift+Z), on a QUndoStack.

Each step is a snapshot of what the person asked for: the search text and the
sidebar's state (`FilterPanel.state()`, the same dict the settings keep). Typing in
the search box is one step per burst of typing, not one per letter, so Ctrl+Z after
typing "hungary" goes back to before the word, and Esc (which clears everything) is
one step that Ctrl+Z takes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

FilterState = dict[str, list[str]]
# QUndoCommand ids for merging: only consecutive typing merges.
_TYPING = 1


@dataclass(frozen=True)
class Snapshot:
    """The search text and the sidebar's selections at one moment."""

    search: str
    filters: str  # FilterPanel.state() as canonical JSON, so snapshots compare exactly

    @classmethod
    def of(cls, search: str, filters: FilterState) -> Snapshot:
        return cls(search, json.dumps(filters, sort_keys=True))

    def filter_state(self) -> FilterState:
        state: Any = json.loads(self.filters)
        return {str(k): [str(x) for x in v] for k, v in state.items()}


class _Step(QUndoCommand):
    def __init__(
        self, history: FilterHistory, before: Snapshot, after: Snapshot, text: str, typing: bool
    ) -> None:
        super().__init__(text)
        self.history, self.before, self.after = history, before, after
        # Only typing in the search box merges with the step before.
        self.typing = typing and before.filters == after.filters
        self._first = True

    def id(self) -> int:
        return _TYPING if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Step) or not (self.typing and other.typing):
            return False
        self.after = other.after
        self.setText(other.text())
        return True

    def redo(self) -> None:
        if self._first:  # pushed after the change was made: nothing to do yet
            self._first = False
            return
        self.history.apply(self.after)

    def undo(self) -> None:
        self.history.apply(self.before)


class FilterHistory(QObject):
    """Holds the undo stack of filter snapshots and the snapshot shown now.

    `moved(snapshot, what)` records a change already made; `apply` (called by undo and
    redo) puts a snapshot back through `restore`, during which changes are not recorded.
    """

    def __init__(
        self, restore: Callable[[Snapshot], None], start: Snapshot, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(200)
        self.current = start
        self._restore = restore
        self._restoring = False

    def moved(self, now: Snapshot, what: str, *, typing: bool = False) -> None:
        if self._restoring or now == self.current:
            return
        before, self.current = self.current, now
        self.stack.push(_Step(self, before, now, what, typing))

    def reset(self, now: Snapshot) -> None:
        """A new starting point with no history (the saved filters, on opening)."""
        self.stack.clear()
        self.current = now

    def apply(self, snapshot: Snapshot) -> None:
        self._restoring = True
        try:
            self.current = snapshot
            self._restore(snapshot)
        finally:
            self._restoring = False
