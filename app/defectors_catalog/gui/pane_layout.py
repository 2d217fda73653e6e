"""Where the panes sit: filters | (table over or beside details), fitted to the screen.

The table takes the stretch. The filters and the details shrink to a minimum and can
be collapsed (View menu, shortcuts, or dragging the splitter handle to the edge) and
restored. Below `NARROW_BELOW` px of width the details move under the table instead
of squeezing it: at 1024 px three columns side by side left the table about 290 px.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

# Below this width the details go under the table: beside it, with the sidebar, they
# leave the table under 600 px, too little for name, profession, birthplace and year
# with the notes (measured at 1104 px, a 2400 px screen at 2x).
NARROW_BELOW = 1200
DEFAULT_SIZE = QSize(1500, 900)
# Share of the screen a first window takes at most, so that it never opens larger
# than the screen (at 2x on a 2400x1600 screen it used to open 3000x1800).
SCREEN_SHARE = 0.92
FILTERS_WIDTH = (200, 300)  # the sidebar's default width: min, max
DETAILS_WIDTH = (260, 380)
MIN_TABLE = QSize(320, 160)


class PaneLayout(QObject):
    """Holds the outer splitter (filters | work) and the inner one (table | details),
    which turns vertical when the window is narrow; each pane can be collapsed.

    Splitter states are kept apart for the wide and the narrow arrangement, so going
    from one to the other and back restores what the person set in each.
    """

    # A pane was shown or hidden, by a menu, a shortcut or the splitter handle.
    paneToggled = Signal(str, bool)  # "filters" | "details", visible

    def __init__(self, filters: QWidget, table: QWidget, details: QWidget) -> None:
        super().__init__(table)
        self.filters, self.table, self.details = filters, table, details
        self.inner = QSplitter(Qt.Orientation.Horizontal)
        self.inner.setObjectName("tableAndDetails")
        self.inner.addWidget(table)
        self.inner.addWidget(details)
        self.outer = QSplitter(Qt.Orientation.Horizontal)
        self.outer.setObjectName("filtersAndWork")
        self.outer.addWidget(filters)
        self.outer.addWidget(self.inner)
        for splitter in (self.outer, self.inner):
            splitter.setStretchFactor(0 if splitter is self.inner else 1, 1)
            splitter.splitterMoved.connect(self._moved)
        # The table never collapses; the side panes do, by a drag to the edge.
        self.outer.setCollapsible(0, True)
        self.outer.setCollapsible(1, False)
        self.inner.setCollapsible(0, False)
        self.inner.setCollapsible(1, True)
        table.setMinimumSize(MIN_TABLE)
        filters.setMinimumWidth(FILTERS_WIDTH[0] - 40)
        details.setMinimumSize(QSize(200, 120))
        self._saved: dict[str, QByteArray] = {}

    @property
    def narrow(self) -> bool:
        return self.inner.orientation() == Qt.Orientation.Vertical

    def fit_width(self, width: int) -> None:
        """Details beside the table from NARROW_BELOW px on, under it below."""
        narrow = width < NARROW_BELOW
        if narrow == self.narrow:
            return
        self._saved[self._inner_key()] = self.inner.saveState()
        self.inner.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)
        saved = self._saved.get(self._inner_key())
        if saved is None or not self.inner.restoreState(saved):
            self._default_inner(width)

    def apply_defaults(self, size: QSize) -> None:
        self.filters.show()
        self.details.show()
        width = size.width()
        self.inner.setOrientation(
            Qt.Orientation.Vertical if width < NARROW_BELOW else Qt.Orientation.Horizontal
        )
        filters = _clamp(round(width * 0.18), *FILTERS_WIDTH)
        self.outer.setSizes([filters, width - filters])
        self._default_inner(width - filters, size.height())
        self._saved.clear()

    def _default_inner(self, width: int, height: int = 0) -> None:
        if self.narrow:
            height = height or max(self.inner.height(), 400)
            self.inner.setSizes([round(height * 0.6), round(height * 0.4)])
        else:
            details = _clamp(round(width * 0.25), *DETAILS_WIDTH)
            self.inner.setSizes([width - details, details])

    # -- collapsing ----------------------------------------------------------------------

    def pane(self, name: str) -> QWidget:
        return self.filters if name == "filters" else self.details

    def is_shown(self, name: str) -> bool:
        splitter, index = self._place(name)
        return not self.pane(name).isHidden() and splitter.sizes()[index] > 0

    def set_shown(self, name: str, shown: bool) -> None:
        """Show or hide a side pane; shown again, it gets a sensible width back."""
        pane = self.pane(name)
        splitter, index = self._place(name)
        if shown == self.is_shown(name):
            return
        pane.setVisible(shown)
        if shown:
            sizes = splitter.sizes()
            total = sum(sizes)
            want = (
                _clamp(round(total * 0.25), *FILTERS_WIDTH)
                if name == "filters"
                else _clamp(round(total * (0.4 if self.narrow else 0.3)), *DETAILS_WIDTH)
            )
            sizes[index] = want
            sizes[1 - index] = max(total - want, 1)
            splitter.setSizes(sizes)
        self.paneToggled.emit(name, shown)

    def _place(self, name: str) -> tuple[QSplitter, int]:
        return (self.outer, 0) if name == "filters" else (self.inner, 1)

    def _moved(self, _pos: int, _index: int) -> None:
        # A pane dragged shut is hidden, so that Tab no longer stops in it.
        for name in ("filters", "details"):
            splitter, index = self._place(name)
            if splitter.sizes()[index] == 0 and not self.pane(name).isHidden():
                self.pane(name).hide()
                self.paneToggled.emit(name, False)

    # -- settings ------------------------------------------------------------------------

    def _inner_key(self) -> str:
        return "window/inner-narrow" if self.narrow else "window/inner-wide"

    def save(self, settings: QSettings) -> None:
        settings.setValue("window/outer", self.outer.saveState())
        settings.setValue(self._inner_key(), self.inner.saveState())
        for key, state in self._saved.items():
            if key != self._inner_key():
                settings.setValue(key, state)
        settings.setValue("window/filters-shown", not self.filters.isHidden())
        settings.setValue("window/details-shown", not self.details.isHidden())

    def restore(self, settings: QSettings) -> None:
        outer = settings.value("window/outer")
        if isinstance(outer, QByteArray):
            self.outer.restoreState(outer)
        for key in ("window/inner-wide", "window/inner-narrow"):
            state = settings.value(key)
            if isinstance(state, QByteArray):
                self._saved[key] = state
        state = self._saved.get(self._inner_key())
        if state is not None:
            self.inner.restoreState(state)
        for name in ("filters", "details"):
            shown = settings.value(f"window/{name}-shown")
            if shown in (False, "false"):
                self.pane(name).hide()

    def restore_sizes(self, settings: QSettings) -> None:
        """Sizes again once the window has its final size (the first layout pass rescales
        sizes restored before it)."""
        outer = settings.value("window/outer")
        if isinstance(outer, QByteArray):
            self.outer.restoreState(outer)
        state = self._saved.get(self._inner_key())
        if state is not None:
            self.inner.restoreState(state)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def available_rect(widget: QWidget) -> QRect:
    """The part of the widget's screen (or the primary one) windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1600, 1000)


def default_size(available: QRect) -> QSize:
    """DEFAULT_SIZE, or less: never more than SCREEN_SHARE of the available screen."""
    return QSize(
        min(DEFAULT_SIZE.width(), round(available.width() * SCREEN_SHARE)),
        min(DEFAULT_SIZE.height(), round(available.height() * SCREEN_SHARE)),
    )


def clamp_to_screen(window: QWidget) -> None:
    """Shrink and move a window (restored or new) so that all of it is on its screen,
    frame included: a geometry saved on a bigger screen, or at another scale, would
    otherwise open with the status bar and the details off-screen."""
    available = available_rect(window)
    frame = window.frameGeometry()
    # Before the window is shown the frame is unknown: allow for a typical title bar.
    extra_w = max(frame.width() - window.width(), 0)
    extra_h = max(frame.height() - window.height(), 0) or 30
    width = min(window.width(), available.width() - extra_w)
    height = min(window.height(), available.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 200), max(height, 150))
    frame = window.frameGeometry()
    x = min(max(frame.x(), available.left()), available.right() + 1 - frame.width())
    y = min(max(frame.y(), available.top()), available.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, available.left()), max(y, available.top()))
