"""Adding and managing one's own sources from the window; damage never stops the app."""

from __future__ import annotations

import socket

import pytest
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from defectors_catalog.gui.session import Session
from defectors_catalog.gui.sources_ui import ManageSourcesDialog, ReportDialog
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QPlainTextEdit


@pytest.fixture
def session(qtbot, tmp_path, settings):
    session = Session(UserSourceStore(tmp_path / "data"), (), settings)
    yield session
    for window in [session.window, *session._retired]:
        if window is not None:
            window.close()


@pytest.fixture
def reports(monkeypatch):
    shown: list[str] = []

    def capture(dialog: ReportDialog) -> int:
        text = dialog.findChild(QPlainTextEdit, "reportText")
        assert text is not None
        shown.append(text.toPlainText())
        return 0

    monkeypatch.setattr(ReportDialog, "exec", capture)
    return shown


def accept_as(monkeypatch, qtbot, *, reliable: bool, title: str = "") -> list[AddSourceDialog]:
    """Make the Add dialog accept at once, once its preview is shown, as a person would."""
    seen: list[AddSourceDialog] = []

    def accept(dialog: AddSourceDialog) -> QDialog.DialogCode:
        seen.append(dialog)
        qtbot.waitUntil(lambda: dialog.shown is not None and not dialog.busy, timeout=20_000)
        dialog.reliable.setChecked(reliable)
        dialog.unreliable.setChecked(not reliable)
        if title:
            dialog.title.setText(title)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSourceDialog, "exec", accept)
    return seen


def test_add_source_previews_merges_reports_and_survives_a_restart(
    qtbot, session, memoir, monkeypatch, reports
):
    window = session.open()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(memoir), "")))
    dialogs = accept_as(monkeypatch, qtbot, reliable=False, title="Émigré memoir")
    window.add_source_action.trigger()
    qtbot.waitUntil(lambda: bool(reports))
    preview = dialogs[0]
    assert preview.chosen_layout == "plain-rows"
    assert preview.preview.rowCount() == 3
    first = preview.preview.item(0, 1)  # after the line number
    assert first is not None and first.text() == "Anna Kovács"
    report = reports[0]
    assert "Rows read: 3 from 6 lines" in report
    assert "Merged into existing records: 1" in report  # Tünde Fejér, from the fan wiki
    assert "New records: 2 (each warned" in report
    assert "line 5: no-year:" in report
    new_window = session.window
    assert new_window is not window and new_window.isVisible()
    assert new_window.records.model.rowCount() == 187
    assert "emigre-memoir" in new_window.filters.models["sources"].values
    anna = next(r for r in new_window.catalog.records if r.name == "Anna Kovács")
    assert anna.warning_codes == ("only-unreliable",)

    # A restart finds the copy in the data folder, even with the original gone.
    memoir.unlink()
    again = Session(session.store, (), session.settings).open()
    assert again is not None  # small sources open at once
    qtbot.addWidget(again)
    assert again.records.model.rowCount() == 187


def test_a_reliable_source_lifts_the_fan_wiki_warning(qtbot, session, memoir, monkeypatch, reports):
    window = session.open()
    accept_as(monkeypatch, qtbot, reliable=True)
    window.sources_ui.add(memoir)
    qtbot.waitUntil(lambda: bool(reports))
    fejer = next(r for r in session.window.catalog.records if r.name == "Tünde Fejér")
    assert "only-unreliable" not in fejer.warning_codes


def test_dropping_a_file_on_the_window_adds_it(qtbot, session, memoir, monkeypatch, reports):
    window = session.open()
    accept_as(monkeypatch, qtbot, reliable=False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(memoir))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: bool(reports))
    assert session.window.records.model.rowCount() == 187


def test_an_unreadable_file_cannot_be_added_and_says_why(qtbot, session, tmp_path):
    window = session.open()
    bad = tmp_path / "old.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    dialog = AddSourceDialog(window.catalog, bad, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shown is not None)
    assert "looks like a binary file" in dialog.summary.text()
    assert not dialog.ok.isEnabled()


