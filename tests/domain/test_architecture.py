"""The domain must import and work without Qt, and keep pandas off the start-up path."""

from __future__ import annotations

import subprocess
import sys

BLOCK_QT = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'PySide6', 'shiboken6'}:
            raise ImportError('Qt is blocked in the domain')
sys.meta_path.insert(0, Block())
import defectors_catalog.domain.catalog.build
import defectors_catalog.domain.output.csv_export
import defectors_catalog.domain.query.engine
import defectors_catalog.cli.export_command
import defectors_catalog.cli.report_command
from defectors_catalog.domain.catalog.build import load_catalog
catalog = load_catalog()
print(len(catalog.records), 'pandas' in sys.modules)
"""


def test_domain_runs_with_qt_blocked_and_without_pandas():
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["185", "False"]


IMPORT_REGISTRY = """
import sys
import defectors_catalog.domain.sources.layouts
import defectors_catalog.domain.sources.preview
heavy = ("pandas", "lxml", "mwparserfromhell", "python_calamine", "charset_normalizer")
print(sorted(m for m in heavy if m in sys.modules))
"""


def test_the_layout_registry_imports_no_reader_library_until_a_file_needs_it():
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_REGISTRY], capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
