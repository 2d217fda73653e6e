"""Surname-first sort keys on the seeds' real names, badges for added sources, and Qt's
own command-line options taken out before the app's grammar sees them."""

from __future__ import annotations

from defectors_catalog.cli.qt_options import split_qt_options
from defectors_catalog.domain.text import badge_label, surname_first


def test_surname_first_on_the_seeds_names(catalog):
    names = {r.name for r in catalog.records}
    assert "Rudolf Nureyev" in names and "G. M. Dimitrov" in names
    assert surname_first("Rudolf Nureyev") == "Nureyev, Rudolf"
    assert surname_first("G. M. Dimitrov") == "Dimitrov, G. M."
    assert surname_first("Ion Mihai Pacepa") == "Pacepa, Ion Mihai"
    assert surname_first("Madonna") == "Madonna"
    column = catalog.table.text["surname"]
    position = next(i for i, r in enumerate(catalog.records) if r.name == "Ferenc Puskás")
    assert column[position] == "Puskás, Ferenc"


def test_badges_for_added_sources_are_short_readable_and_unique():
    assert badge_label("Zotero") == "Zotero"
    assert badge_label("Book appendix 1990") == "Book 1990"
    assert badge_label("Hungarian émigrés 1956.csv") == "HÉ 1956"
    assert badge_label("defectors.csv") == "Defector"
    assert badge_label("") == "List"
    assert badge_label("Book appendix", ["Book", "Book 2"]) == "Book 3"
    for title in ("Politics, diplomacy & public office", "wikipedia-scrape-2025.txt"):
        assert len(badge_label(title)) <= 13


def test_qt_options_are_taken_out_for_the_window():
    own, qt = split_qt_options(
        ["-platform", "offscreen", "--style=fusion", "-reverse", "--verbose"]
    )
    assert own == ["--verbose"]
    assert qt == ["-platform", "offscreen", "-style", "fusion", "-reverse"]
    own, qt = split_qt_options(["export", "--search", "ballet", "-o", "out.csv"])
    assert qt == [] and own == ["export", "--search", "ballet", "-o", "out.csv"]
    own, qt = split_qt_options(["-platform"])  # missing value: argparse will say so
    assert own == ["-platform"] and qt == []
