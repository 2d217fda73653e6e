"""A damaged decisions file never stops the app and is never lost; two stores (two
windows, a window and a command) never lose each other's decisions."""

from __future__ import annotations

import json
import threading

import pytest
from defectors_catalog.domain.keeping import summarise
from defectors_catalog.domain.merge.decisions import Decision, DecisionStore
from defectors_catalog.domain.model import MatchCandidate


def pair(n: int) -> MatchCandidate:
    return MatchCandidate(f"a-{n}", f"b-{n}", 90.0, ("names alike",))


def damaged_copies(path):
    return sorted(path.parent.glob(path.name + ".damaged-*"))


@pytest.mark.parametrize(
    "text",
    [
        '{"pairs": {"a-1|b-1": []}}',
        '{"pairs": {"a-1|b-1": {}}}',
        '{"pairs": []}',
        "{}",
        "[]",
        "[" * 100_000,
        '{"pairs": ' * 100_000,
    ],
    ids=["list-value", "dict-value", "pairs-list", "empty", "a-list", "deep-list", "deep-dict"],
)
def test_wrong_types_and_deep_nesting_open_and_are_kept(tmp_path, text):
    path = tmp_path / "candidate-decisions.json"
    path.write_text(text, encoding="utf-8")
    store = DecisionStore(path)  # used to raise TypeError, AttributeError, RecursionError
    assert store.decisions == {}
    assert "could not read" in store.load_problem
    [copy] = damaged_copies(path)
    assert copy.read_text(encoding="utf-8") == text
    assert copy.name in store.load_problem
    store.decide(pair(1), Decision.SAME)
    assert DecisionStore(path).get(pair(1)) is Decision.SAME
    assert copy.read_text(encoding="utf-8") == text  # never written over


def test_a_truncated_file_is_not_overwritten_by_the_next_decision(tmp_path):
    path = tmp_path / "candidate-decisions.json"
    store = DecisionStore(path)
    for n in range(50):
        store.decide(pair(n), Decision.DIFFERENT)
    whole = path.read_text(encoding="utf-8")
    path.write_text(whole[: len(whole) * 3 // 4], encoding="utf-8")  # a disk that filled up
    reopened = DecisionStore(path)
    assert len(reopened.decisions) >= 36  # every whole pair is still read
    assert "could still be read" in reopened.load_problem
    reopened.decide(pair(99), Decision.SAME)
    saved = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    assert len(saved) == len(reopened.decisions) >= 37  # not 50 -> 1
    assert damaged_copies(path)[0].read_text(encoding="utf-8") == whole[: len(whole) * 3 // 4]


def test_two_stores_keep_each_others_decisions(tmp_path):
    path = tmp_path / "candidate-decisions.json"
    first, second = DecisionStore(path), DecisionStore(path)
    first.decide(pair(1), Decision.SAME)
    second.decide(pair(2), Decision.DIFFERENT)  # used to write over pair 1
    first.decide(pair(3), Decision.SAME)
    assert set(DecisionStore(path).decisions) == {"a-1|b-1", "a-2|b-2", "a-3|b-3"}


def test_stores_deciding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "candidate-decisions.json"

    def decide(offset: int) -> None:
        store = DecisionStore(path)
        for n in range(offset, offset + 30):
            store.decide(pair(n), Decision.SAME)

    threads = [threading.Thread(target=decide, args=(offset,)) for offset in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(DecisionStore(path).decisions) == 60


def test_summarise_shows_the_first_few_then_a_count():
    assert summarise([f"missing {n}" for n in range(20_000)], first=3).split("\n") == [
        "missing 0",
        "missing 1",
        "missing 2",
        "…and 19,997 more",
    ]
    assert summarise(["one"]) == "one"
