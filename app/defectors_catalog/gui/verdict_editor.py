"""The "Your verdict" section of the detail panel: status, tags and note of one record.

Edits are saved as the person makes them: a status at once, tags and the note 600 ms
after typing stops, and at once when the focus leaves them or another record is chosen,
so nothing typed is lost. Only the parts the person changed are written (`Change`), on
top of what the database holds at that moment: a tag another window added meanwhile
stays. A database that refuses writes disables the editor and says why, in one line.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from defectors_catalog.domain.annotations.model import (
    Annotation,
    AnnotationError,
    Change,
    Status,
    clean_note,
    clean_tag,
    tag_key,
)
from defectors_catalog.domain.facets import FACET
from defectors_catalog.gui.plain_text import plain_label

if TYPE_CHECKING:
    from defectors_catalog.domain.annotations.overlay import Desk

logger = logging.getLogger(__name__)

SAVE_AFTER_MS = 600  # a pause in typing this long saves the tags or the note
STATUS_LABELS = dict(FACET["status"].fixed_values)
PARTS = ("status", "tags", "note")


def split_tags(text: str) -> list[str]:
    """The tags typed in the box, comma-separated, as typed (empty pieces dropped)."""
    return [piece.strip() for piece in text.split(",") if piece.strip()]


def local_time(changed: str) -> str:
    """A stored UTC time as the person's local time, to the minute; the text as it is
    when it is not a time (the file is untrusted)."""
    try:
        moment = datetime.fromisoformat(changed)
    except ValueError:
        return changed
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class TagsEdit(QLineEdit):
    """Comma-separated tags, completing the one being typed from the tags in use."""

    def __init__(self) -> None:
        super().__init__()
        self.tag_list = QStringListModel(self)
        self.completer_ = QCompleter(self.tag_list, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self._complete_with)
        self.textEdited.connect(self._offer)

    def set_known(self, tags: list[str]) -> None:
        self.tag_list.setStringList(sorted(tags, key=tag_key))

    def _offer(self, text: str) -> None:
        typed = text[: self.cursorPosition()].rsplit(",", 1)[-1].lstrip()
        popup = self.completer_.popup()
        self.completer_.setCompletionPrefix(typed)
        if typed and self.completer_.completionCount():
            self.completer_.complete()
        elif popup is not None:
            popup.hide()

    def _complete_with(self, tag: str) -> None:
        text = self.text()
        cursor = self.cursorPosition()
        head, _, _ = text[:cursor].rpartition(",")
        tail = text[cursor:]
        before = f"{head}, " if head else ""
        self.setText(f"{before}{tag}{tail}")
        self.setCursorPosition(len(before) + len(tag))
        self.textEdited.emit(self.text())


class VerdictEditor(QGroupBox):
    """The verdict on the record shown (`record_id`), as loaded (`annotation`), the parts
    the person changed and not yet saved (`dirty`), and the desk that saves them.
    `saved(record_id)` after each save, for the window to run its query again."""

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Your verdict", parent)
        self.setObjectName("verdictEditor")
        self.setAccessibleName("Your verdict")
        self.desk: Desk | None = None
        self.record_id: str | None = None
        self.annotation: Annotation | None = None
        self.dirty: set[str] = set()
        self._loading = False

        self.status = QComboBox()
        self.status.setObjectName("verdictStatus")
        self.status.setAccessibleName("Your status")
        self.status.setAccessibleDescription("Unchecked, verified, disputed or rejected")
        for status in Status:
            self.status.addItem(STATUS_LABELS.get(status.value, status.value), status.value)
        self.status.activated.connect(self._status_chosen)

        self.tags = TagsEdit()
        self.tags.setObjectName("verdictTags")
        self.tags.setAccessibleName("Your tags")
        self.tags.setAccessibleDescription("Tags separated by commas")
        self.tags.setPlaceholderText("Tags, separated by commas")
        self.tags.textEdited.connect(lambda: self._edited("tags"))
        self.tags.editingFinished.connect(self.flush)

        self.note = QPlainTextEdit()
        self.note.setObjectName("verdictNote")
        self.note.setAccessibleName("Your note")
        self.note.setAccessibleDescription("Plain text; saved as you type")
        self.note.setPlaceholderText("Your note on this record (plain text)")
        self.note.setTabChangesFocus(True)  # Tab leaves the note, as in every other field
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 4)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 9)
        self.note.textChanged.connect(lambda: self._edited("note"))
        self.note.installEventFilter(self)

        self.changed = plain_label(wrap=True)
        self.changed.setObjectName("verdictChanged")
        self.changed.setAccessibleName("Last changed")
        self.changed.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.conflict = plain_label(wrap=True, selectable=True)
        self.conflict.setObjectName("verdictConflict")
        self.conflict.setAccessibleName("Verdicts that differ")
        self.conflict.setFrameShape(QLabel.Shape.StyledPanel)
        self.conflict.setMargin(4)
        self.merged = plain_label(wrap=True, selectable=True)
        self.merged.setObjectName("verdictMerged")
        self.merged.setAccessibleName("Verdicts of the merged records")
        self.merged.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.message = plain_label(wrap=True, selectable=True)
        self.message.setObjectName("verdictMessage")
        self.message.setAccessibleName("Why your verdict is not saved")

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_AFTER_MS)
        self.timer.timeout.connect(self.flush)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.message)
        form.addRow(self.conflict)
        form.addRow("&Status:", self.status)
        form.addRow("T&ags:", self.tags)
        form.addRow("N&ote:", self.note)
        form.addRow(self.changed)
        form.addRow(self.merged)
        self.setTabOrder(self.status, self.tags)
        self.setTabOrder(self.tags, self.note)
        self.show_record(None)

    # -- the panel's API -----------------------------------------------------------------

    def set_desk(self, desk: Desk | None) -> None:
        """The verdicts of a (re)built catalog; the record shown is loaded again."""
        self.flush()
        self.desk = desk
        self.show_record(self.record_id)

    def show_record(self, record_id: str | None) -> None:
        """Save what is pending on the record shown, then show `record_id`'s verdict."""
        self.flush()
        self.dirty.clear()
        self.record_id = record_id
        self.annotation = None
        if self.desk is not None and record_id is not None:
            try:
                self.annotation = self.desk.annotations_for(record_id)
            except AnnotationError as exc:  # a record this catalog lacks
                logger.warning("no verdict to show: %s", exc)
        self._show(self.annotation, keep=set())

    def reload(self) -> None:
        """The database changed under us (another window): show what it holds now, but
        keep every part the person is changing (the note being typed stays as typed)."""
        if self.desk is None or self.record_id is None:
            return
        try:
            self.annotation = self.desk.annotations_for(self.record_id)
        except AnnotationError:
            self.annotation = None
        self._show(self.annotation, keep=set(self.dirty))

    def flush(self) -> None:
        """Save the parts changed and not yet saved, now. A part that cannot be saved
        (a tag holding `;`) stays in its box, unsaved, with one line saying why; the
        other parts are saved."""
        self.timer.stop()
        if not self.dirty or self.desk is None or self.record_id is None:
            return
        if self.annotation is None or self.desk.store.read_only:
            return
        change, refused = self._change()
        if change.nothing:
            self.dirty = set(refused)
            self._say(" ".join(refused.values()))
            return
        record_id = self.record_id
        try:
            self.annotation = self.desk.change(record_id, change)
        except AnnotationError as exc:
            # Kept in the widgets and marked unsaved: the next pause tries again.
            logger.warning("a verdict was not saved: %s", exc)
            self._say(_sentence(str(exc)))
            return
        self.dirty = set(refused)
        self._say(" ".join(refused.values()))
        self._show_details(self.annotation)
        self.tags.set_known(self._known_tags())
        self.saved.emit(record_id)

    # -- inside --------------------------------------------------------------------------

    def _change(self) -> tuple[Change, dict[str, str]]:
        """What the person changed, against the verdict as loaded, and the parts that
        cannot be saved as they stand (part -> why, one sentence each)."""
        assert self.annotation is not None
        loaded = self.annotation
        refused: dict[str, str] = {}
        status = None
        if "status" in self.dirty:
            chosen = Status(self.status.currentData())
            status = chosen if chosen is not loaded.status else None
        add: list[str] = []
        remove: list[str] = []
        if "tags" in self.dirty:
            try:
                typed = [clean_tag(tag) for tag in split_tags(self.tags.text())]
            except AnnotationError as exc:
                refused["tags"] = f"Tags not saved: {exc}."
            else:
                have = {tag_key(tag) for tag in loaded.tags}
                wanted = {tag_key(tag) for tag in typed}
                add = [tag for tag in typed if tag_key(tag) not in have]
                remove = [tag for tag in loaded.tags if tag_key(tag) not in wanted]
        note = None
        if "note" in self.dirty:
            try:
                text = clean_note(self.note.toPlainText())
            except AnnotationError as exc:
                refused["note"] = f"Note not saved: {exc}."
            else:
                note = text if text != loaded.note else None
        change = Change(status=status, add_tags=tuple(add), remove_tags=tuple(remove), note=note)
        return change, refused

    def _status_chosen(self) -> None:
        self._edited("status")
        self.flush()  # a choice, not typing: saved at once

    def _edited(self, part: str) -> None:
        if self._loading:
            return
        self.dirty.add(part)
        if part != "status":
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def _show(self, annotation: Annotation | None, keep: set[str]) -> None:
        self._loading = True
        try:
            shown = annotation or Annotation(self.record_id or "")
            if "status" not in keep:
                self.status.setCurrentIndex(max(self.status.findData(shown.status.value), 0))
            if "tags" not in keep:
                self.tags.setText(", ".join(shown.tags))
            if "note" not in keep and self.note.toPlainText() != shown.note:
                self.note.setPlainText(shown.note)
        finally:
            self._loading = False
        self.tags.set_known(self._known_tags())
        self._show_details(annotation)
        store = self.desk.store if self.desk is not None else None
        usable = annotation is not None and store is not None and not store.read_only
        for widget in (self.status, self.tags, self.note):
            widget.setEnabled(usable)
        if store is not None and store.read_only:
            self._say(_sentence(store.problem))
        else:
            self._say("")

    def _show_details(self, annotation: Annotation | None) -> None:
        if annotation is None or not annotation.changed:
            self.changed.setText("Not checked yet")
        else:
            self.changed.setText(f"Last changed {local_time(annotation.changed)}")
        conflicts = annotation.conflicts if annotation is not None else ()
        self.conflict.setText(
            "\u26a0 The merged records' verdicts differ: "
            + "; ".join(conflicts)
            + ". A status chosen here is kept for all of them."
            if conflicts
            else ""
        )
        self.conflict.setVisible(bool(conflicts))
        merged = annotation.merged_from if annotation is not None else ()
        others = [i for i in merged if i != annotation.record_id] if annotation else []
        self.merged.setText(f"Includes the verdicts on {', '.join(others)}" if others else "")
        self.merged.setVisible(bool(others))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _known_tags(self) -> list[str]:
        if self.desk is None:
            return []
        return list(self.desk.catalog.engine.annotations.tags.labels)


def _sentence(text: str) -> str:
    """A message from the domain ("your verdicts in … are read-only: …") as a sentence."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
