"""Rebuilds free the catalog they replace, and a background build reads a snapshot."""

from __future__ import annotations

import gc
import threading
import weakref

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.merge.decisions import Decision
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui import session as session_module
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.session import BuildInputs, Session
from PySide6.QtCore import QCoreApplication, QEvent

REBUILDS = 20


def live_catalogs() -> int:
    gc.collect()
    return sum(isinstance(thing, Catalog) for thing in gc.get_objects())


def test_twenty_rebuilds_keep_one_catalog_alive(qtbot, tmp_path, settings):
    # With a cache folder each rebuild opens the saved catalog: a new Catalog each
    # time, as a build makes, in a fraction of the time.
    store = UserSourceStore(tmp_path / "data" / "sources")
    session = Session(store, (), settings, cache=tmp_path / "cache")
    window = session.open()
    assert window is not None
    # Windows earlier tests left for deletion go first, so that only this test's count.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    alive = live_catalogs()  # the window's, and any a fixture holds
    replaced: list[weakref.ref[Catalog]] = []
    windows: list[weakref.ref[MainWindow]] = []
    for _ in range(REBUILDS):
        replaced.append(weakref.ref(window.catalog))
        windows.append(weakref.ref(window))
        window.request_rebuild()  # what a decision or a source edit asks for
        assert session.window is not None and session.window is not window
        window = session.window
        qtbot.waitUntil(lambda: not session._retired)  # released once it painted
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref for ref in replaced if ref() is not None] == []
    assert [ref for ref in windows if ref() is not None] == []
    assert live_catalogs() == alive
    window.close()


def test_a_background_build_reads_a_snapshot_not_the_live_decisions(
    qtbot, tmp_path, settings, memoir, monkeypatch
):
    monkeypatch.setattr(session_module, "QUICK_BYTES", 0)  # the memoir counts as big
    store = UserSourceStore(tmp_path / "data" / "sources")
    session = Session(store, [(memoir, False)], settings)
    reading, go_on = threading.Event(), threading.Event()
    seen: list[dict[str, str]] = []
    build = session_module.build

    def held_build(inputs: BuildInputs, progress: Progress):
        reading.set()
        go_on.wait(10)
        seen.append(dict(inputs.decisions))
        return build(inputs, progress)

    monkeypatch.setattr(session_module, "build", held_build)
    assert session.open() is None  # building on the worker thread
    assert reading.wait(10)
    # A decision made on the GUI thread while the worker builds does not reach it.
    session.decisions.decisions["a|b"] = Decision.SAME
    go_on.set()
    qtbot.waitUntil(lambda: session.window is not None, timeout=30_000)
    assert seen == [{}]
    snapshot = session.snapshot()
    assert dict(snapshot.decisions) == {"a|b": "same-person"}
    session.decisions.decisions.clear()
    assert dict(snapshot.decisions) == {"a|b": "same-person"}  # a copy, not a view
    assert session.window is not None
    session.window.close()
