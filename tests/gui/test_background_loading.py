"""Big sources load off the GUI thread, with progress, and Cancel changes nothing."""

from __future__ import annotations

import gc

import pytest
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui import session as session_module
from defectors_catalog.gui.background import LoadingWindow, StatusProgress
from defectors_catalog.gui.session import Session
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from benchmarks.synthetic import synthetic_columns, write_source
from tests.gui.test_sources_ui import accept_as

BIG_ROWS = 20_000


@pytest.fixture(scope="module")
def big_source(tmp_path_factory, classifier):
    """A generated pipe table of some 20,000 rows (about 4 MB): seconds of parsing."""
    path = tmp_path_factory.mktemp("big") / "archive-export.md"
    columns = synthetic_columns(int(BIG_ROWS / 0.7), classifier)
    rows = write_source(columns, "state-archive", path)  # listed by about 73 %
    assert rows > BIG_ROWS * 0.9 and path.stat().st_size > session_module.QUICK_BYTES
    return path


@pytest.fixture
def session(tmp_path, settings):
    made: list[Session] = []

    def make(extra=()) -> Session:
        session = Session(UserSourceStore(tmp_path / "data" / "sources"), extra, settings)
        made.append(session)
        return session

    yield make
    for session in made:
        if session.loading is not None:
            session.loading.cancel()
            session.loading.wait(10)
        if session.loading_window is not None:
            session.loading_window.close()
        for window in [session.window, *session._retired]:
            if window is not None:
                window.close()


