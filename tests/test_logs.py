"""The log file: where it goes, that it rotates, and what `--verbose` adds."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from defectors_catalog import logs


def test_the_log_goes_to_the_folder_the_environment_names(log_folder):
    path = log_folder / logs.FILE_NAME
    assert logs.current_log_file() == path
    logging.getLogger("defectors_catalog.gui.session").info("a line to find")
    logging.getLogger("defectors_catalog.gui.session").debug("too detailed for the file")
    text = path.read_text(encoding="utf-8")
    assert "INFO    MainThread defectors_catalog.gui.session: a line to find" in text
    assert "too detailed" not in text


def test_off_writes_no_file(monkeypatch, tmp_path):
    monkeypatch.setenv(logs.LOG_ENV, "off")
    assert logs.configure() is None
    assert logs.current_log_file() is None
    assert logs.log_dir() is None


def test_without_the_variable_the_platform_log_folder_is_used(monkeypatch):
    monkeypatch.delenv(logs.LOG_ENV)
    folder = logs.log_dir()
    assert folder is not None and "defectors-catalog" in folder.parts


def test_the_file_rotates_instead_of_growing(log_folder):
    noisy = logging.getLogger("defectors_catalog.test")
    line = "x" * 1000
    for _ in range(5_000):  # about 5 MB of log
        noisy.info(line)
    files = sorted(log_folder.iterdir())
    assert [f.name for f in files] == [logs.FILE_NAME] + [
        f"{logs.FILE_NAME}.{n}" for n in range(1, logs.BACKUPS + 1)
    ]
    assert all(f.stat().st_size <= logs.MAX_BYTES for f in files)


def test_an_uncaught_exception_on_a_thread_is_logged_with_its_traceback(log_folder):
    heard: list[str] = []
    logs.add_listener(lambda exc_info, where: heard.append(f"{where}: {exc_info[1]}"))
    logs.install_excepthooks()

    def fail() -> None:
        raise LookupError("no such record")

    worker = threading.Thread(target=fail, name="a-worker")
    worker.start()
    worker.join()
    text = (log_folder / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "uncaught exception in a-worker" in text
    assert "Traceback (most recent call last)" in text
    assert 'raise LookupError("no such record")' in text
    assert heard == ["a-worker: no such record"]


def run_cli(*args: str, log_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, logs.LOG_ENV: str(log_dir)}
    return subprocess.run(
        [sys.executable, "-m", "defectors_catalog", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=True,
    )  # fmt: skip


def test_verbose_prints_log_lines_on_stderr_and_the_file_gets_them_too(tmp_path):
    quiet = run_cli("report", log_dir=tmp_path / "quiet")
    assert "INFO" not in quiet.stderr
    assert "defectors-catalog" in (tmp_path / "quiet" / logs.FILE_NAME).read_text("utf-8")

    loud = run_cli("--verbose", "report", log_dir=tmp_path / "loud")
    assert "INFO    MainThread defectors_catalog.cli: defectors-catalog" in loud.stderr
    assert loud.stdout == quiet.stdout  # the report itself is unchanged
    assert "report" in (tmp_path / "loud" / logs.FILE_NAME).read_text("utf-8")
