"""Build the one-folder bundle: `python packaging/build.py` -> `dist/defectors-catalog/`.

1. Makes a clean venv in `build/venv-bundle` holding only the runtime dependencies and
   the `bundle` extra (PyInstaller), both read from pyproject.toml, so test tools never
   leak in through optional imports. The app itself is frozen straight from
   this checkout (the spec puts it first on the path), so it is not installed.
2. Runs PyInstaller with `packaging/defectors-catalog.spec`.
3. On Linux, puts the .desktop file and a 256 px icon beside the executable.
4. Packs it: `dist/defectors-catalog-<version>-<os>-<arch>.tar.gz` and `.tar.xz`
   (xz -9e; a .zip on Windows), and on Linux with dpkg-deb a
   `dist/defectors-catalog_<version>_<arch>.deb` that installs the folder under
   /opt/defectors-catalog, a /usr/bin/defectors-catalog link, the desktop entry and the
   icons.
5. Prints the folder's size (as `du` counts it), the biggest items in it and the
   packages' sizes; fails if the folder outgrows `--max-mib` or the .tar.xz
   `--max-archive-mib`.

`--measure readers` (or `all`) is a measurement build, never shipped: a separate venv
(`build/venv-measure`) that also holds the libraries the new readers bring (pandas,
python-calamine, lxml, charset-normalizer, mwparserfromhell; `all` adds Babel and
pycountry, which the spec otherwise leaves out), each frozen whether or not the app
imports it yet, to see what the budget has to hold.
"""

from __future__ import annotations

import argparse
import lzma
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import venv
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "defectors-catalog"
SPEC = ROOT / "packaging" / f"{NAME}.spec"
VENV = ROOT / "build" / "venv-bundle"
MEASURE_VENV = ROOT / "build" / "venv-measure"
WORK = ROOT / "build" / "pyinstaller"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
BUDGET_MB = 150  # the target for the folder, in MB (10^6 bytes)
# The hard stop: the target itself. It holds the readers' libraries too (pandas,
# python-calamine, lxml...: measured with `--measure readers`, see the README).
DEFAULT_MAX_MIB = BUDGET_MB * 1e6 / 2**20  # 143.1 MiB
ARCHIVE_BUDGET_MB = 60  # the compressed archive (.tar.xz)
DEFAULT_MAX_ARCHIVE_MIB = ARCHIVE_BUDGET_MB * 1e6 / 2**20
# Measurement builds (`--measure`): the packages the readers bring, and what is frozen
# whether or not the app imports it yet. `all` adds the gazetteer twin's compilers.
MEASURE_PACKAGES = {
    "readers": ["pandas", "python-calamine", "lxml", "charset-normalizer", "mwparserfromhell"],
    "all": ["pandas", "python-calamine", "lxml", "charset-normalizer", "mwparserfromhell",
            "Babel", "pycountry"],
}  # fmt: skip
MEASURE_MODULES = {
    "readers": ["pandas", "python_calamine", "lxml.etree", "lxml.html", "charset_normalizer",
                "mwparserfromhell"],
    "all": ["pandas", "python_calamine", "lxml.etree", "lxml.html", "charset_normalizer",
            "mwparserfromhell", "babel", "pycountry"],
}  # fmt: skip
# Must never be importable in the build venv (they would be frozen in).
FORBIDDEN = ("pytest", "hypothesis", "pygments", "IPython", "matplotlib", "mypy", "ruff")
# Must be inside the bundle, at the places defectors_catalog.paths expects them: package
# data of `defectors_catalog`, as in a wheel.
REQUIRED_DATA = (
    "seeds/sources.toml",
    "seeds/wikipedia.md",
    "seeds/wikipedia-scrape-2025.txt",
    "seeds/fandom.txt",
    "resources/places.toml",
    "resources/professions.toml",
    "resources/icons/defectors-catalog-256.png",
    "resources/icons/defectors-catalog.ico",
)
MIB = 1024 * 1024