def test_a_big_source_at_start_up_loads_behind_a_progress_window(
    qtbot, session, memoir, monkeypatch
):
    monkeypatch.setattr(session_module, "QUICK_BYTES", 0)  # treat the small file as big
    s = session([(memoir, False)])
    stages: list[str] = []
    assert s.open() is None  # nothing to show yet: it loads in the background
    loading = s.loading_window
    assert isinstance(loading, LoadingWindow) and loading.isVisible()
    assert s.loading is not None
    s.loading.progressed.connect(lambda stage, *_: stages.append(stage))
    qtbot.waitUntil(lambda: s.window is not None, timeout=30_000)
    window = s.window
    assert window is not None and window.isVisible()
    assert window.records.model.rowCount() == 187  # 185 + the memoir's 2 new people
    assert s.loading_window is None
    assert not any(  # the progress window is gone
        isinstance(w, LoadingWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    assert "Merging emigre-memoir.txt" in stages


def test_a_background_load_ends_with_the_collectors_full_pass_while_the_progress_shows(
    qtbot, session, memoir, monkeypatch
):
    # Otherwise that pass (seconds at a million rows, the GIL held) comes later, while
    # the person types: `gc_pause.collect_after_load`. The progress says so, painted
    # before the pass begins (it cannot repaint during it).
    monkeypatch.setattr(session_module, "QUICK_BYTES", 0)
    s = session([(memoir, False)])
    assert s.open() is None
    loading = s.loading_window
    assert loading is not None
    painted: list[str] = []  # the label's text at each of its paints
    full_passes: list[str] = []  # the label last painted when a full pass began

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(loading.label.text())
            return False

    paints = Paints()
    loading.label.installEventFilter(paints)

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2 and s.window is None:
            full_passes.append(painted[-1] if painted else "")

    gc.callbacks.append(seen)
    try:
        qtbot.waitUntil(lambda: s.window is not None, timeout=30_000)
    finally:
        gc.callbacks.remove(seen)
    assert "Tidying up memory\u2026" in full_passes


def test_cancelling_at_start_up_opens_the_bundled_lists_and_keeps_nothing_half_done(
    qtbot, session, big_source
):
    s = session([(big_source, True)])
    assert not s.is_quick()
    assert s.open() is None
    loading = s.loading_window
    assert loading is not None
    # Waiting on the session's state, not on signals: pytest-qt's signal blockers once
    # caught another object's emission here (a str where a window was expected).
    qtbot.waitUntil(lambda: loading.label.text().startswith("Reading"), timeout=10_000)
    loading.cancel_button.click()
    qtbot.waitUntil(lambda: s.window is not None, timeout=30_000)
    window = s.window
    assert window is not None and window.records.model.rowCount() == 185
    assert "Loading your sources was cancelled" in window.statusBar().currentMessage()


def test_adding_a_big_source_keeps_the_window_usable_and_cancel_adds_nothing(
    qtbot, session, big_source, monkeypatch
):
    s = session()
    window = s.open()
    assert window is not None and window.records.model.rowCount() == 185
    accept_as(monkeypatch, qtbot, reliable=False, title="Archive export")
    window.sources_ui.add(big_source)
    # The copy into the store runs on a worker thread; then the rebuild starts.
    qtbot.waitUntil(lambda: s.loading is not None, timeout=30_000)
    assert s.window is window  # rebuilding in the background, the old window still up
    bar = window.statusBar().findChild(StatusProgress)
    assert bar is not None
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # shown once the load outlasts a moment
    assert [spec.title for spec in s.store.load().specs] == ["Archive export"]

    window.search.setText("koszegi")  # the window answers while the source loads
    assert window.records.model.rowCount() == 1
    with qtbot.waitSignal(s.loadFinished, timeout=30_000):
        bar.cancel_button.click()
    assert s.window is window  # no new window
    assert window.records.model.rowCount() == 1
    assert s.store.load().specs == ()  # the copy was taken back
    assert not any(s.store.folder.glob("*.md"))
    assert window.statusBar().currentMessage() == "Cancelled: nothing was changed"


def test_a_background_rebuild_shows_the_new_window_and_its_report(
    qtbot, session, memoir, monkeypatch, caplog
):
    s = session()
    window = s.open()
    assert window is not None
    monkeypatch.setattr(session_module, "QUICK_BYTES", 0)
    reports: list[str] = []
    monkeypatch.setattr(
        "defectors_catalog.gui.sources_ui.ReportDialog.exec",
        lambda dialog: reports.append(dialog.windowTitle()),
    )
    accept_as(monkeypatch, qtbot, reliable=True, title="Memoir")
    caplog.set_level("INFO", logger="defectors_catalog.gui.session")
    window.sources_ui.add(memoir)
    # The build may be over (0.07 s) before a poll could see it running: the session's
    # log says where it ran.
    qtbot.waitUntil(lambda: bool(reports), timeout=30_000)
    assert "building on a worker thread" in caplog.text
    assert reports == ["Added: Memoir"]
    assert s.window is not window and s.window.records.model.rowCount() == 187


def test_an_unreadable_source_in_a_background_load_is_reported_and_the_rest_opens(
    qtbot, session, tmp_path, monkeypatch, message_boxes
):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01PK\x03\x04" * 1000)
    monkeypatch.setattr(session_module, "QUICK_BYTES", 0)
    s = session([(binary, True)])
    assert s.open() is None
    qtbot.waitUntil(lambda: s.window is not None and bool(message_boxes), timeout=30_000)
    assert s.window is not None and s.window.records.model.rowCount() == 185
    assert "scan.txt" in message_boxes[0].text()


def test_the_next_start_opens_the_saved_catalog_instead_of_rebuilding(
    qtbot, tmp_path, settings, big_source
):
    store = UserSourceStore(tmp_path / "data" / "sources")
    cache = tmp_path / "cache"
    first = Session(store, [(big_source, True)], settings, cache=cache)
    first.open()
    qtbot.waitUntil(lambda: first.window is not None, timeout=60_000)
    built = first.window
    assert built is not None
    assert not built.catalog.from_cache and list(cache.iterdir())

    again = Session(store, [(big_source, True)], settings, cache=cache)
    assert again.open() is None  # still behind the progress window: opening takes a moment
    qtbot.waitUntil(lambda: again.window is not None, timeout=60_000)
    window = again.window
    assert window is not None
    assert window.catalog.from_cache
    assert window.records.model.rowCount() == built.records.model.rowCount() > 185
    # Opening the saved catalog is no news: the status line used to say for 15 s that
    # it "was not saved for a faster next start: Opened the saved catalog".
    assert "not saved" not in window.statusBar().currentMessage()
    for w in (built, window):
        w.close()
