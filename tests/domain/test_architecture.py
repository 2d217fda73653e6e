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