def run(command: Sequence[str | Path], env: dict[str, str] | None = None) -> None:
    print("+ " + " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True, env=env)


def venv_python(folder: Path) -> Path:
    if sys.platform == "win32":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def requirements() -> list[str]:
    """The runtime dependencies and the `bundle` extra, as pyproject.toml pins them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["bundle"]]
    if sys.platform == "darwin":
        # PyInstaller converts the PNG icon to ICNS with Pillow; build-time only, the
        # spec excludes PIL from the bundle.
        wanted.append("pillow")
    return [str(item) for item in wanted]


# numpy without BLAS/LAPACK (Linux): the PyPI wheels carry OpenBLAS for 20 CPU
# generations (libscipy_openblas64_ 25 MiB, libgfortran and libquadmath 3 MiB), and the
# app does no linear algebra (no matmul, dot, solve or fft anywhere in app/). numpy's
# own build option `-Dblas=none -Dlapack=none` keeps every function working (matmul
# through numpy's own loops, linalg through its bundled lapack_lite), 28 MiB lighter.
# The wheel is built once from the same version's sdist and kept in pip's wheel cache
# (~/.cache/pip/wheels): ~10 minutes on 2 free cores the first time, seconds after.
NUMPY_WITHOUT_BLAS = (
    "-Csetup-args=-Dblas=none", "-Csetup-args=-Dlapack=none",
    "-Csetup-args=-Dallow-noblas=true",
)  # fmt: skip


def installed_version(python: Path, distribution: str) -> str:
    return subprocess.run(
        [python, "-c", f"import importlib.metadata as m; print(m.version({distribution!r}))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def use_numpy_without_blas(python: Path) -> None:
    """Swap the venv's numpy wheel for the same version built without BLAS/LAPACK."""
    version = installed_version(python, "numpy")
    print(f"numpy {version} without BLAS: from its sdist (cached after the first build)")
    with tempfile.TemporaryDirectory(dir=python.parent.parent.parent) as scratch:
        run([
            python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-binary", "numpy",
            *NUMPY_WITHOUT_BLAS, "-w", scratch, f"numpy=={version}",
        ])  # fmt: skip
        wheel = sorted(Path(scratch).glob(f"numpy-{version}-*.whl"))[0]
        run([python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", wheel])
    blas = "numpy.show_config('dicts')['Build Dependencies']['blas']['name']"
    run([python, "-c", f"import numpy; assert {blas} == 'none', {blas}"])


def make_venv(
    reuse: bool, folder: Path = VENV, extra: Sequence[str] = (), numpy_blas: bool = False
) -> Path:
    python = venv_python(folder)
    if reuse and python.is_file():
        print(f"reusing {folder.relative_to(ROOT)}", flush=True)
        return python
    print(f"creating a clean {folder.relative_to(ROOT)}", flush=True)
    venv.EnvBuilder(clear=True, with_pip=True).create(folder)
    run([python, "-m", "pip", "install", "--quiet", *requirements(), *extra])
    if sys.platform.startswith("linux") and not numpy_blas:
        use_numpy_without_blas(python)
    leaked = subprocess.run(
        [python, "-c", _FIND_MODULES, *FORBIDDEN], capture_output=True, text=True, check=True
    ).stdout.split()
    if leaked:
        raise SystemExit(f"the build venv must not hold {', '.join(leaked)}")
    return python


_FIND_MODULES = (
    "import importlib.util, sys; "
    "print(*[m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None])"
)


def files(folder: Path) -> Iterator[Path]:
    for dirpath, _, filenames in os.walk(folder):
        for filename in filenames:
            yield Path(dirpath) / filename


def disk_usage(path: Path) -> int:
    """Bytes on disk, as `du` counts them (allocated blocks; apparent size on Windows)."""
    paths = files(path) if path.is_dir() else iter([path])
    total = 0
    for item in paths:
        stat = item.lstat()
        blocks = getattr(stat, "st_blocks", None)
        total += blocks * 512 if blocks is not None else stat.st_size
    return total


def biggest(folder: Path, count: int = 12) -> list[tuple[int, Path]]:
    """The largest items, opening the folders that only group others (_internal, Qt)."""
    expand = {"_internal", "_internal/PySide6", "_internal/PySide6/Qt", "_internal/PySide6/Qt/lib"}
    sizes: list[tuple[int, Path]] = []
    todo = [folder]
    while todo:
        for item in todo.pop().iterdir():
            if item.relative_to(folder).as_posix() in expand:
                todo.append(item)
            else:
                sizes.append((disk_usage(item), item))
    return sorted(sizes, key=lambda pair: pair[0], reverse=True)[:count]


def add_desktop_entry() -> None:
    """Linux: the .desktop file and its icon beside the executable, for installing."""
    shutil.copy2(ROOT / "packaging" / f"{NAME}.desktop", BUNDLE / f"{NAME}.desktop")
    icon = ROOT / "resources" / "icons" / f"{NAME}-256.png"
    shutil.copy2(icon, BUNDLE / f"{NAME}.png")


def archive_base(version: str) -> Path:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return DIST / f"{NAME}-{version}-{system}-{platform.machine().lower()}"


def archive(version: str) -> Path:
    fmt = "zip" if sys.platform == "win32" else "gztar"
    return Path(shutil.make_archive(str(archive_base(version)), fmt, root_dir=DIST, base_dir=NAME))


def _tar_entry(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Owned by root, as an archive for other machines should be."""
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def archive_xz(version: str) -> Path:
    """The folder as a .tar.xz, `xz -9e` (LZMA2 preset 9, extreme; 64 MiB dictionary)."""
    target = Path(f"{archive_base(version)}.tar.xz")
    options = {"preset": 9 | lzma.PRESET_EXTREME}
    with tarfile.open(target, "w:xz", **options) as tar:  # type: ignore[call-overload]
        tar.add(BUNDLE, arcname=NAME, filter=_tar_entry)
    return target


# --- the .deb -----------------------------------------------------------------------
DEB_PREFIX = Path("opt") / NAME
# Run-time libraries the bundle leaves to the system, by the Debian package that has
# them: PyInstaller never bundles libc, libGL/libEGL, libxcb or the Wayland client
# libraries, which must match the machine's drivers and display server. Found with
# `readelf -d` on every file of the folder, less what the folder holds;
# tests/packaging/test_deb.py checks that this still covers every one of them. glibc
# 2.36: the newest symbol version the folder asks for (libstdc++ and libexpat, copied
# from the Debian 12 build machine; Qt itself asks for 2.34).
DEB_DEPENDS: dict[str, tuple[str, ...]] = {
    "libc6 (>= 2.36)": (
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
        "libutil.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    ),
    "libgl1": ("libGL.so.1",),
    "libegl1": ("libEGL.so.1",),
    "libxcb1": ("libxcb.so.1",),
    "libwayland-client0": ("libwayland-client.so.0",),
    "libwayland-cursor0": ("libwayland-cursor.so.0",),
    "libwayland-egl1": ("libwayland-egl.so.1",),
    "libdbus-1-3": ("libdbus-1.so.3",),  # left out on purpose: see the spec
}  # fmt: skip


def deb_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf"}.get(machine, machine)


def build_deb(version: str) -> Path:
    """dist/defectors-catalog_<version>_<arch>.deb, built with dpkg-deb.

    /opt/defectors-catalog/ (the folder), /usr/bin/defectors-catalog (a link to its
    executable), /usr/share/applications/defectors-catalog.desktop and the icon at every
    size under /usr/share/icons/hicolor/. No maintainer scripts: dpkg's triggers of
    desktop-file-utils and hicolor-icon-theme refresh the menus and the icon cache.
    """
    stage = WORK.with_name(f"{WORK.name}-deb")
    shutil.rmtree(stage, ignore_errors=True)
    opt = stage / DEB_PREFIX
    shutil.copytree(BUNDLE, opt, symlinks=True)
    for extra in (f"{NAME}.desktop", f"{NAME}.png"):  # the tarball's copies; the .deb
        (opt / extra).unlink(missing_ok=True)  # puts them where desktops look
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / NAME).symlink_to(Path("/") / DEB_PREFIX / NAME)
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(ROOT / "packaging" / f"{NAME}.desktop", applications / f"{NAME}.desktop")
    for icon in sorted((ROOT / "resources" / "icons").glob(f"{NAME}-*.png")):
        size = icon.stem.rsplit("-", 1)[1]
        folder = stage / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icon, folder / f"{NAME}.png")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {NAME}\n"
        f"Version: {version}\n"
        f"Architecture: {deb_arch()}\n"
        "Maintainer: Defectors Catalog developers <defectors-catalog@users.noreply.invalid>\n"
        f"Installed-Size: {disk_usage(stage) // 1024}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: catalog of Soviet and Eastern Bloc defectors\n"
        f" {project['description']}\n"
        " A desktop catalog (Qt) of the published lists, with search, facets,\n"
        " cross-checks between sources and a CSV export. Self-contained: Python, Qt\n"
        " and the libraries it uses live in /opt/defectors-catalog.\n",
        encoding="utf-8",
    )
    for path in [stage, *stage.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    target = DIST / f"{NAME}_{version}_{deb_arch()}.deb"
    # dpkg-deb's own xz (level 6, threaded): -9e would add minutes for about 1 MiB.
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, target])
    shutil.rmtree(stage)
    return target


def check_data() -> None:
    package = BUNDLE / "_internal" / "defectors_catalog"
    missing = [item for item in REQUIRED_DATA if not (package / item).is_file()]
    if missing:
        raise SystemExit(f"the bundle lacks {', '.join(missing)}")


def version() -> str:
    for line in (
        (ROOT / "app" / "defectors_catalog" / "__init__.py")
        .read_text(encoding="utf-8")
        .splitlines()
    ):
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("app/defectors_catalog/__init__.py has no __version__")


def main(argv: Sequence[str] | None = None) -> int:
    global DIST, BUNDLE, WORK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--reuse-venv", action="store_true",
        help=f"keep an existing {VENV.relative_to(ROOT)} (faster; CI always starts clean)",
    )  # fmt: skip
    parser.add_argument(
        "--max-mib", type=float, default=DEFAULT_MAX_MIB,
        help=f"fail if the folder is bigger (default {DEFAULT_MAX_MIB:.1f}: {BUDGET_MB} MB)",
    )  # fmt: skip
    parser.add_argument(
        "--max-archive-mib", type=float, default=DEFAULT_MAX_ARCHIVE_MIB,
        help=f"fail if the .tar.xz is bigger (default {DEFAULT_MAX_ARCHIVE_MIB:.1f}: "
        f"{ARCHIVE_BUDGET_MB} MB)",
    )  # fmt: skip
    parser.add_argument(
        "--measure", choices=sorted(MEASURE_PACKAGES),
        help="a measurement build with the readers' libraries (in build/venv-measure)",
    )  # fmt: skip
    parser.add_argument(
        "--numpy-with-blas", action="store_true",
        help="keep PyPI's numpy wheel and its OpenBLAS (Linux builds numpy without BLAS)",
    )  # fmt: skip
    parser.add_argument("--no-deb", action="store_true", help="skip the .deb")
    parser.add_argument(
        "--folder-only", action="store_true", help="measure the folder, pack nothing"
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.monotonic()

    env = dict(os.environ)
    env.pop("DEFECTORS_BUNDLE_FORCE", None)
    if args.measure:
        # Never where the real bundle goes: dist/measure-<what>/, its own venv and work.
        DIST = ROOT / "dist" / f"measure-{args.measure}"
        BUNDLE = DIST / NAME
        WORK = ROOT / "build" / f"pyinstaller-measure-{args.measure}"
        venv_folder = MEASURE_VENV.with_name(f"{MEASURE_VENV.name}-{args.measure}")
        extra = MEASURE_PACKAGES[args.measure]
        python = make_venv(args.reuse_venv, venv_folder, extra, args.numpy_with_blas)
        env["DEFECTORS_BUNDLE_FORCE"] = ",".join(MEASURE_MODULES[args.measure])
    else:
        python = make_venv(args.reuse_venv, numpy_blas=args.numpy_with_blas)
    run([
        python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", WORK, SPEC,
    ], env=env)  # fmt: skip
    check_data()
    if sys.platform.startswith("linux"):
        add_desktop_entry()

    size = disk_usage(BUNDLE)
    print(f"\nbundle: {BUNDLE.relative_to(ROOT)}  {size / MIB:.1f} MiB on disk", flush=True)
    if shutil.which("du"):
        subprocess.run(["du", "-sh", str(BUNDLE)], check=True)
    print("biggest items:")
    for item_size, item in biggest(BUNDLE):
        print(f"  {item_size / MIB:6.1f} MiB  {item.relative_to(BUNDLE)}")
    packages = [] if args.folder_only else [archive(version())]
    if sys.platform != "win32" and not args.folder_only:
        packages.append(archive_xz(version()))
    if sys.platform.startswith("linux") and not (args.no_deb or args.folder_only):
        if shutil.which("dpkg-deb"):
            packages.append(build_deb(version()))
        else:
            print("no dpkg-deb here: the .deb is skipped")
    for item in packages:
        print(f"package: {item.relative_to(ROOT)}  {item.stat().st_size / MIB:.1f} MiB")
    verdict = "within" if size <= BUDGET_MB * 1e6 else "OVER"
    print(f"budget: {size / 1e6:.1f} MB, {verdict} the {BUDGET_MB} MB target")
    print(f"took {time.monotonic() - started:.0f} s")
    failed = False
    if size > args.max_mib * MIB:
        print(f"error: the bundle is over --max-mib {args.max_mib:.1f}", file=sys.stderr)
        failed = True
    xz = [item for item in packages if item.name.endswith(".tar.xz")]
    if xz and xz[0].stat().st_size > args.max_archive_mib * MIB:
        print(f"error: {xz[0].name} is over --max-archive-mib {args.max_archive_mib:.1f}",
              file=sys.stderr)  # fmt: skip
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
