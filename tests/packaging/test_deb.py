"""The .deb that packaging/build.py makes with dpkg-deb, read back and run.

Skipped unless DEFECTORS_DEB names the built `dist/defectors-catalog_<version>_<arch>.deb`
(`.ci/run` sets it). Reads its control fields and its listing (`dpkg-deb -f`, `-c`),
unpacks it (`dpkg-deb -x`, no root needed) and starts the unpacked app through a link,
as /usr/bin/defectors-catalog starts it once installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DEB_ENV = "DEFECTORS_DEB"
NAME = "defectors-catalog"
PREFIX = f"/opt/{NAME}"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def deb() -> Path:
    raw = os.environ.get(DEB_ENV, "")
    if not raw:
        pytest.skip(f"set {DEB_ENV} to a built dist/{NAME}_<version>_<arch>.deb")
    if shutil.which("dpkg-deb") is None:
        pytest.fail("dpkg-deb is missing")
    path = Path(raw).resolve()
    if not path.is_file():
        pytest.fail(f"{DEB_ENV}={raw} is not a file")
    return path


def dpkg_deb(*args: str | Path) -> str:
    result = subprocess.run(
        ["dpkg-deb", *map(str, args)], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def listing(deb: Path) -> dict[str, tuple[str, str, str]]:
    """Path (without the leading '.') -> (mode, owner, link target or '')."""
    entries = {}
    for line in dpkg_deb("-c", deb).splitlines():
        mode, owner, _size, _date, _time, rest = line.split(None, 5)
        path, _, target = rest.partition(" -> ")
        entries[path.removeprefix(".").rstrip("/") or "/"] = (mode, owner, target)
    return entries


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deb")
    dpkg_deb("-x", deb, folder)
    return folder


def test_control_fields(deb: Path) -> None:
    from defectors_catalog import __version__

    fields = dict(line.split(": ", 1) for line in dpkg_deb("-f", deb).splitlines() if ": " in line)
    assert fields["Package"] == NAME
    assert fields["Version"] == __version__
    assert fields["Architecture"] == load_build().deb_arch()
    depends = {item.strip() for item in fields["Depends"].split(",")}
    assert depends == set(load_build().DEB_DEPENDS)
    assert int(fields["Installed-Size"]) > 10_000  # KiB


def test_installs_under_opt_with_a_command_a_menu_entry_and_icons(
    listing: dict[str, tuple[str, str, str]],
) -> None:
    executable = f"{PREFIX}/{NAME}"
    assert listing[executable][0] == "-rwxr-xr-x"
    assert listing[f"/usr/bin/{NAME}"][0].startswith("l")
    assert listing[f"/usr/bin/{NAME}"][2] == executable
    assert f"/usr/share/applications/{NAME}.desktop" in listing
    for size in ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/{NAME}.png" in listing, size
    for wanted in (
        "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
        "_internal/defectors_catalog/seeds/sources.toml",
        "_internal/defectors_catalog/code-stamp.txt",
    ):
        assert f"{PREFIX}/{wanted}" in listing, wanted
    assert all(owner == "root/root" for _, owner, _ in listing.values())
    outside = [
        path
        for path in listing
        if not path.startswith((PREFIX, "/usr/bin", "/usr/share/applications", "/usr/share/icons"))
        and path not in ("/", "/opt", "/usr", "/usr/share")
    ]
    assert not outside, outside
    # The tarball's loose copies of the menu entry and icon are not installed twice.
    assert f"{PREFIX}/{NAME}.desktop" not in listing


def test_the_menu_entry_starts_the_installed_command(unpacked: Path) -> None:
    entry = (unpacked / "usr" / "share" / "applications" / f"{NAME}.desktop").read_text(
        encoding="utf-8"
    )
    assert re.search(rf"^Exec={NAME}\b", entry, re.MULTILINE)
    assert re.search(rf"^Icon={NAME}$", entry, re.MULTILINE)
    validate = shutil.which("desktop-file-validate")
    if validate is not None:
        path = unpacked / "usr" / "share" / "applications" / f"{NAME}.desktop"
        result = subprocess.run([validate, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_unpacked_app_runs_through_a_link(unpacked: Path, tmp_path: Path) -> None:
    """As /usr/bin/defectors-catalog -> /opt/...: the bootloader finds _internal/ from
    the link's target."""
    link = tmp_path / "bin" / NAME
    link.parent.mkdir()
    link.symlink_to(unpacked / PREFIX.lstrip("/") / NAME)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "LD_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    result = subprocess.run(
        [str(link), "--smoke-test"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["records"] == 185, report


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files")
def test_depends_covers_every_library_the_bundle_leaves_to_the_system(unpacked: Path) -> None:
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("readelf (binutils) is missing")
    folder = unpacked / PREFIX.lstrip("/")
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    elves = [p for p in files if p.open("rb").read(4) == b"\x7fELF"]
    needed: set[str] = set()
    for start in range(0, len(elves), 200):
        output = subprocess.run(
            [readelf, "-d", *map(str, elves[start : start + 200])],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        needed |= set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", output))
    bundled = {p.name for p in folder.rglob("*")}
    provided = {soname for sonames in load_build().DEB_DEPENDS.values() for soname in sonames}
    left = sorted(needed - bundled - provided)
    assert not left, f"add the packages of {left} to DEB_DEPENDS in packaging/build.py"
