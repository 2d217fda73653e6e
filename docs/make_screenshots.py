"""Takes the README's screenshots of the real window (run under Xvfb or any X server).

    docs/make_screenshots.sh          (every set, each on its own Xvfb with openbox)
    python docs/make_screenshots.py [main|small|dark|2x|verdicts]   (one set, on $DISPLAY)

Each picture is the whole screen grabbed after the window has painted, so it shows
exactly what a person sees: `main` at 1600x1000, `small` on a 1024x700 screen, `dark`
with View → Theme → Dark, `2x` with QT_SCALE_FACTOR=2 on a 2400x1600 screen, `verdicts`
with a list being checked (verdicts and saved searches in a throw-away database).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.store import open_store
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.gui.icons import app_icon
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent


def select(window: MainWindow, name: str) -> None:
    position = next(i for i, r in enumerate(window.catalog.records) if r.name == name)
    row = window.records.model.row_of_position(position)
    assert row is not None, name
    window.records.view.selectRow(row)
    window.records.view.scrollTo(window.records.model.index(row, 1))


def full(window: MainWindow) -> None:
    select(window, "Valeri Tihonovitch Minakov")


def filtered(window: MainWindow) -> None:
    models = window.filters.models
    models["country"].set_checked({"Hungary"})
    window.filters.years.set_range(1950, 1959)
    window.search.setText("defected")
    select(window, "Ferenc Puskás")


def warned(window: MainWindow) -> None:
    window.filters.models["reliability"].set_checked({"only-unreliable"})
    select(window, "Kiều Mẫn Hoàng")


def timeline(window: MainWindow) -> None:
    window.cross_checking.open(0)
    window.filters.years.set_range(1950, 1959)
    window.resizeDocks([window.cross_checking.dock], [330], Qt.Orientation.Vertical)
    select(window, "Imre Lakatos")


def overview(window: MainWindow) -> None:
    window.cross_checking.open(1)
    window.resizeDocks([window.cross_checking.dock], [470], Qt.Orientation.Vertical)
    labels = [c.label for c in window.cross_checking.overview.overlap_model.counts]
    count = window.cross_checking.overview.overlap_model.counts[
        labels.index(next(text for text in labels if "reliable sources" in text))
    ]
    window.cross_checking.show_overlap(count)
    select(window, "Ferenc Puskás")


def destination(window: MainWindow) -> None:
    window.filters.models["destination"].set_checked({"Austria"})
    select(window, "Imre Lakatos")


def conflicts(window: MainWindow) -> None:
    window.cross_checking.open(2)
    window.resizeDocks([window.cross_checking.dock], [430], Qt.Orientation.Vertical)
    view = window.cross_checking.conflicts
    rows = view.conflicts.rowCount()
    names = [view.conflicts.index(r, 0).data() for r in range(rows)]
    view.conflict_view.setCurrentIndex(view.conflicts.index(names.index("Boris Bazhanov"), 0))
    select(window, "Boris Bazhanov")


# Three rows of the export as another copy writes them: one only in case and a reference
# marker (no conflict), one with its notes worded differently (marked, no conflict), one
# with another birthplace (a real conflict).
RETOLD = (
    "| Defector | Profession/ Prominence | Birthplace | Year | Notes |\n"
    "| George Balanchine | choreographer | Russia | 1924 | Defected during a tour of Germany"
    " to the Weimar Republic[11] |\n"
    "| Boris Bazhanov | Politburo Secretary | Ukraine, Russian Empire | 1928 | Defected to"
    " France via Iran; later wrote memoirs |\n"
    "| Georges Agabekov | OGPU | Armenia | 1930 | Defected in France |\n"
)


def verdicts(window: MainWindow) -> None:
    """A list being checked: verdicts on a few dancers, a saved search open, and the
    verdict editor on Rudolf Nureyev."""
    from defectors_catalog.domain.annotations.model import Change, Status
    from defectors_catalog.domain.annotations.views import SavedView
    from defectors_catalog.domain.query.engine import Query

    desk = window.desk
    assert desk is not None and window.saved_searches is not None
    for record_id, status, tags, note in (
        (
            "rudolf-nureyev-1961",
            Status.VERIFIED,
            ("Kirov ballet", "Paris 1961"),
            "Le Bourget airport, 16 June 1961: confirmed by both Wikipedia lists.\n"
            "Check the KGB file cited in the 2025 scrape.",
        ),
        ("mikhail-baryshnikov-1974", Status.VERIFIED, ("Kirov ballet",), ""),
        ("natalia-makarova-1970", Status.DISPUTED, ("Kirov ballet",), "Year differs by source?"),
    ):
        if record_id in desk.catalog.row_of:
            desk.change(record_id, Change(status=status, add_tags=tags, note=note))
    # Saved with the verdict columns beside the name: opening it shows them there.
    columns = ("sources", "name", "status", "tags", "profession", "year", "notes")
    ballet = Query(text="ballet", sort_column="year")
    desk.store.save_view(SavedView.of("Ballet dancers", ballet, columns))
    desk.store.save_view(
        SavedView.of("Hungary 1956", Query(text="hungary", year_from=1956, year_to=1956))
    )
    window.saved_searches.reload()
    window.saved_searches.open("Ballet dancers")
    window.saved_searches.select("Ballet dancers")
    select(window, "Rudolf Nureyev")


def small(window: MainWindow) -> None:
    filtered(window)


def dark(window: MainWindow) -> None:
    from defectors_catalog.gui.theme import Theme

    window.set_theme(Theme.DARK)
    window.filters.models["reliability"].set_checked({"only-unreliable"})
    select(window, "Kiều Mẫn Hoàng")


def doubled(window: MainWindow) -> None:
    filtered(window)


SETS: dict[str, dict[str, Callable[[MainWindow], None]]] = {
    "small": {"window-1024x700.png": small},
    "dark": {"window-dark.png": dark},
    "2x": {"window-2x.png": doubled},
    "verdicts": {"window-verdicts.png": verdicts},
}

SHOTS: dict[str, Callable[[MainWindow], None]] = {
    "window-full.png": full,
    "window-filtered.png": filtered,
    "window-warning.png": warned,
    "cross-timeline.png": timeline,
    "cross-overview.png": overview,
    "cross-destination.png": destination,
    "cross-conflicts.png": conflicts,
}


def main() -> int:
    which = sys.argv[1] if len(sys.argv) > 1 else "main"
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # one window per shot, closed in turn
    catalog = load_catalog()
    pending = list((SETS.get(which) or SHOTS).items())
    scratch = tempfile.mkdtemp()
    retold = Path(scratch) / "retold.md"
    retold.write_text(RETOLD, encoding="utf-8")
    with_retold = load_catalog(extra=[(retold, True)])
    # Keep every window alive until the end: letting Python collect a closed window
    # while the next one is being built has crashed PySide6 here.
    windows: list[MainWindow] = []

    def next_shot() -> None:
        if not pending:
            if which == "main":
                loading_shot(app, Path(scratch), windows)
            else:
                app.quit()
            return
        name, prepare = pending.pop(0)
        settings = QSettings(str(Path(scratch) / f"{name}.ini"), QSettings.Format.IniFormat)
        shown = with_retold if name == "cross-conflicts.png" else catalog
        # Verdicts in a throw-away database, never the person's own.
        desk = (
            Desk(shown, open_store(Path(scratch) / "annotations.sqlite3"))
            if which == "verdicts"
            else None
        )
        window = MainWindow(shown, settings, desk=desk)
        windows.append(window)
        window.move(0, 0)
        window.show()  # at the size a first start picks for this screen
        prepare(window)

        def grab() -> None:
            screen = window.screen()
            screen.grabWindow(0).save(str(HERE / name))
            print(f"wrote docs/{name}")
            window.close()
            QTimer.singleShot(100, next_shot)

        QTimer.singleShot(1200, grab)

    QTimer.singleShot(0, next_shot)
    app.exec()
    return 0


def loading_shot(app: QApplication, scratch: Path, windows: list[MainWindow]) -> None:
    """A big source being added: the window stays up, with progress and Cancel below."""
    from defectors_catalog.domain.reference.professions import load_professions
    from defectors_catalog.domain.sources.user_sources import UserSourceStore
    from defectors_catalog.gui.session import Session

    sys.path.insert(0, str(HERE.parent))  # benchmarks/ sits beside docs/, not installed
    from benchmarks.synthetic import synthetic_columns, write_source

    big = scratch / "archive-index.md"
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    write_source(synthetic_columns(100_000, classifier), "state-archive", big)
    settings = QSettings(str(scratch / "loading.ini"), QSettings.Format.IniFormat)
    session = Session(
        UserSourceStore(scratch / "sources"), (), settings,
        annotations=open_store(scratch / "annotations.sqlite3"),
    )  # fmt: skip
    window = session.open()
    assert window is not None
    windows.append(window)
    window.move(0, 0)
    window.resize(1600, 1000)
    window.search.setText("hungary")
    session.extra = ((big, True),)  # as if added: now a long rebuild in the background
    session.open()

    def grab() -> None:
        window.screen().grabWindow(0).save(str(HERE / "window-loading.png"))
        print("wrote docs/window-loading.png")
        if session.loading is not None:
            session.loading.cancel()
        app.quit()

    QTimer.singleShot(2500, grab)


if __name__ == "__main__":
    sys.exit(main())
