"""The frozen one-folder bundle, run the way a user runs it.

Skipped unless DEFECTORS_BUNDLE_DIR names a built `dist/defectors-catalog` folder
(`python packaging/build.py` makes one; `.ci/run` sets the variable). Each check starts
the frozen executable in a scratch folder with a scrubbed environment, so neither the
checkout nor the developer's Python or Qt settings can stand in for the bundle.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from defectors_catalog.domain.output.csv_export import CONTRACT_COLUMNS

pytestmark = pytest.mark.slow

BUNDLE_ENV = "DEFECTORS_BUNDLE_DIR"
RECORDS = 185
TIMEOUT_S = 120  # generous: a cold start on a loaded 2-core CI box takes ~1 s
# Anything here on stderr fails the run, whatever the exit status.
STDERR_FAILURES = (
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"Could not load the Qt platform plugin"),
    re.compile(r"^qt\.qpa[\w.-]*:", re.MULTILINE),  # qt.qpa.plugin, qt.qpa.xcb, ...
    re.compile(r"\[PYI-\d+:ERROR\]"),  # the PyInstaller bootloader's own failures
)
# Variables that would let something outside the bundle leak in, or change the
# "category: message" shape of Qt's log lines that STDERR_FAILURES relies on.
SCRUBBED = (
    "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "QT_PLUGIN_PATH",
    "QT_QPA_PLATFORM_PLUGIN_PATH", "QT_MESSAGE_PATTERN", "QT_LOGGING_RULES",
    "QT_DEBUG_PLUGINS", "LD_LIBRARY_PATH", "LD_PRELOAD",
)  # fmt: skip


@pytest.fixture(scope="module")
def bundle() -> Path:
    raw = os.environ.get(BUNDLE_ENV, "")
    if not raw:
        pytest.skip(f"set {BUNDLE_ENV} to a built dist/defectors-catalog folder")
    folder = Path(raw).resolve()
    if not folder.is_dir():
        pytest.fail(f"{BUNDLE_ENV}={raw} is not a folder")
    return folder


@pytest.fixture(scope="module")
def executable(bundle: Path) -> Path:
    # On Windows the GUI .exe has no stdout; its console twin shares the folder.
    name = "defectors-catalog-cli.exe" if sys.platform == "win32" else "defectors-catalog"
    path = bundle / name
    if not path.is_file():
        pytest.fail(f"no {name} in {bundle}")
    return path


def scrubbed_env(tmp_path: Path, platform: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env["QT_QPA_PLATFORM"] = platform
    # Keep the run away from the real home: the smoke test writes a throw-away settings
    # file, and sources a person added (in the app data folder) would change the counts.
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    return env


def run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run to completion or TIMEOUT_S; on timeout kill the whole process group
    (xvfb-run leaves its Xvfb behind otherwise) and fail."""
    posix = os.name == "posix"
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", errors="replace", start_new_session=posix,
    ) as proc:  # fmt: skip
        try:
            stdout, stderr = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            stdout, stderr = proc.communicate()
            pytest.fail(
                f"{command} did not finish within {TIMEOUT_S} s\n"
                f"stdout:\n{stdout}\nstderr:\n{stderr}"
            )
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def check_clean(result: subprocess.CompletedProcess[str]) -> None:
    for pattern in STDERR_FAILURES:
        match = pattern.search(result.stderr)
        assert match is None, f"stderr has {match.group(0)!r}:\n{result.stderr}"
    assert result.returncode == 0, (
        f"exit status {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )


def smoke_report(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    check_clean(result)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"--smoke-test printed nothing\nstderr:\n{result.stderr}"
    report = json.loads(lines[-1])
    assert isinstance(report, dict), report
    return report


def check_smoke(report: dict[str, object], platform: str) -> None:
    assert report["ok"] is True, report
    assert report["records"] == RECORDS, report
    assert report["platform"] == platform, report
    first_paint = report["first_paint_ms"]
    assert isinstance(first_paint, int | float), report
    assert first_paint > 0, report


def test_bundle_holds_data_and_only_the_qt_it_needs(bundle: Path) -> None:
    internal = bundle / "_internal"
    package = internal / "defectors_catalog"  # seeds and resources are its package data
    for item in ("seeds/sources.toml", "resources/places.toml", "resources/professions.toml"):
        assert (package / item).is_file(), item
    assert len(list((package / "seeds").glob("*"))) == 4
    assert list((package / "resources" / "icons").glob("*.png"))
    assert (package / "code-stamp.txt").is_file()
    names = {path.name for path in internal.rglob("*")}
    unwanted = [n for n in names if re.match(r"(lib)?Qt6?(Qml|Quick|WebEngine|Pdf)", n)]
    assert not unwanted, unwanted
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not (internal / "PySide6" / "Qt" / "qml").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux library names")
def test_bundle_leaves_out_what_the_app_never_runs(bundle: Path) -> None:
    """The size budget's cuts (README, Bundle): each is checked, so none creeps back."""
    internal = bundle / "_internal"
    names = {path.name for path in internal.rglob("*")}
    # OpenSSL (no network, hashlib's own SHA-256), numpy's OpenBLAS, Babel's and
    # pycountry's locale data, the system's libdbus and what it drags in.
    for pattern in (
        r"lib(ssl|crypto)\.so", r"_(ssl|hashlib)\.cpython", r"openblas", r"libgfortran",
        r"^libdbus-1\.so", r"^libsystemd\.so", r"^libgcrypt\.so",
    ):  # fmt: skip
        assert not [n for n in names if re.search(pattern, n)], pattern
    assert not [n for n in names if n.startswith("objectify.cpython")]  # lxml's, 2.8 MiB
    assert not (internal / "babel").exists() and not (internal / "pycountry").exists()
    icu = next((internal / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"))
    assert icu.stat().st_size < 8 * 1024 * 1024, "the ICU data is not the trimmed copy"
    rapidfuzz = {path.name.split(".")[0] for path in (internal / "rapidfuzz").rglob("*.so")}
    assert {"fuzz_cpp", "fuzz_cpp_avx2", "metrics_cpp"} <= rapidfuzz
    assert "metrics_cpp_avx2" not in rapidfuzz


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux plugin names")
def test_bundle_keeps_the_linux_platform_plugins(bundle: Path) -> None:
    folder = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    plugins = {path.name for path in folder.iterdir()}
    assert plugins == {"libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"}


def test_smoke_test_offscreen(executable: Path, tmp_path: Path) -> None:
    env = scrubbed_env(tmp_path, "offscreen")
    report = smoke_report(run([str(executable), "--smoke-test"], env, tmp_path))
    check_smoke(report, "offscreen")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 via Xvfb is Linux only")
def test_smoke_test_under_xvfb(executable: Path, tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.fail("xvfb-run is missing: apt-get install xvfb xauth (as .ci/run does)")
    env = scrubbed_env(tmp_path, "xcb")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    command = [xvfb_run, "-a", "-s", "-screen 0 1280x800x24", str(executable), "--smoke-test"]
    check_smoke(smoke_report(run(command, env, tmp_path)), "xcb")


def test_export_writes_every_record(executable: Path, tmp_path: Path) -> None:
    output = tmp_path / "catalog.csv"
    env = scrubbed_env(tmp_path, "offscreen")
    check_clean(run([str(executable), "export", str(output)], env, tmp_path))
    with output.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert tuple(header[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert len(rows) == RECORDS
    assert all(row[0] for row in rows), "a row without a name"


@pytest.mark.parametrize("name", ["list.xlsx", "list.ods", "page.html", "article.wiki"])
def test_frozen_readers_read_spreadsheets_pages_and_wikitext(
    executable: Path, tmp_path: Path, name: str
) -> None:
    # The readers' libraries (pandas + calamine, lxml, mwparserfromhell) are imported
    # only when such a file is read: this is the one place the bundle proves they came.
    from tests.domain.layout_files import make_all

    folder = tmp_path / "files"
    folder.mkdir()
    (path,) = [p for p in make_all(folder).values() if p.name == name]
    env = scrubbed_env(tmp_path, "offscreen")
    result = run([str(executable), "report", "--add-source", str(path)], env, tmp_path)
    check_clean(result)
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith(path.stem))
    assert "12 rows" in line, line
    assert "merged into existing records: 12; new records: 0" in result.stdout


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".md"])
def test_frozen_export_writes_workbooks_json_and_markdown(
    executable: Path, tmp_path: Path, suffix: str
) -> None:
    # XlsxWriter is imported by name, only when a workbook is written: only the
    # bundle's own run proves it came.
    output = tmp_path / f"catalog{suffix}"
    env = scrubbed_env(tmp_path, "offscreen")
    check_clean(run([str(executable), "export", str(output)], env, tmp_path))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(output, read_only=True).worksheets[0]
        assert sheet.max_row == RECORDS + 1
    elif suffix == ".json":
        import json

        assert len(json.loads(output.read_text(encoding="utf-8"))) == RECORDS
    else:
        assert len(output.read_text(encoding="utf-8").splitlines()) == RECORDS + 2


def test_version(executable: Path, tmp_path: Path) -> None:
    from defectors_catalog import __version__

    result = run([str(executable), "--version"], scrubbed_env(tmp_path, "offscreen"), tmp_path)
    check_clean(result)
    assert result.stdout.strip() == f"defectors-catalog {__version__}"
