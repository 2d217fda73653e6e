"""A person's decisions on candidate pairs: "same person" or "different people".

Stored as JSON (one object per pair, keyed by the two record ids in sorted order),
written atomically so a crash never leaves a half-written file. Every change is kept
on an undo stack for the session.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.model import MatchCandidate

FILE_NAME = "candidate-decisions.json"


class Decision(StrEnum):
    SAME = "same-person"
    DIFFERENT = "different-people"


def pair_key(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"{first}|{second}"


class DecisionStore:
    """Decisions by pair key, saved to `path` after every change; `undo()` steps back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.decisions: dict[str, Decision] = {}
        self._undo: list[tuple[str, Decision | None]] = []
        self.load_problem = ""
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            pairs = data.get("pairs", {}) if isinstance(data, dict) else {}
            for key, value in pairs.items():
                if isinstance(key, str) and value in set(Decision):
                    self.decisions[key] = Decision(value)
        except (OSError, ValueError, AttributeError) as exc:
            # A damaged file must not stop the app; say so and start afresh.
            self.load_problem = f"could not read {self.path.name}: {exc}"

    def get(self, candidate: MatchCandidate) -> Decision | None:
        return self.decisions.get(pair_key(candidate.record_a, candidate.record_b))

    def decide(self, candidate: MatchCandidate, decision: Decision | None) -> None:
        """Record (or with None, withdraw) a decision, and save."""
        key = pair_key(candidate.record_a, candidate.record_b)
        self._undo.append((key, self.decisions.get(key)))
        self._set(key, decision)

    def undo(self) -> str | None:
        """Take back the last change; returns its pair key, or None if nothing to undo."""
        if not self._undo:
            return None
        key, previous = self._undo.pop()
        self._set(key, previous)
        return key

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def _set(self, key: str, decision: Decision | None) -> None:
        if decision is None:
            self.decisions.pop(key, None)
        else:
            self.decisions[key] = decision
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "pairs": {k: v.value for k, v in sorted(self.decisions.items())}}
        write_atomically(
            self.path,
            lambda handle: handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n"),
            error=CatalogError,
        )
