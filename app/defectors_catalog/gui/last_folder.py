"""The folder a file dialog opens in: the last one used for the same purpose.

Kept in the window's QSettings, one key a purpose (adding a source, exporting), so each
dialog opens where the person last went for that. The first time, or when the saved
folder is gone, it is the person's documents folder (QStandardPaths), then home.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings

logger = logging.getLogger(__name__)

ADD_SOURCE = "files/addSourceFolder"
EXPORT = "files/exportFolder"


def documents_folder() -> Path:
    """The person's documents folder, or home where the platform names none."""
    # Here, not at import: QStandardPaths' enums are made when it is first touched, and
    # the window's start needs no file dialog.
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(settings: QSettings, key: str) -> Path:
    """Where the dialog for `key` opens: the folder last used, if it is still there."""
    saved = settings.value(key)
    if isinstance(saved, str) and saved:
        folder = Path(saved)
        try:
            if folder.is_absolute() and folder.is_dir():
                return folder
        except OSError:  # a name too long, a folder we may not look into
            pass
        logger.info("the saved folder %s = %r is gone: opening the documents folder", key, saved)
    return documents_folder()


def remember(settings: QSettings, key: str, chosen: Path) -> None:
    """Keep the folder of `chosen` (a file the person picked) for the next dialog."""
    settings.setValue(key, str(chosen.parent))
