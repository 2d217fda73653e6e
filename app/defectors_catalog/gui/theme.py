"""View → Theme: follow the system, light, or dark; Fusion with palettes of its own.

The palettes are set explicitly rather than left to the platform: the same colours on
every desktop, and a dark theme even where the platform offers none (X11 without a
desktop's theme plug-in). Painted parts that carry colours of their own (badges,
highlights, the timeline, the warning banner) ask `is_dark` or use palette roles.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

logger = logging.getLogger(__name__)

SETTING = "view/theme"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @property
    def menu_text(self) -> str:
        return {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}[self.value]


def saved_theme(settings: QSettings) -> Theme:
    value = settings.value(SETTING, Theme.SYSTEM.value)
    try:
        return Theme(str(value))
    except ValueError:
        logger.warning("ignored the saved theme %r: not one of %s", value, [t.value for t in Theme])
        return Theme.SYSTEM


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: Theme) -> None:
    """Fusion, with the light or the dark palette (the system's choice for SYSTEM)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    dark = theme == Theme.DARK or (theme == Theme.SYSTEM and system_is_dark())
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())
    app.setProperty("darkTheme", dark)
    logger.info("theme %s (%s)", theme.value, "dark" if dark else "light")


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is light on dark here: painted colours pick their variant by it."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def light_palette() -> QPalette:
    return _palette(
        window="#efefef", window_text="#1b1b1b", base="#ffffff", alternate="#f4f5f7",
        text="#1b1b1b", button="#e8e8e8", highlight="#2f6fb3", highlighted_text="#ffffff",
        disabled="#8a8a8a", link="#1a5fb4", tooltip_base="#ffffdc", mid="#b8b8b8",
    )  # fmt: skip


def dark_palette() -> QPalette:
    return _palette(
        # Base lighter than the window: Fusion outlines check boxes and frames in the
        # window colour darkened, which vanished on a base darker than the window.
        window="#202124", window_text="#e6e6e6", base="#2e3034", alternate="#34363b",
        text="#e6e6e6", button="#3a3d41", highlight="#3d7fd1", highlighted_text="#ffffff",
        disabled="#8a8e94", link="#8ab4f8", tooltip_base="#3a3d41", mid="#55595f",
    )  # fmt: skip


def _palette(**colours: str) -> QPalette:
    c = {name: QColor(value) for name, value in colours.items()}
    p = QPalette()
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, role.Window, c["window"])
        p.setColor(group, role.WindowText, c["window_text"])
        p.setColor(group, role.Base, c["base"])
        p.setColor(group, role.AlternateBase, c["alternate"])
        p.setColor(group, role.Text, c["text"])
        p.setColor(group, role.Button, c["button"])
        p.setColor(group, role.ButtonText, c["text"])
        p.setColor(group, role.BrightText, QColor("#ff5555"))
        p.setColor(group, role.Highlight, c["highlight"])
        p.setColor(group, role.HighlightedText, c["highlighted_text"])
        p.setColor(group, role.Link, c["link"])
        p.setColor(group, role.LinkVisited, c["link"])
        p.setColor(group, role.ToolTipBase, c["tooltip_base"])
        p.setColor(group, role.ToolTipText, c["text"])
        p.setColor(group, role.PlaceholderText, c["disabled"])
        p.setColor(group, role.Mid, c["mid"])
        p.setColor(group, role.Light, c["button"].lighter(130))
        p.setColor(group, role.Midlight, c["button"].lighter(115))
        p.setColor(group, role.Dark, c["button"].darker(160))
        p.setColor(group, role.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        p.setColor(disabled, r, c["disabled"])
    for r in (role.Window, role.Base, role.AlternateBase, role.Button, role.Mid):
        p.setColor(disabled, r, p.color(QPalette.ColorGroup.Active, r))
    p.setColor(disabled, role.Highlight, c["mid"])
    return p