def test_manage_renames_rerates_and_removes_but_keeps_bundled(
    qtbot, session, memoir, monkeypatch, reports
):
    window = session.open()
    accept_as(monkeypatch, qtbot, reliable=False)
    window.sources_ui.add(memoir)
    qtbot.waitUntil(lambda: bool(reports))
    window = session.window
    dialog = ManageSourcesDialog(window.catalog, session.store, window)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)  # the bundled Wikipedia export
    assert not dialog.remove_button.isEnabled()
    assert not dialog.rename_button.isEnabled()
    # Why, said in the dialog and beside the chosen source.
    assert "cannot be renamed, re-rated or removed" in dialog.explanation.text()
    assert dialog.state.text().startswith("Bundled with the app: it cannot be renamed")

    asked: list[tuple[str, str, str]] = []

    def rename_to(ask: QInputDialog) -> int:
        asked.append((ask.windowTitle(), ask.labelText(), ask.textValue()))
        assert ask.minimumWidth() >= 460  # the title bar's "Rename source" is not cut
        ask.setTextValue("Memoir")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QInputDialog, "exec", rename_to)
    dialog.list.setCurrentRow(3)
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    # Opened prefilled with the current title.
    assert asked == [("Rename source", "New title for \u201cemigre memoir\u201d:", "emigre memoir")]
    dialog.list.setCurrentRow(3)
    dialog.rerate()
    spec = session.store.load().specs[0]
    assert (spec.title, spec.reliable) == ("Memoir", True)

    questions: list[str] = []
    answer = {"button": QMessageBox.StandardButton.Cancel}

    def confirm(box: QMessageBox) -> int:
        assert box.textFormat() == Qt.TextFormat.PlainText
        questions.append(box.text())
        return answer["button"].value

    monkeypatch.setattr(QMessageBox, "exec", confirm)
    dialog.list.setCurrentRow(3)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert questions[0].startswith("Remove \u201cMemoir\u201d from the catalog?")
    assert not dialog.pending and not dialog.undo_button.isEnabled()  # cancelled: kept
    answer["button"] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [spec.id for spec in dialog.pending] == [spec.id]
    assert dialog.list.item(3).text().endswith("to be removed")
    assert dialog.state.text() == "Removed when this dialog closes; Undo remove keeps it."
    assert spec.path.exists()  # nothing is deleted while Undo can take it back
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert not dialog.pending and "to be removed" not in dialog.list.item(3).text()
    dialog.list.setCurrentRow(3)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # closing the dialog removes it
    assert session.store.load().specs == ()
    assert not spec.path.exists()
    assert dialog.changed


def test_a_damaged_store_is_reported_and_the_app_still_opens(qtbot, session, message_boxes):
    session.store.folder.mkdir(parents=True)
    session.store.manifest.write_text("not [valid toml", encoding="utf-8")
    window = session.open()
    qtbot.waitUntil(lambda: bool(message_boxes))
    assert window.records.model.rowCount() == 185
    assert "is damaged and was not read" in message_boxes[0].text()


def test_window_and_export_make_no_network_connection(qtbot, session, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the app tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    window = session.open()
    window.search.setText("hungary")
    target = tmp_path / "offline.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.exporter.provenance.setChecked(True)
    window.export_action.trigger()
    assert target.exists() and (tmp_path / "offline.csv.provenance.json").exists()


def test_export_options_change_the_file_and_persist(qtbot, session, tmp_path, monkeypatch):
    window = session.open()
    window.exporter.excel_bom.setChecked(True)
    tab = next(a for a in window.exporter.delimiters.actions() if a.data() == "\t")
    tab.setChecked(True)
    target = tmp_path / "excel.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.export_action.trigger()
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfsources\tname\t")
    reopened = session.open()
    assert reopened.exporter.excel_bom.isChecked()
    assert reopened.exporter.options().delimiter == "\t"


def test_a_same_person_decision_rebuilds_the_catalog_and_undo_splits_it(qtbot, tmp_path, settings):
    typo = tmp_path / "typo.md"
    typo.write_text(
        "| Defector | Profession | Birthplace | Year | Notes |\n"
        "| Ferenc Puskas Jr | Footballer | Hungary | 1957 | x |\n",
        encoding="utf-8",
    )
    session = Session(UserSourceStore(tmp_path / "data" / "sources"), [(typo, True)], settings)
    window = session.open()
    assert window is not None
    assert window.records.model.rowCount() == 186
    conflicts = window.cross_checking.conflicts
    conflicts.candidate_view.setCurrentIndex(conflicts.candidates.index(0, 0))
    conflicts.same_button.click()
    qtbot.waitUntil(lambda: session.window is not window)
    merged = session.window
    assert merged is not None
    assert merged.records.model.rowCount() == 185
    assert (tmp_path / "data" / "candidate-decisions.json").exists()
    merged.cross_checking.conflicts.undo_button.click()
    qtbot.waitUntil(lambda: session.window is not merged)
    split = session.window
    assert split is not None
    assert split.records.model.rowCount() == 186
    for w in [split, *session._retired]:
        w.close()
