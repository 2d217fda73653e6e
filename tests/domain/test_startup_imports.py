"""Opening a saved catalog imports nothing that only building one needs.

The window starts from the cache folder: the parsers, the merge (rapidfuzz), the TOML
reader and pandas would each add to every start for nothing. Each case runs in a fresh
interpreter, since this test process has imported all of them long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

# Built with the cache: the catalog a first start saves.
BUILD = """
import sys
from pathlib import Path
from defectors_catalog.domain.catalog.build import load_catalog
catalog = load_catalog(cache=Path(sys.argv[1]))
print(len(catalog.records), catalog.from_cache)
"""

# A later start: open the saved catalog and run the first query, as the window does.
OPEN = """
import json, sys
from pathlib import Path
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.query.engine import Query
catalog = load_catalog(cache=Path(sys.argv[1]))
result = catalog.engine.run(Query())
print(json.dumps({"records": len(result), "from_cache": catalog.from_cache,
                  "modules": sorted(sys.modules)}))
"""

NOT_ON_START = (
    "babel",
    "pycountry",
    "rapidfuzz",
    "tomllib",
    "pandas",
    "hashlib",
    # The readers' libraries: only when such a file is read.
    "python_calamine",
    "lxml",
    "mwparserfromhell",
    "charset_normalizer",
    "defectors_catalog.domain.merge.merging",
    "defectors_catalog.domain.sources.layouts",
    "defectors_catalog.domain.sources.manifest",
    "defectors_catalog.domain.reference.destinations",
    "defectors_catalog.domain.output.csv_export",
)


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    cache = tmp_path_factory.mktemp("cache")
    assert run(BUILD, str(cache)).split() == ["185", "False"]
    result: dict[str, object] = json.loads(run(OPEN, str(cache)))
    return result


def test_the_second_start_opens_the_saved_catalog(opened):
    assert opened["from_cache"] is True
    assert opened["records"] == 185


@pytest.mark.parametrize("module", NOT_ON_START)
def test_opening_the_saved_catalog_does_not_import(opened, module):
    modules = opened["modules"]
    assert isinstance(modules, list)
    loaded = [m for m in modules if m == module or m.startswith(f"{module}.")]
    assert loaded == []


# Building the catalog from the seeds (a first start, or the command line).
BUILD_MODULES = """
import json, sys
from defectors_catalog.domain.catalog.build import load_catalog
catalog = load_catalog()
print(json.dumps({"records": len(catalog.records), "modules": sorted(sys.modules)}))
"""


def test_loading_the_seeds_reads_the_compiled_names_not_babel():
    """The names in every language come from the compiled twin: Babel and pycountry are
    only for making it."""
    built = json.loads(run(BUILD_MODULES))
    assert built["records"] == 185
    for module in ("babel", "pycountry", "defectors_catalog.domain.reference.place_names"):
        assert [m for m in built["modules"] if m == module or m.startswith(f"{module}.")] == []


# The window's own start, as `python -m defectors_catalog` runs it: which modules are
# loaded when its first frame is painted (the rest of the window follows after it).
AT_FIRST_PAINT = """
import json, sys
from PySide6.QtCore import QEvent
from defectors_catalog.cli import main
from defectors_catalog.gui import smoke

seen = {}
painted = smoke._FirstPaint.eventFilter

def at_paint(self, watched, event):
    if self.painted is None and event.type() == QEvent.Type.Paint:
        seen["modules"] = sorted(sys.modules)
    return painted(self, watched, event)

smoke._FirstPaint.eventFilter = at_paint
code = main(["--smoke-test"])
print(json.dumps({"code": code, "modules": seen.get("modules", []), "after": sorted(sys.modules)}))
"""

# What opening the saved catalog does without, but csv_export (the command line's
# grammar names the export formats, and the table's Copy quotes as the export does) and
# the manifest's reader (the person's added sources are listed with it, to know whether
# the catalog is small enough to open at once); and what waits for the first paint.
ALSO_IN_THE_WINDOW = {
    "defectors_catalog.domain.output.csv_export",
    "defectors_catalog.domain.sources.manifest",
}
NOT_BEFORE_THE_FIRST_PAINT = (
    *(module for module in NOT_ON_START if module not in ALSO_IN_THE_WINDOW),
    "sqlite3",
    "defectors_catalog.domain.annotations.store",
    "defectors_catalog.domain.annotations.views",
    "defectors_catalog.domain.annotations.overlay",
    "defectors_catalog.gui.saved_searches",
    "defectors_catalog.gui.search_help",
    "defectors_catalog.gui.dialogs",
    "defectors_catalog.gui.conflicts_view",
    "defectors_catalog.gui.add_source_dialog",
)


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import os

    cache = tmp_path_factory.mktemp("window-cache")
    env = dict(os.environ, DEFECTORS_CATALOG_CACHE=str(cache), QT_QPA_PLATFORM="offscreen")
    result: dict[str, Any] = {}
    for _ in range(2):  # the first start saves the catalog, the second opens it
        done = subprocess.run(
            [sys.executable, "-c", AT_FIRST_PAINT],
            capture_output=True, text=True, timeout=120, check=False, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.splitlines()[-1])
        assert result["code"] == 0, done.stdout
    return result


@pytest.mark.parametrize("module", NOT_BEFORE_THE_FIRST_PAINT)
def test_the_window_paints_before_importing(first_paint, module):
    loaded = [m for m in first_paint["modules"] if m == module or m.startswith(f"{module}.")]
    assert first_paint["modules"], "the window never painted"
    assert loaded == []


def test_what_waited_for_the_first_paint_is_loaded_after_it(first_paint):
    """The verdicts and saved searches do come: once the window has painted."""
    for module in (
        "sqlite3",
        "defectors_catalog.domain.annotations.overlay",
        "defectors_catalog.gui.saved_searches",
    ):
        assert module in first_paint["after"]
