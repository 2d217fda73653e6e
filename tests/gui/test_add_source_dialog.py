"""The Add dialog shows how the file will be read (layout, encoding, sheet, columns),
lets the person change each, and previews the result; the domain does the reading."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from PySide6.QtWidgets import QComboBox, QDialog

from tests.domain import layout_files


def opened(qtbot, catalog, path) -> AddSourceDialog:
    dialog = AddSourceDialog(catalog, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shown is not None and not dialog.busy)
    return dialog


def choose(qtbot, dialog: AddSourceDialog, box: QComboBox, data: str) -> None:
    """Pick `data` as a person would (which emits `activated`), then wait for the preview."""
    before = dialog.shown
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)
    box.activated.emit(index)
    qtbot.waitUntil(lambda: dialog.shown is not before and not dialog.busy)


def read_as(dialog: AddSourceDialog, header: str) -> QComboBox:
    for row in range(dialog.mapping.rowCount()):
        item = dialog.mapping.item(row, 0)
        if item is not None and item.text() == header:
            box = dialog.mapping.cellWidget(row, 1)
            assert isinstance(box, QComboBox)
            return box
    raise AssertionError(f"no column {header!r}")


def names(dialog: AddSourceDialog) -> list[str]:
    return [dialog.preview.item(r, 1).text() for r in range(dialog.preview.rowCount())]  # type: ignore[union-attr]


def test_the_mapping_editor_reads_a_column_the_person_names(qtbot, catalog, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Wer;Jahr;Foto\nGeorge Balanchine;1924;a.jpg\nBoris Bazhanov;1928;b.jpg\n")
    dialog = opened(qtbot, catalog, path)
    assert not dialog.ok.isEnabled()
    assert "its header row (line 1) names no name column" in dialog.summary.text()
    assert read_as(dialog, "Jahr").currentData() == "year"
    assert read_as(dialog, "Wer").currentData() == "ignore"
    why = dialog.mapping.item(1, 2)
    assert why is not None and why.text() == "100%: German header word"

    choose(qtbot, dialog, read_as(dialog, "Wer"), "name")
    assert names(dialog) == ["George Balanchine", "Boris Bazhanov"]
    assert dialog.ok.isEnabled()
    assert dialog.options.columns == (("Wer", "name"), ("Jahr", "year"), ("Foto", "ignore"))
    assert read_as(dialog, "Wer").currentData() == "name"


def test_an_unsure_encoding_is_asked_for_and_the_choice_is_used(qtbot, catalog, tmp_path):
    path = tmp_path / "hu.csv"
    path.write_bytes("Name,Year\nJenő Kalmár,1956\nAndrás Törő,1964\n".encode("iso-8859-2"))
    dialog = opened(qtbot, catalog, path)
    assert not dialog.ok.isEnabled()
    assert "reads as cp1252 or iso-8859-2" in dialog.summary.text()
    assert "Pick an encoding above" in dialog.summary.text()
    marked = [dialog.encoding_box.itemText(i) for i in range(dialog.encoding_box.count())]
    assert "ISO-8859-2 (Central European) (one of the candidates)" in marked

    choose(qtbot, dialog, dialog.encoding_box, "iso-8859-2")
    assert names(dialog) == ["Jenő Kalmár", "András Törő"]
    assert dialog.ok.isEnabled()
    assert "ISO-8859-2 (Central European), as chosen" in dialog.summary.text()
    assert dialog.options.encoding == "iso-8859-2"


def test_a_detected_encoding_is_shown_and_can_be_overridden(qtbot, catalog, tmp_path):
    path = tmp_path / "excel.csv"
    rows = layout_files.HUNGARIAN_CP1252
    path.write_bytes(layout_files.delimited(rows, ("Name", "Beruf", "Land", "Jahr", "Notizen"),
                                            ";").encode("cp1252"))  # fmt: skip
    dialog = opened(qtbot, catalog, path)
    assert dialog.ok.isEnabled()
    assert names(dialog) == [r[0] for r in rows]
    assert dialog.encoding_box.itemText(0) == "Detect (Windows-1252 (Western European))"
    choose(qtbot, dialog, dialog.encoding_box, "cp1251")  # wrong, but the person's word
    assert names(dialog)[0] == "Gйza Fьster"
    assert "Windows-1251 (Cyrillic), as chosen" in dialog.summary.text()


def test_a_workbook_offers_its_sheets(qtbot, catalog, tmp_path):
    path = layout_files.workbook(tmp_path / "list.xlsx", "openpyxl")
    dialog = opened(qtbot, catalog, path)
    assert dialog.chosen_layout == "spreadsheet"
    assert not dialog.encoding_box.isEnabled()  # a workbook has no text encoding
    sheets = [dialog.sheet_box.itemData(i) for i in range(dialog.sheet_box.count())]
    assert sheets == ["About", "Defectors"] and dialog.sheet_box.currentData() == "Defectors"
    assert len(names(dialog)) == 12
    assert dialog.preview.item(0, 0).text() == "4"  # type: ignore[union-attr]  # sheet row
    choose(qtbot, dialog, dialog.sheet_box, "About")
    assert not dialog.ok.isEnabled() and names(dialog) == []
    assert "none has a name and a year column" in dialog.summary.text()


def test_a_listed_file_cannot_be_added_again(qtbot, catalog):
    dialog = opened(qtbot, catalog, catalog.sources[0].path)
    assert not dialog.ok.isEnabled()
    assert "already listed as 'Wikipedia export'" in dialog.summary.text()


@pytest.mark.parametrize("layout", ["delimited", "html", "wikitext", "json", "spreadsheet"])
def test_the_layout_picker_names_the_detected_layout(qtbot, catalog, tmp_path, layout):
    files = {"delimited": "de.csv", "html": "page.html", "wikitext": "article.wiki",
             "json": "list.json", "spreadsheet": "list.ods"}  # fmt: skip
    path = layout_files.make_all(tmp_path)[files[layout]]
    dialog = opened(qtbot, catalog, path)
    assert dialog.chosen_layout == layout and dialog.ok.isEnabled()
    index = dialog.layout_box.findData(layout)
    assert "(detected, " in dialog.layout_box.itemText(index)


def test_adding_keeps_the_choices_with_the_source(qtbot, window, tmp_path, monkeypatch):
    from defectors_catalog.gui.sources_ui import SourcesController

    path = tmp_path / "liste.csv"
    path.write_text("Wer;Jahr\nGeorge Balanchine;1924\n", encoding="utf-8")
    store = UserSourceStore(tmp_path / "data")

    def accept(dialog: AddSourceDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(lambda: dialog.shown is not None and not dialog.busy)
        choose(qtbot, dialog, read_as(dialog, "Wer"), "name")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSourceDialog, "exec", accept)
    reloads: list[object] = []
    window.rebuildRequested.connect(lambda then, undo: reloads.append(then))
    controller = SourcesController(window, store)
    controller.add(path)
    qtbot.waitUntil(lambda: bool(reloads))  # the copy is made on a worker thread
    (spec,) = store.load().specs
    assert spec.columns == (("Wer", "name"), ("Jahr", "year")) and spec.layout == "delimited"
    assert len(reloads) == 1


def test_a_picture_is_not_a_list_and_leaves_nothing_to_fill_in(qtbot, catalog, tmp_path):
    from PySide6.QtGui import QColor, QImage

    path = tmp_path / "portrait.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("darkred"))
    assert image.save(str(path))
    dialog = opened(qtbot, catalog, path)
    summary = dialog.summary.text()
    assert summary.startswith("\u201cportrait.png\u201d is not a list the app can read")
    assert "binary file" in summary
    layouts = [dialog.layout_box.itemText(i) for i in range(dialog.layout_box.count())]
    assert not any("detected" in text for text in layouts), layouts
    assert not dialog.ok.isEnabled()
    for widget in (dialog.title, dialog.reliable, dialog.unreliable, dialog.layout_box,
                   dialog.encoding_box, dialog.preview, dialog.mapping):  # fmt: skip
        assert not widget.isEnabled(), widget.accessibleName() or widget.objectName()


def test_text_that_is_no_list_says_what_would_make_it_readable(qtbot, catalog, tmp_path):
    path = tmp_path / "shopping.txt"
    # Words, no names and no years: the kind of text file dropped by mistake.
    path.write_text("milk bread eggs\ncoffee and tea\nremember the keys\n", encoding="utf-8")
    dialog = opened(qtbot, catalog, path)
    summary = dialog.summary.text()
    assert not dialog.ok.isEnabled()
    assert summary.startswith("No row could be read: read as Plain-text rows")
    assert "listed in the report after adding" not in summary
    assert "at least a name and a year" in summary and "pick its layout above" in summary
    layouts = [dialog.layout_box.itemText(i) for i in range(dialog.layout_box.count())]
    assert not any("detected" in text for text in layouts), layouts
    # Still a text file: the person may pick another layout or encoding.
    assert dialog.layout_box.isEnabled() and dialog.encoding_box.isEnabled()
    assert dialog.title.isEnabled()
