"""File dialogs open in the folder last used for the same purpose, kept across a restart;
the first time (or when that folder is gone) in the documents folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from defectors_catalog.gui.last_folder import documents_folder
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog


def test_the_first_folder_is_the_platforms_documents_folder(tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    asked: list[QStandardPaths.StandardLocation] = []

    def location(kind: QStandardPaths.StandardLocation) -> str:
        asked.append(kind)
        return str(documents)

    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(location))
    assert documents_folder() == documents
    assert asked == [QStandardPaths.StandardLocation.DocumentsLocation]
    documents.rmdir()  # a documents folder the platform names but nobody made
    assert documents_folder() == Path.home()


def test_export_opens_where_the_last_export_went_even_after_a_restart(
    qtbot, catalog, settings, tmp_path, monkeypatch
):
    offered: list[str] = []
    target = tmp_path / "exports" / "hungary.csv"
    target.parent.mkdir()

    def choose(_parent, _title, start, _filter, _chosen=""):
        offered.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 185)
    window.export_action.trigger()
    assert offered[0] == str(documents_folder() / "defectors.csv")  # the first time
    assert target.exists()
    window.close()

    again = MainWindow(catalog, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.records.model.rowCount() == 185)
    again.export_action.trigger()
    assert offered[1] == str(target.parent / "defectors.csv")

    # The folder is gone: the documents folder again, never an error.
    shutil.rmtree(target.parent)
    target = tmp_path / "hungary.csv"
    third = MainWindow(catalog, settings)
    qtbot.addWidget(third)
    third.export_action.trigger()
    assert offered[2] == str(documents_folder() / "defectors.csv")


def test_add_source_opens_where_the_last_source_came_from(
    qtbot, catalog, settings, tmp_path, memoir, monkeypatch
):
    offered: list[str] = []

    def choose(_parent, _title, start, _filter):
        offered.append(start)
        return str(memoir), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    # The person looks at the preview and cancels: nothing is added.
    monkeypatch.setattr(AddSourceDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    store = UserSourceStore(tmp_path / "data")
    window = MainWindow(catalog, settings, store=store)
    qtbot.addWidget(window)
    window.add_source_action.trigger()
    assert offered == [str(documents_folder())]
    window.close()

    again = MainWindow(catalog, settings, store=store)
    qtbot.addWidget(again)
    again.add_source_action.trigger()
    assert offered[1] == str(memoir.parent)
    assert store.load().specs == ()
