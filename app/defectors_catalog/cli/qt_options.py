"""Qt's own command-line options (`-platform offscreen`, `-style fusion`, `-reverse`),
taken out before argparse sees them and handed to the QApplication.

argparse rejected them ("unrecognized arguments: -platform"), though every Qt program
accepts them. The names are those QGuiApplication and QApplication document.
"""

from __future__ import annotations

from collections.abc import Sequence

# Options that take a value: `-platform offscreen` or `-platform=offscreen`.
WITH_VALUE = frozenset(
    {
        "platform", "platformpluginpath", "platformtheme", "plugin", "qmljsdebugger",
        "qwindowgeometry", "qwindowicon", "qwindowtitle", "session", "style", "stylesheet",
        "display", "geometry", "title", "name", "visual", "ncols", "cmap", "fn", "font",
        "bg", "background", "fg", "foreground", "btn", "button", "im", "inputstyle",
    }
)  # fmt: skip
FLAGS = frozenset({"reverse", "widgetcount", "nograb", "dograb", "sync", "nocolor"})


def split_qt_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(the app's own arguments, Qt's options in order). One or two leading dashes."""
    own: list[str] = []
    qt: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, has_value, _ = arg.lstrip("-").partition("=")
        dashed = arg.startswith("-") and not arg.startswith("---") and arg != "-"
        if dashed and name in FLAGS and not has_value:
            qt.append(f"-{name}")
        elif dashed and name in WITH_VALUE:
            if has_value:
                qt += [f"-{name}", arg.partition("=")[2]]
            elif i + 1 < len(argv):
                qt += [f"-{name}", argv[i + 1]]
                i += 1
            else:
                own.append(arg)  # argparse says what is missing
        else:
            own.append(arg)
        i += 1
    return own, qt
