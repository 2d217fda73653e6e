"""Edit → Copy citation (Ctrl+Shift+C) and Copy citation as ▸, and the Sources
overview's per-source citation: what lands on the clipboard reads back as BibTeX
(bibtexparser) and CSL-JSON (json)."""

from __future__ import annotations

import json

import pytest
from bibtexparser.entrypoint import parse_string
from defectors_catalog.domain.output.citations import CITATION_FORMATS, cite, cite_source
from defectors_catalog.gui.citations_ui import SETTING
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.gui.conftest import row_of
from tests.gui.test_main_window import select_rows

PUSKAS = "ferenc-puskas-1956"
NUREYEV = "rudolf-nureyev-1961"


def clipboard() -> str:
    return QGuiApplication.clipboard().text()


def _select(window: MainWindow, *names: str) -> None:
    select_rows(window, *(row_of(window, n) for n in names))


def test_copy_citation_copies_plain_text_of_the_selected_records(qtbot, window):
    QGuiApplication.clipboard().setText("before")
    _select(window, "Ferenc Puskás", "Rudolf Nureyev")
    window.copy_citation_action.trigger()
    ids = [window.catalog.records[int(p)].id for p in window.selected_positions()]
    assert sorted(ids) == sorted([PUSKAS, NUREYEV])
    assert clipboard() == cite(window.catalog, ids, "text")
    assert "Ferenc Puskás (1956), line 52 of wikipedia.md" in clipboard()
    assert window.statusBar().currentMessage() == "Copied citations of 2 records (plain text)"


def test_copy_citation_as_bibtex_parses_back_and_is_remembered(qtbot, catalog, settings):
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    _select(window, "Ferenc Puskás", "Rudolf Nureyev")
    bibtex = next(a for a in window.copy_citation_menu.actions() if a.text() == "&BibTeX")
    bibtex.trigger()
    library = parse_string(clipboard())
    assert library.failed_blocks == []
    assert len(library.entries) == 3  # Puskás in two sources, Nureyev in one
    assert {e.entry_type for e in library.entries} == {"misc"}
    assert any(e.key.startswith(PUSKAS) for e in library.entries)
    assert window.statusBar().currentMessage() == "Copied citations of 2 records (BibTeX)"
    assert bibtex.isChecked()
    window.close()

    # The next window's Copy citation copies BibTeX too.
    again = MainWindow(catalog, settings)
    qtbot.addWidget(again)
    again.show()
    _select(again, "Ferenc Puskás")
    QGuiApplication.clipboard().setText("")
    again.copy_citation_action.trigger()
    assert parse_string(clipboard()).entries[0].key.startswith(PUSKAS)
    assert again.statusBar().currentMessage() == "Copied citations of 1 record (BibTeX)"


def test_copy_citation_as_offers_every_format_the_catalog_can_write(window):
    # The menu names its formats without loading the writers; each one the domain
    # writes is offered, in its order, and each offered one is written.
    offered = [action.data() for action in window.copy_citation_menu.actions()]
    assert offered == list(CITATION_FORMATS)


def test_copy_citation_as_csl_json_is_what_zotero_imports(qtbot, window):
    _select(window, "Ferenc Puskás")
    csl = next(a for a in window.copy_citation_menu.actions() if a.text() == "&CSL-JSON")
    csl.trigger()
    items = json.loads(clipboard())
    assert [item["id"] for item in items] == [f"{PUSKAS}-wikipedia", f"{PUSKAS}-wikipedia-scrape"]
    assert [item["type"] for item in items] == ["webpage", "dataset"]
    assert all(item["note"].startswith("Ferenc Puskás (1956), line ") for item in items)
    assert items[0]["URL"] == window.catalog.source("wikipedia").origin
    assert window.settings.value(SETTING) == "csl-json"


def test_ctrl_shift_c_from_the_search_box(qtbot, window):
    window.search.setText("puskas")
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 1)
    select_rows(window, 0)
    window.search.setFocus()
    QGuiApplication.clipboard().setText("")
    qtbot.keyClick(
        window.search,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clipboard() == cite(window.catalog, [PUSKAS], "text")
    assert window.search.text() == "puskas"  # the box kept its text


def test_nothing_chosen_says_so_and_leaves_the_clipboard(qtbot, window):
    QGuiApplication.clipboard().setText("kept")
    window.copy_citation_action.trigger()
    assert clipboard() == "kept"
    assert window.statusBar().currentMessage() == "Nothing to cite: choose a record first"


def test_an_unreadable_saved_format_falls_back_to_plain_text(qtbot, catalog, settings):
    settings.setValue(SETTING, "<script>")
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    assert window.citations.format == "text"


@pytest.mark.parametrize("format", ["text", "bibtex", "csl-json"])
def test_the_sources_overview_copies_a_sources_citation(qtbot, window, format):
    window.cross_checking.open(1)
    overview = window.cross_checking.overview
    view = overview.sources_view
    row = next(i for i, s in enumerate(overview.summaries) if s.spec.id == "wikipedia-scrape")
    view.setCurrentIndex(overview.sources_model.index(row, 0))
    overview.copy_citation(format)
    assert clipboard() == cite_source(window.catalog, "wikipedia-scrape", format)
    if format == "bibtex":
        assert len(parse_string(clipboard()).entries) == 1
    if format == "csl-json":
        assert json.loads(clipboard())[0]["accessed"]["date-parts"] == [[2025, 11, 6]]
    title = overview.summaries[row].spec.title
    assert window.statusBar().currentMessage().startswith(f"Copied the citation of {title}")
    # The button copies in the format chosen last.
    QGuiApplication.clipboard().setText("")
    overview.cite_button.click()
    assert clipboard() == cite_source(window.catalog, "wikipedia-scrape", format)
    assert overview.cite_button.isEnabled() and overview.cite_button.accessibleName()


def test_the_sources_tables_context_menu_offers_each_format(qtbot, window):
    window.cross_checking.open(1)
    overview = window.cross_checking.overview
    view = overview.sources_view
    qtbot.waitUntil(lambda: view.visualRect(overview.sources_model.index(1, 0)).height() > 0)
    point = view.visualRect(overview.sources_model.index(1, 0)).center()
    menu = overview.source_menu(point)
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [
        "Copy citation as Plain text", "Copy citation as BibTeX", "Copy citation as CSL-JSON"
    ]  # fmt: skip
    assert view.currentIndex().row() == 1  # the source under the pointer is the one cited
    next(a for a in menu.actions() if "BibTeX" in a.text()).trigger()
    second = overview.summaries[1].spec.id
    assert clipboard() == cite_source(window.catalog, second, "bibtex")
    assert overview.cite_button.text() == "Copy citation (BibTeX)"
