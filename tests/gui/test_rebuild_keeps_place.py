"""A rebuild (a source added or removed, a decision) replaces the window; the person's
place survives it: the chosen record, the open cross-checking dock and its tab, the
filters, and the sidebar's scroll."""

from __future__ import annotations

from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.session import Session

from tests.gui.conftest import row_of


def test_a_rebuild_keeps_the_record_the_dock_and_the_filters(qtbot, tmp_path, settings):
    session = Session(UserSourceStore(tmp_path / "data" / "sources"), (), settings)
    session.open()
    window = session.window
    assert window is not None
    window.filters.models["country"].set_checked({"Hungary"})
    row = row_of(window, "Ferenc Puskás")
    window.records.select_position(int(window.records.model.positions[row]))
    window.open_cross_checking(2)
    assert window.cross_checking.dock.isVisible()

    window.request_rebuild()
    qtbot.waitUntil(lambda: session.window is not window, timeout=30_000)
    new = session.window
    assert new is not None
    qtbot.waitUntil(lambda: new.detail.record is not None)
    assert new.detail.record is not None and new.detail.record.name == "Ferenc Puskás"
    assert new.filters.models["country"].checked == {"Hungary"}
    assert new.cross_checking.dock.isVisible()
    assert new.cross_checking.current_tab() == 2
    qtbot.waitUntil(lambda: not session._retired)  # the old window released once this painted
    new.close()
