"""packaging/trim_icu.py: the bundle's smaller ICU data behaves as the wheel's own.

Trims the ICU data library of the PySide6 wheel this venv has (as the spec does when it
freezes the app), then runs icu_probe.py with the original and with the trimmed copy in
its place: sort orders in fourteen languages, case mapping, time zones and the UTF
converters must be identical. What is expected to change is asserted too: legacy code
pages are gone, and time-zone names come in English only.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("icu_probe.py")
MIB = 1024 * 1024


def load_trim_icu() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trim_icu", ROOT / "packaging" / "trim_icu.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["trim_icu"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def wheel_icu_data() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not found:
        pytest.skip("the PySide6 wheel links its own ICU on Linux only")
    return found[0]


@pytest.fixture(scope="module")
def trim_icu() -> ModuleType:
    return load_trim_icu()


@pytest.fixture(scope="module")
def trimmed_library(trim_icu: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the build keeps the whole ICU data")
    source = wheel_icu_data()
    target = tmp_path_factory.mktemp("icu") / source.name
    trim_icu.trim(source, target)
    return target


def run_probe(preload: Path | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["TZ"] = "UTC"
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    result = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_the_package_is_read_and_written_back_unchanged(trim_icu: ModuleType) -> None:
    package = trim_icu.read_package(wheel_icu_data())
    again = trim_icu.read_package_bytes(trim_icu.package_bytes(package), package.symbol)
    assert [i.name for i in again.items] == [i.name for i in package.items]
    assert [i.data for i in again.items] == [i.data for i in package.items]
    assert any(i.relative == "coll/root.res" for i in package.items)


def test_the_trimmed_library_is_small_and_keeps_collation(
    trim_icu: ModuleType, trimmed_library: Path
) -> None:
    assert trimmed_library.stat().st_size < 8 * MIB
    kept = {item.relative for item in trim_icu.read_package(trimmed_library).items}
    original = {item.relative for item in trim_icu.read_package(wheel_icu_data()).items}
    assert {name for name in original if name.startswith("coll/")} <= kept
    for name in ("zoneinfo64.res", "metaZones.res", "cnvalias.icu", "root.res"):
        assert name in kept, name
    assert not any(name.startswith(("brkitr/", "lang/", "curr/")) for name in kept)


def test_qt_sorts_and_maps_case_as_with_the_whole_data(trimmed_library: Path) -> None:
    whole = run_probe(None)
    trimmed = run_probe(trimmed_library)
    decoders_whole = whole.pop("decoders")
    decoders_trimmed = trimmed.pop("decoders")
    assert trimmed == whole
    assert isinstance(decoders_whole, dict) and isinstance(decoders_trimmed, dict)
    for name in ("UTF-8", "UTF-16", "ISO-8859-1"):  # Qt's own
        assert decoders_trimmed[name] is True, name
    # The table-driven code pages are what the trim drops (the app decodes in Python).
    assert decoders_whole["windows-1251"] is True
    assert decoders_trimmed["windows-1251"] is False
