"""`annotate`, `views`, and `export --status/--tag/--has-note/--view`, as a person runs them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from defectors_catalog import paths
from defectors_catalog.cli import main
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.annotations.views import SavedView
from defectors_catalog.domain.query.engine import Query

BALANCHINE, BAZHANOV = "george-balanchine-1924", "boris-bazhanov-1928"


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_ENV, str(folder))
    return folder


def exported(tmp_path: Path, *options: str) -> list[dict[str, str]]:
    out = tmp_path / "out.csv"
    assert main(["export", str(out), *options]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_annotate_changes_and_prints_the_verdict(capsys, data):
    note = "Obituary, NYT 1983\nsecond line"
    assert main(["annotate", BALANCHINE, "--status", "Verified", "--tag", "Ballet",
                 "--tag", "New York", "--note", note]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith(f"{BALANCHINE}  George Balanchine (1924)\n")
    assert "status: verified\n" in out and "tags: Ballet; New York\n" in out
    assert "note:\n  Obituary, NYT 1983\n  second line" in out
    assert main(["annotate", BALANCHINE, "--untag", "ballet"]) == 0
    assert "tags: New York\n" in capsys.readouterr().out
    assert main(["annotate", BALANCHINE]) == 0  # no options: shown, not changed
    shown = capsys.readouterr().out
    assert "status: verified" in shown and "tags: New York" in shown
    assert (data / "annotations.sqlite3").is_file()
    assert AnnotationStore(data / "annotations.sqlite3").verdict(BALANCHINE).tags == ("New York",)


def test_exporting_and_listing_make_no_database(data, tmp_path):
    assert len(exported(tmp_path, "--status", "unchecked")) == 185
    assert main(["views"]) == 0
    assert main(["annotate", BALANCHINE]) == 0  # shown, not changed
    assert not (data / "annotations.sqlite3").exists()


def test_annotate_refuses_bad_ids_and_values_with_one_line(capsys):
    assert main(["annotate", "george-balanchine-1925"]) == 2
    assert f"did you mean {BALANCHINE}" in one_error(capsys)
    assert main(["annotate", BALANCHINE, "--status", "maybe"]) == 2
    assert "unknown status 'maybe'; known: unchecked, verified" in one_error(capsys)
    assert main(["annotate", BALANCHINE, "--tag", "a;b"]) == 2
    assert "may not hold ';'" in one_error(capsys)
    assert main(["annotate", "no-such-person"]) == 2
    assert "no record has the id 'no-such-person'" in one_error(capsys)


def test_a_damaged_database_is_reported_and_writes_are_refused(capsys, data, tmp_path):
    data.mkdir()
    (data / "annotations.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 2048)
    assert main(["annotate", BALANCHINE, "--status", "verified"]) == 2
    err = capsys.readouterr().err
    assert "warning: your verdicts in" in err and "read-only" in err
    assert "error:" in err.splitlines()[-1]
    # The catalog still exports, every record unchecked, with the warning on stderr.
    rows = exported(tmp_path)
    assert len(rows) == 185 and {r["status"] for r in rows} == {"unchecked"}


def test_export_filters_by_status_tag_and_note_as_the_facets(capsys, tmp_path):
    main(["annotate", BALANCHINE, "--status", "verified", "--tag", "Ballet"])
    main(["annotate", BAZHANOV, "--status", "disputed", "--tag", "ballet", "--note", "Memoirs"])
    capsys.readouterr()
    assert [r["id"] for r in exported(tmp_path, "--status", "verified")] == [BALANCHINE]
    assert [r["id"] for r in exported(tmp_path, "--tag", "BALLET")] == [BALANCHINE, BAZHANOV]
    both = exported(tmp_path, "--status", "verified", "--status", "Disputed", "--tag", "ballet")
    assert [r["id"] for r in both] == [BALANCHINE, BAZHANOV]
    assert [r["id"] for r in exported(tmp_path, "--has-note", "yes")] == [BAZHANOV]
    assert [r["id"] for r in exported(tmp_path, "--search", "memoirs")] == [BAZHANOV]
    assert len(exported(tmp_path, "--status", "unchecked")) == 183
    rows = exported(tmp_path, "--tag", "ballet")
    assert (rows[1]["status"], rows[1]["tags"], rows[1]["note"]) == (
        "disputed",
        "ballet",
        "Memoirs",
    )
    capsys.readouterr()
    assert main(["export", str(tmp_path / "x.csv"), "--tag", "opera"]) == 2
    assert "unknown tag 'opera'; known: ballet" in one_error(capsys)
    assert main(["export", str(tmp_path / "x.csv"), "--status", "maybe"]) == 2
    assert "unknown status 'maybe'" in one_error(capsys)


def test_views_lists_the_saved_searches_and_export_applies_one(capsys, data, tmp_path, catalog):
    assert main(["views"]) == 0
    assert capsys.readouterr().out == "no saved searches\n"
    store = AnnotationStore(data / "annotations.sqlite3")
    store.save_view(SavedView.of(
        "Hungarians of the fifties",
        Query(selections={"country": {"Hungary"}}, year_from=1950, year_to=1959,
              sort_column="name", descending=True),
        columns=("name", "year"),
    ))  # fmt: skip
    assert main(["views"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        "Hungarians of the fifties\tCountry: Hungary; years 1950 to 1959; "
        "sorted by name (descending)"
    ]
    rows = exported(tmp_path, "--view", "hungarians of the FIFTIES")
    same = exported(tmp_path, "--country", "Hungary", "--from", "1950", "--to", "1959")
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in same) and len(rows) == 15
    by_name = catalog.engine.order("name", descending=True)
    wanted = {r["id"] for r in rows}
    assert [r["id"] for r in rows] == [i for p in by_name if (i := catalog.table.ids[p]) in wanted]
    assert {r["country"] for r in rows} == {"Hungary"}
    assert {int(r["year"]) for r in rows} <= set(range(1950, 1960))
    # The options given with a view narrow it.
    narrowed = exported(tmp_path, "--view", "Hungarians of the fifties", "--to", "1955")
    assert 0 < len(narrowed) < len(rows)
    capsys.readouterr()
    assert main(["export", str(tmp_path / "x.csv"), "--view", "Poles"]) == 2
    err = one_error(capsys)
    assert "no saved search is called 'Poles'; saved: 'Hungarians of the fifties'" in err
