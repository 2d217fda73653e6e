"""About and References dialogs; all source text is shown as plain text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME, __version__
from defectors_catalog.domain.catalog.build import Catalog


def _plain(text: str) -> QLabel:
    from PySide6.QtCore import Qt

    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    return label


class AboutDialog(QDialog):
    """Version, what the app is, and every source with its license and origin."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"{APP_NAME} {__version__}"))
        layout.addWidget(_plain(
            "Browse, cross-check and export the lists of notable defectors from the Soviet "
            "Union and the Eastern Bloc. Works offline; nothing is fetched."
        ))  # fmt: skip
        lines = []
        for spec in catalog.sources:
            lines.append(
                f"{spec.label} \u2014 {spec.title}\n"
                f"  reliability: {spec.reliability.value}; license: {spec.license}\n"
                f"  origin: {spec.origin}\n"
                f"  retrieved: {spec.retrieved or 'unknown'}; file: {spec.path.name}\n"
                f"  {spec.description}"
            )
        sources = QPlainTextEdit("\n\n".join(lines))
        sources.setReadOnly(True)
        sources.setObjectName("aboutSources")
        sources.setAccessibleName("Sources and licenses")
        sources.setMinimumSize(620, 260)
        layout.addWidget(_plain("Sources and their licenses:"))
        layout.addWidget(sources)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ReferencesDialog(QDialog):
    """A source's reference list (the scrape keeps the article's bibliography and URLs)."""

    def __init__(self, catalog: Catalog, source_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = catalog.source(source_id)
        references = catalog.parses[source_id].references
        self.setWindowTitle(f"References \u2014 {spec.title}")
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"{len(references)} references as listed in {spec.path.name}:"))
        text = QPlainTextEdit("\n".join(f"{n}. {r}" for n, r in enumerate(references, 1)))
        text.setReadOnly(True)
        text.setObjectName("referencesText")
        text.setMinimumSize(640, 360)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
