"""About and References dialogs; all source text is shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME, __version__
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.model import CatalogRecord
from defectors_catalog.domain.output.cited_references import Reference, references_for
from defectors_catalog.gui.plain_text import plain_tooltip


def _plain(text: str) -> QLabel:
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
    """A source's reference list (the scrape keeps the article's bibliography and URLs):
    the ones `record`'s row cites first, then the rest, each with its words and its
    link apart. Holds the references as listed (`references`) and the link chosen."""

    def __init__(
        self,
        catalog: Catalog,
        source_id: str,
        parent: QWidget | None = None,
        record: CatalogRecord | None = None,
    ) -> None:
        super().__init__(parent)
        spec = catalog.source(source_id)
        listed = catalog.parses[source_id].references
        self.references = references_for(record, source_id, listed)
        cited = [r for r in self.references if r.cited]
        rest = [r for r in self.references if not r.cited]
        self.setWindowTitle(f"References \u2014 {spec.title}")
        layout = QVBoxLayout(self)
        if record is None:
            intro = f"{len(listed)} references as listed in {spec.path.name}."
        elif cited:
            intro = (
                f"{len(listed)} references as listed in {spec.path.name}. First the "
                f"{_count(len(cited), 'one')} that {record.name}\u2019s row cites or that "
                f"names {record.name}, then the rest."
            )
        else:
            intro = (
                f"{len(listed)} references as listed in {spec.path.name}. None of them is "
                f"cited by {record.name}\u2019s row or names {record.name}."
            )
        layout.addWidget(_plain(intro))

        self.tree = QTreeWidget()
        self.tree.setObjectName("referencesList")
        self.tree.setAccessibleName(f"References of {spec.title}")
        self.tree.setAccessibleDescription(
            "Number, words and link of each reference; Enter or Open link opens an http(s) "
            "link in the browser."
        )
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["No.", "Reference", "Link"])
        self.tree.setRootIsDecorated(bool(cited))
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        groups: list[tuple[str, list[Reference]]] = [("", rest)]
        if record is not None and cited:
            groups = [
                (f"Cited in {record.name}\u2019s row ({len(cited)})", cited),
                (f"The rest of the list ({len(rest)})", rest),
            ]
        for title, references in groups:
            parent_item = self.tree.invisibleRootItem()
            if title:
                parent_item = QTreeWidgetItem([title])
                parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = QFont(parent_item.font(0))
                font.setBold(True)
                parent_item.setFont(0, font)
                self.tree.addTopLevelItem(parent_item)
                parent_item.setFirstColumnSpanned(True)  # only once it is in the tree
            for reference in references:
                item = QTreeWidgetItem([str(reference.number), reference.text, reference.url])
                item.setData(0, Qt.ItemDataRole.UserRole, reference.url)
                item.setToolTip(1, plain_tooltip(reference.text) or "")
                item.setToolTip(2, plain_tooltip(reference.url) or "")
                item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight)
                parent_item.addChild(item)
        self.tree.expandAll()
        self.tree.header().setStretchLastSection(True)
        number_width = self.fontMetrics().horizontalAdvance("0000") + 16
        self.tree.setColumnWidth(0, number_width + (self.tree.indentation() if cited else 0))
        self.tree.setColumnWidth(1, 420)
        self.tree.setMinimumSize(760, 360)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(lambda item, _column: self.open_link(item))
        layout.addWidget(self.tree)

        self.open_button = QPushButton("&Open link")
        self.open_button.setAccessibleDescription("Open the chosen reference's link in the browser")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self.open_link(self.tree.currentItem()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first = self.tree.topLevelItem(0)
        chosen = first.child(0) if first is not None and first.childCount() else first
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self.tree.setFocus()

    def _current_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self.open_button.setEnabled(bool(safe_link(item)))

    def open_link(self, item: QTreeWidgetItem | None) -> bool:
        """Open the item's link if it is an http(s) URL; whether it was opened."""
        url = safe_link(item)
        if url is None:
            return False
        return bool(QDesktopServices.openUrl(url))


def safe_link(item: QTreeWidgetItem | None) -> QUrl | None:
    """The item's link as a URL the browser may open: http or https with a host only
    (a reference saying `file:///etc/passwd` or `javascript:` opens nothing)."""
    if item is None:
        return None
    text = item.data(0, Qt.ItemDataRole.UserRole)
    if not isinstance(text, str) or not text:
        return None
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in ("http", "https") or not url.host():
        return None
    return url


def _count(count: int, one: str) -> str:
    return one if count == 1 else f"{count}"
