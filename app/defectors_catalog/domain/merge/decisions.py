"""A person's decisions on candidate pairs: "same person" or "different people".

Stored as JSON (one object per pair, keyed by the two record ids in sorted order),
written atomically so a crash never leaves a half-written file. Every change is kept
on an undo stack for the session.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path

from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.keeping import keep_damaged, locked
from defectors_catalog.domain.model import MatchCandidate

FILE_NAME = "candidate-decisions.json"


class Decision(StrEnum):
    SAME = "same-person"
    DIFFERENT = "different-people"


def pair_key(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"{first}|{second}"


class DecisionStore:
    """Decisions by pair key, saved to `path` after every change; `undo()` steps back.

    Each change is made under the file's lock on what the file holds then (another
    window's decisions included), so two stores never lose each other's decisions. A
    file that cannot be read is copied beside it before anything is written over it,
    and `load_problem` says so.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.decisions: dict[str, Decision] = {}
        self._undo: list[tuple[str, Decision | None]] = []
        self.load_problem = ""
        self.decisions = self._read()

    def _read(self) -> dict[str, Decision]:
        """What the file holds; a damaged file is kept beside it and reported."""
        if not self.path.exists():
            return {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return self._damaged(f"could not read {self.path.name}: {exc}")
        decisions, problem = parse_decisions(text)
        if problem:
            return {**self._damaged(f"could not read all of {self.path.name}: {problem}"),
                    **decisions}  # fmt: skip
        return decisions

    def _damaged(self, problem: str) -> dict[str, Decision]:
        kept = keep_damaged(self.path)
        where = f"; it was kept as {kept.name}" if kept else ""
        self.load_problem = f"{problem}{where}. Decisions made now are saved afresh."
        return {}

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
        """Make the change and save it; when it cannot be saved (a read-only folder)
        the change still holds in memory, for this run, and CatalogError says why."""
        try:
            with locked(self.path):
                # Read again under the lock: another store may have saved since.
                self.decisions = self._read()
                self._apply(key, decision)
                self.save()
        except OSError as exc:
            self._apply(key, decision)
            raise CatalogError(f"the decision could not be saved: {exc}") from None

    def _apply(self, key: str, decision: Decision | None) -> None:
        if decision is None:
            self.decisions.pop(key, None)
        else:
            self.decisions[key] = decision

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "pairs": {k: v.value for k, v in sorted(self.decisions.items())}}
        write_atomically(
            self.path,
            lambda handle: handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n"),
            error=CatalogError,
        )


# One pair as this store writes it: what can still be read from a truncated file.
_PAIR = re.compile(r'"([^"\\|]+\|[^"\\]+)"\s*:\s*"(same-person|different-people)"')


def parse_decisions(text: str) -> tuple[dict[str, Decision], str]:
    """The decisions a file's text holds, and what was wrong with it ("" if nothing).

    Pairs that do not read as a key and a known decision are left out and counted:
    `{"pairs": {"a|b": []}}`, `{}`, a list or 100,000 nested brackets never raise. From
    a file that is not JSON (cut short by a full disk, say) every whole pair is read.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "not valid JSON"
        salvaged = {key: Decision(value) for key, value in _PAIR.findall(text)}
        return salvaged, f"{reason}; {len(salvaged):,} decision(s) could still be read"
    if not isinstance(data, dict) or not isinstance(data.get("pairs"), dict):
        return {}, "no pairs in it"
    known = {d.value: d for d in Decision}
    decisions: dict[str, Decision] = {}
    skipped = 0
    for key, value in data["pairs"].items():
        if isinstance(value, str) and value in known and "|" in key:
            decisions[key] = known[value]
        else:
            skipped += 1
    problem = f"{skipped:,} pair(s) could not be read" if skipped else ""
    return decisions, problem
