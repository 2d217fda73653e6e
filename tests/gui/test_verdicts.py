"""The verdict editor in the details: a person marks real seed records, and the table,
the sidebar and a fresh look at the database all see it."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.annotations.model import Change, Status
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.record_ids import entry_keys
from defectors_catalog.domain.annotations.store import open_store
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.gui import saved_searches
from defectors_catalog.gui.columns import COLUMN_INDEX
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import is_plain_tooltip
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

NUREYEV = "rudolf-nureyev-1961"
BARYSHNIKOV = "mikhail-baryshnikov-1974"


@pytest.fixture
def fresh_catalog():
    """A catalog of its own: a Desk lays the verdicts over its engine."""
    return load_catalog()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "annotations.sqlite3"


def open_window(qtbot, catalog, settings, store) -> MainWindow:
    window = MainWindow(catalog, settings, desk=Desk(catalog, store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def choose(window: MainWindow, record_id: str) -> None:
    assert window.records.select_position(window.catalog.row_of[record_id])
    assert window.detail.record is not None and window.detail.record.id == record_id


def cell(window: MainWindow, record_id: str, key: str) -> str:
    row = window.records.model.row_of_position(window.catalog.row_of[record_id])
    assert row is not None
    return str(window.records.model.index(row, COLUMN_INDEX[key]).data())


def count(window: MainWindow, facet: str, value: str) -> int:
    model = window.filters.models[facet]
    return model.counts[model.values.index(value)]


def test_a_person_marks_a_record_and_a_fresh_store_reads_it_back(
    qtbot, fresh_catalog, settings, db
):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    choose(window, NUREYEV)
    editor = window.detail.verdict
    assert editor.isVisible() and editor.changed.text() == "Not checked yet"

    editor.status.setFocus()
    qtbot.keyClick(editor.status, Qt.Key.Key_Down)  # unchecked -> verified, from the keyboard
    assert editor.status.currentData() == "verified"
    qtbot.keyClicks(editor.tags, "Olympics, Kirov ballet")
    qtbot.keyClick(editor.tags, Qt.Key.Key_Return)  # editingFinished: saved at once
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Jumped the barrier at Le Bourget")
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.note, "<b>see the KGB file</b>")
    qtbot.waitUntil(lambda: not editor.dirty, timeout=3000)  # the pause in typing saved it

    again = open_store(db).verdict(NUREYEV)
    assert again.status is Status.VERIFIED
    assert again.tags == ("Olympics", "Kirov ballet")  # as typed
    assert again.note == "Jumped the barrier at Le Bourget\n<b>see the KGB file</b>"
    assert editor.changed.text().startswith("Last changed 20")

    # Ctrl+Z in the note is the note's own undo, not the window's filter undo.
    qtbot.keyClick(editor.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.note.toPlainText() != again.note


def test_the_table_and_the_sidebar_follow_a_change_and_keep_the_record(
    qtbot, fresh_catalog, settings, db
):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    window.records.set_column_visible(COLUMN_INDEX["status"], True)
    window.records.set_column_visible(COLUMN_INDEX["tags"], True)
    choose(window, BARYSHNIKOV)
    assert count(window, "status", "verified") == 0
    editor = window.detail.verdict
    editor.status.setCurrentIndex(editor.status.findData("disputed"))
    editor.status.activated.emit(editor.status.currentIndex())
    editor.tags.setText("defected in Toronto")
    editor.tags.textEdited.emit(editor.tags.text())
    editor.flush()

    assert cell(window, BARYSHNIKOV, "status") == "Disputed"
    assert cell(window, BARYSHNIKOV, "tags") == "defected in Toronto"
    assert count(window, "status", "disputed") == 1
    assert count(window, "status", "unchecked") == len(fresh_catalog.records) - 1
    assert count(window, "tags", "defected in toronto") == 1  # a new tag: its row appears
    assert window.records.shown_position() == fresh_catalog.row_of[BARYSHNIKOV]
    assert "Baryshnikov" in window.detail.accessibleDescription()

    tree, model = window.filters.tree, window.filters.tree_model
    tree.expand(model.section_index("tags"))
    assert model.value_index("tags", "defected in toronto").isValid()
    window.filters.set_checked("tags", {"defected in toronto"})
    assert len(window.result or ()) == 1


def test_a_read_only_database_disables_the_editor_and_says_why(
    qtbot, fresh_catalog, settings, db, message_boxes, monkeypatch
):
    db.write_bytes(b"this is not a database, it is a damaged file" * 100)
    store = open_store(db)
    window = open_window(qtbot, fresh_catalog, settings, store)
    choose(window, NUREYEV)
    editor = window.detail.verdict
    assert not editor.status.isEnabled() and not editor.note.isEnabled()
    assert editor.message.isVisible()
    assert "read-only" in editor.message.text() and "\n" not in editor.message.text()
    qtbot.waitUntil(lambda: "Your verdicts:" in window.statusBar().currentMessage())

    monkeypatch.setattr(saved_searches, "ask_name", lambda *args: "Dancers")
    window.save_search()
    assert len(message_boxes) == 1 and "\n" not in message_boxes[0].text()
    assert db.read_bytes().startswith(b"this is not a database")  # never "repaired"


def test_two_windows_see_each_other_on_refresh_and_the_note_being_typed_stays(
    qtbot, fresh_catalog, settings, db
):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    window.records.set_column_visible(COLUMN_INDEX["status"], True)
    choose(window, NUREYEV)
    editor = window.detail.verdict
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "half a thought")

    other = open_store(db)  # another window or process on the same database
    other.change([NUREYEV], Change(status=Status.REJECTED, add_tags=("from the other window",)))
    window.refresh_desk()  # what activation and the slow timer call

    assert cell(window, NUREYEV, "status") == "Rejected"
    assert editor.status.currentData() == "rejected"
    assert editor.tags.text() == "from the other window"
    assert editor.note.toPlainText() == "half a thought"
    assert count(window, "status", "rejected") == 1

    editor.flush()
    other.refresh()
    both = other.verdict(NUREYEV)
    assert both.status is Status.REJECTED and both.note == "half a thought"
    assert both.tags == ("from the other window",)
    assert window.desk is not None
    assert not window.desk.refresh()  # nothing new: one PRAGMA, no rerun


def test_choosing_another_record_saves_the_note_typed_at_once(qtbot, fresh_catalog, settings, db):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    choose(window, NUREYEV)
    editor = window.detail.verdict
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "check the date")
    choose(window, BARYSHNIKOV)  # before the pause in typing has saved it
    assert open_store(db).verdict(NUREYEV).note == "check the date"
    assert editor.note.toPlainText() == ""


def test_a_merged_record_shows_its_differing_verdicts_plainly(qtbot, fresh_catalog, settings, db):
    store = open_store(db)
    record = fresh_catalog.records[fresh_catalog.row_of[NUREYEV]]
    store.change([NUREYEV], Change(status=Status.VERIFIED), entry_keys(record))
    # A verdict given under the id of a record that has since merged into this one.
    store.change(["rudolf-nureyev-1961-2"], Change(status=Status.REJECTED), entry_keys(record))
    window = open_window(qtbot, fresh_catalog, settings, store)
    choose(window, NUREYEV)
    editor = window.detail.verdict
    assert editor.conflict.isVisible()
    assert "verified" in editor.conflict.text() and "rejected" in editor.conflict.text()
    assert editor.conflict.textFormat() == Qt.TextFormat.PlainText
    assert "rudolf-nureyev-1961-2" in editor.merged.text()


def test_verdict_cells_are_plain_text_and_the_model_passes_the_tester(
    qtbot, qtmodeltester, fresh_catalog, settings, db
):
    store = open_store(db)
    note = "<img src=file:///etc/passwd> " + "<table>" * 30
    store.change([NUREYEV], Change(status=Status.DISPUTED, add_tags=("<b>x</b>",), note=note))
    window = open_window(qtbot, fresh_catalog, settings, store)
    model = window.records.model
    row = model.row_of_position(fresh_catalog.row_of[NUREYEV])
    assert row is not None
    tip = model.index(row, COLUMN_INDEX["note"]).data(Qt.ItemDataRole.ToolTipRole)
    assert tip and is_plain_tooltip(tip)
    assert model.index(row, COLUMN_INDEX["tags"]).data() == "<b>x</b>"
    qtmodeltester.check(model)


def test_the_session_keeps_a_verdict_being_typed_across_a_rebuild(qtbot, tmp_path, settings, db):
    from defectors_catalog.domain.sources.user_sources import UserSourceStore
    from defectors_catalog.gui.session import Session

    store = open_store(db)
    session = Session(UserSourceStore(tmp_path / "sources"), (), settings, annotations=store)
    window = session.open()
    assert window is not None and window.desk is not None and window.desk.store is store
    choose(window, NUREYEV)
    editor = window.detail.verdict
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "typed just before a source was added")
    window.request_rebuild()  # a source added or a decision made: a new window
    rebuilt = session.window
    assert rebuilt is not None and rebuilt is not window
    assert rebuilt.desk is not None and rebuilt.desk.store is store  # opened once
    assert rebuilt.detail.record is not None and rebuilt.detail.record.id == NUREYEV
    assert rebuilt.detail.verdict.note.toPlainText() == "typed just before a source was added"
    qtbot.waitUntil(lambda: not session._retired)
    rebuilt.close()


def test_tags_complete_from_those_in_use_and_every_control_has_a_name(
    qtbot, fresh_catalog, settings, db
):
    store = open_store(db)
    store.change([NUREYEV], Change(add_tags=("Kirov ballet",)))
    window = open_window(qtbot, fresh_catalog, settings, store)
    choose(window, BARYSHNIKOV)
    editor = window.detail.verdict
    editor.tags.setFocus()
    qtbot.keyClicks(editor.tags, "Toronto, kir")
    completer = editor.tags.completer_
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Kirov ballet"
    completer.activated.emit("Kirov ballet")  # what choosing it in the popup sends
    assert editor.tags.text() == "Toronto, Kirov ballet"
    editor.flush()
    assert open_store(db).verdict(BARYSHNIKOV).tags == ("Toronto", "Kirov ballet")

    assert window.saved_searches is not None
    focusable = [
        w
        for panel in (editor, window.saved_searches)
        for w in panel.findChildren(QWidget)
        # The window's own controls, not the popups of the combo box and the completer.
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.window() is window
    ]
    assert len(focusable) >= 5
    assert [w for w in focusable if not w.accessibleName()] == []


def test_a_layout_saved_before_the_verdict_columns_keeps_them_hidden(
    qtbot, fresh_catalog, settings, db
):
    from defectors_catalog.domain.fields import TABLE_COLUMNS
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    older = QTableView()  # the table as the previous version saved it: no verdict columns
    older.setModel(QStandardItemModel(1, len(TABLE_COLUMNS), older))
    older.horizontalHeader().setSectionHidden(COLUMN_INDEX["notes"], True)
    settings.setValue("table/header", older.horizontalHeader().saveState())
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    shown = window.records.visible_columns()
    assert "notes" not in shown and "name" in shown  # the saved layout applies
    assert not {"status", "tags", "note"} & set(shown)  # and the new columns stay hidden

    window.records.set_column_visible(COLUMN_INDEX["status"], True)
    window.save_settings()
    again = open_window(qtbot, fresh_catalog, settings, open_store(db))
    assert again.records.visible_columns() == window.records.visible_columns()


def test_the_slow_timer_and_activation_bring_in_another_window_s_change(
    qtbot, fresh_catalog, settings, db
):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    window.records.set_column_visible(COLUMN_INDEX["status"], True)
    assert window.desk_timer.isActive() and window.desk_timer.interval() == 5000
    other = open_store(db)
    other.change([NUREYEV], Change(status=Status.DISPUTED))
    window.desk_timer.setInterval(20)  # the 5 s timer, sooner
    qtbot.waitUntil(lambda: cell(window, NUREYEV, "status") == "Disputed", timeout=3000)

    window.desk_timer.stop()
    elsewhere = QWidget()  # the person works in another window for a while
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    other.change([NUREYEV], Change(status=Status.VERIFIED))
    window.activateWindow()  # and comes back
    qtbot.waitUntil(lambda: cell(window, NUREYEV, "status") == "Verified", timeout=3000)


def test_a_tag_that_cannot_be_kept_stays_typed_and_the_note_is_saved(
    qtbot, fresh_catalog, settings, db
):
    window = open_window(qtbot, fresh_catalog, settings, open_store(db))
    choose(window, NUREYEV)
    editor = window.detail.verdict
    qtbot.keyClicks(editor.tags, "paris; 1961")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "the ; belongs in the note")
    editor.flush()
    kept = open_store(db).verdict(NUREYEV)
    assert kept.note == "the ; belongs in the note" and kept.tags == ()
    assert editor.tags.text() == "paris; 1961" and editor.dirty == {"tags"}
    assert editor.message.isVisible() and "Tags not saved" in editor.message.text()
    assert "\n" not in editor.message.text()

    editor.tags.setText("paris 1961")
    editor.tags.textEdited.emit(editor.tags.text())
    editor.flush()
    assert open_store(db).verdict(NUREYEV).tags == ("paris 1961",)
    assert not editor.message.isVisible()
