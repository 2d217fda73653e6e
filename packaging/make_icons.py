"""Draws the app icon at every size the platforms ask for (run once; the PNGs are committed).

A border line crossed by an arrow: leaving one side for the other.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

SIZES = (16, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1f3b63"))
    painter.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
    border = QPen(QColor("#c0392b"), 4 * s)
    border.setDashPattern([2.0, 1.2])
    painter.setPen(border)
    painter.drawLine(QPointF(32 * s, 10 * s), QPointF(32 * s, 54 * s))
    arrow = QPainterPath()
    arrow.moveTo(12 * s, 36 * s)
    arrow.lineTo(40 * s, 36 * s)
    arrow.lineTo(40 * s, 28 * s)
    arrow.lineTo(54 * s, 40 * s)
    arrow.lineTo(40 * s, 52 * s)
    arrow.lineTo(40 * s, 44 * s)
    arrow.lineTo(12 * s, 44 * s)
    arrow.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#f4f1ea"))
    painter.drawPath(arrow)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (painting text-free images needs one)
    folder = Path(__file__).resolve().parent.parent / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(str(folder / f"defectors-catalog-{size}.png"))
    draw(256).save(str(folder / "defectors-catalog.ico"))
    print(f"wrote {len(SIZES)} PNGs and an ICO to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
