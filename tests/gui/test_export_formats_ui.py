"""Export (Ctrl+E) from the window in every format: the save dialog offers each, the
extension or the chosen file type decides, and each file reads back with the rows and
columns on screen."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from defectors_catalog.domain.output.formats import FORMAT, FORMATS
from defectors_catalog.gui.exporting import target_and_format
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import tick
from tests.gui.test_main_window import select_rows

COLUMNS = ["sources", "name", "profession", "birthplace", "year", "warnings"]


class Dialog:
    """The save dialog as a person answers it: a name typed and a file type chosen."""

    def __init__(self, target: Path, file_type: str = "") -> None:
        self.target, self.file_type = target, file_type
        self.filters = ""
        self.offered = ""
        self.start = ""

    def __call__(self, _parent, _caption, start, filters, chosen_filter=""):
        self.start, self.filters, self.offered = start, filters, chosen_filter
        return str(self.target), self.file_type


def _shown(window: MainWindow) -> list[str]:
    model = window.records.model
    return [model.catalog.records[int(p)].name for p in model.positions]


def _export(qtbot, window: MainWindow, monkeypatch, dialog: Dialog) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    window.export_action.trigger()
    qtbot.waitUntil(lambda: window.exporter.running is None, timeout=30_000)
    assert window.statusBar().currentMessage().startswith("Exported ")


def _hungary(qtbot, window: MainWindow) -> list[str]:
    tick(qtbot, window, "country", "Hungary")
    window.records.set_column_visible(2, False)  # hide a column: it must not be written
    names = _shown(window)
    assert len(names) == 22
    return names


def test_the_dialog_offers_every_format(qtbot, window, tmp_path, monkeypatch):
    dialog = Dialog(tmp_path / "all.csv")
    _export(qtbot, window, monkeypatch, dialog)
    offered = dialog.filters.split(";;")
    assert offered == [*(f.file_filter for f in FORMATS), "All files (*)"]
    assert "Excel workbook (*.xlsx)" in offered and "JSON (*.json)" in offered
    assert dialog.offered == FORMAT["csv"].file_filter  # CSV until another was used


def test_excel_from_the_window_is_a_workbook_of_the_rows_on_screen(
    qtbot, window, tmp_path, monkeypatch
):
    names = _hungary(qtbot, window)
    columns = window.exporter.plan()[1]
    target = tmp_path / "hungary.xlsx"
    _export(qtbot, window, monkeypatch, Dialog(target))
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == columns
    assert [r[columns.index("name")] for r in rows[1:]] == names
    years = [r[columns.index("year")] for r in rows[1:] if r[columns.index("year")] is not None]
    assert years and all(isinstance(y, int) for y in years)  # years as numbers
    assert len(book.worksheets) == 2  # the provenance sheet
    # The next export offers the format used last.
    dialog = Dialog(tmp_path / "again.xlsx")
    _export(qtbot, window, monkeypatch, dialog)
    assert dialog.offered == "Excel workbook (*.xlsx)"
    assert dialog.start.endswith("defectors.xlsx")


def test_json_from_the_window_holds_the_selected_rows(qtbot, window, tmp_path, monkeypatch):
    select_rows(window, 3, 4, 5)
    chosen = [n for i, n in enumerate(_shown(window)) if i in (3, 4, 5)]
    target = tmp_path / "three.json"
    _export(qtbot, window, monkeypatch, Dialog(target))
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert [r["name"] for r in rows] == chosen
    assert list(rows[0]) == window.exporter.plan()[1]
    assert window.statusBar().currentMessage() == f"Exported 3 rows to {target}"


def test_markdown_from_the_window_is_one_pipe_table(qtbot, window, tmp_path, monkeypatch):
    names = _hungary(qtbot, window)
    target = tmp_path / "hungary.md"
    _export(qtbot, window, monkeypatch, Dialog(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header == window.exporter.plan()[1]
    assert set(lines[1]) <= set("|-: ")
    assert len(lines) == 2 + len(names)
    column = header.index("name")
    written = [line.strip("|").split(" | ")[column].strip() for line in lines[2:]]
    assert [w.replace("\\", "") for w in written] == names


def test_the_chosen_file_type_decides_a_name_without_extension(
    qtbot, window, tmp_path, monkeypatch
):
    target = tmp_path / "records"
    _export(qtbot, window, monkeypatch, Dialog(target, "JSON (*.json)"))
    assert not target.exists()
    rows = json.loads((tmp_path / "records.json").read_text(encoding="utf-8"))
    assert len(rows) == 185


def test_a_typed_extension_wins_over_the_file_type(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "list.csv"
    _export(qtbot, window, monkeypatch, Dialog(target, "Excel workbook (*.xlsx)"))
    with target.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 185


@pytest.mark.parametrize(
    ("typed", "file_type", "written", "format"),
    [
        ("a.xlsx", "", "a.xlsx", "xlsx"),
        ("a", "", "a.csv", "csv"),
        ("a", "Markdown table (*.md *.markdown)", "a.md", "md"),
        ("a.markdown", "JSON (*.json)", "a.markdown", "md"),
        ("list.2026", "Excel workbook (*.xlsx)", "list.2026.xlsx", "xlsx"),
        ("list.2026", "All files (*)", "list.2026", "csv"),
        ("A.JSON", "", "A.JSON", "json"),
    ],
)
def test_target_and_format(typed, file_type, written, format):
    target, chosen = target_and_format(Path(typed), file_type)
    assert (target.name, chosen.id) == (written, format)
