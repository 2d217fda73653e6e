"""What the wheel ships, as pyproject.toml declares it.

setuptools is given an explicit `packages` list (the package lives in app/ under another
name, and seeds/ and resources/ are mapped into it), so a new subpackage or data file is
left out of the wheel unless it is declared: editable installs and the tests would never
notice. `.ci/run` installs the wheel and runs it; these checks say which entry is missing
before that.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "defectors_catalog"
DATA_FOLDERS = {"seeds": f"{PACKAGE}.seeds", "resources": f"{PACKAGE}.resources"}


def setuptools_table() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        table: dict[str, object] = tomllib.load(file)["tool"]["setuptools"]
    return table


def code_packages() -> set[str]:
    """Every folder under app/defectors_catalog with an __init__.py, as a dotted name."""
    app = ROOT / "app"
    return {
        ".".join(init.parent.relative_to(app).parts)
        for init in (app / PACKAGE).rglob("__init__.py")
    }


def test_the_packages_list_is_every_code_package_and_the_data_folders():
    declared = setuptools_table()["packages"]
    assert isinstance(declared, list)
    assert sorted(declared) == sorted(code_packages() | set(DATA_FOLDERS.values()))


def test_the_data_folders_are_mapped_into_the_package():
    package_dir = setuptools_table()["package-dir"]
    assert package_dir == {"": "app", **{name: folder for folder, name in DATA_FOLDERS.items()}}


def test_every_data_file_matches_a_package_data_glob():
    package_data = setuptools_table()["package-data"]
    assert isinstance(package_data, dict)
    for folder, name in DATA_FOLDERS.items():
        base = ROOT / folder
        # Path.glob matches as setuptools does: `*` stays within one folder.
        shipped = {path for pattern in package_data[name] for path in base.glob(pattern)}
        present = {
            path
            for path in base.rglob("*")
            if path.is_file() and "__pycache__" not in path.relative_to(base).parts
        }
        missing = sorted(str(path.relative_to(ROOT)) for path in present - shipped)
        assert missing == [], f"not in [tool.setuptools.package-data] {name!r}: {missing}"
        assert present, f"{folder}/ is empty"
