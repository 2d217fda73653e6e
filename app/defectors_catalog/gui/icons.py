"""The application icon, shipped in `resources/`."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from defectors_catalog import paths


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = paths.resources_dir() / "icons" / f"defectors-catalog-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
