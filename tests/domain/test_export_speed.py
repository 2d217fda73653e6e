"""The block-at-a-time CSV export writes exactly the bytes the pandas export wrote.

`reference_export_csv` below is `export_csv` as it was before (commit cdb2751): a
pandas frame of object columns, formula cells prefixed with an apostrophe, then
`DataFrame.to_csv`. Every combination of the export options is written both ways and
compared byte for byte; the export also reports progress and can be cancelled.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.model import CatalogRecord
from defectors_catalog.domain.output.csv_export import (
    ALL_COLUMNS,
    FORMULA_STARTS,
    ExportOptions,
    column_values,
    export_csv,
    write_provenance,
)
from defectors_catalog.domain.progress import CancelledError, Progress
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.query.table import IntArray, build_table_from_columns
from defectors_catalog.domain.reference.gazetteer import Gazetteer

from benchmarks.synthetic import SOURCES, WARNING_TEXT, SyntheticRecords, synthetic_columns


def reference_export_csv(
    catalog: Catalog,
    positions: IntArray,
    target: Path,
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = ExportOptions(),  # noqa: B008 (verbatim)
    query: Query | None = None,
) -> int:
    """`export_csv` before it was made fast, verbatim."""
    import pandas as pd  # only exporting needs pandas; keep it off the start-up path

    frame = pd.DataFrame(
        {column: column_values(catalog, column, positions) for column in columns},
        columns=list(columns),
        dtype=object,
    )
    if options.neutralise_formulas and len(frame):
        for column in frame.columns:
            values = frame[column].astype(str)
            risky = values.str.startswith(FORMULA_STARTS)
            if risky.any():
                frame.loc[risky, column] = "'" + values[risky]
    write_atomically(
        target,
        lambda handle: frame.to_csv(
            handle, index=False, lineterminator="\n", sep=options.delimiter
        ),
        encoding="utf-8-sig" if options.excel_bom else "utf-8",
    )
    if options.provenance:
        write_provenance(catalog, target, len(frame), list(columns), options, query)
    return len(frame)


# Cells a spreadsheet would run, and cells that need quoting in each dialect.
AWKWARD_ROWS = [
    '| =A1*2 Smith | +Agent | @Home, Hungary | 1950 | -Fled; =1+1, "quoted" |',
    '| Anna "Ania" Nowak | -dancer | Warsaw; Poland | 1951 | @mention\tand a tab |',
    "| Tab\tName | ballet | Hungary | 1952 | plain |",
    "| Semi;colon | painter | Poland | 1953 | - |",
]
# Values no parser produces (cleaned text has no line breaks or tabs), put straight
# into the table to check the quoting of every kind of cell.
RAW_VALUES = ["", "a\rb", "a\nb", "\r\n", "=\n", '"', 'x"y', ",", ";", "\t", "\tlead",
              "\rlead", "a\x00b", "plain", " spaced ", "-", "@", "+1", "'", "é,ü"]  # fmt: skip


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Catalog:
    folder = tmp_path_factory.mktemp("awkward")
    source = folder / "awkward.md"
    header = "| Defector | Profession | Birthplace | Year | Notes |"
    source.write_text("\n".join([header, *AWKWARD_ROWS]) + "\n", encoding="utf-8")
    return load_catalog(extra=[(source, False)])


def with_raw_values(catalog: Catalog) -> Catalog:
    """The catalog with RAW_VALUES in its notes (nearly every value different, as
    notes are) and its professions (a few values repeated, as professions are)."""
    n = len(catalog.records)
    text = dict(catalog.table.text)
    text["notes"] = tuple(
        RAW_VALUES[i % len(RAW_VALUES)] + (str(i) if i % 3 else "") for i in range(n)
    )
    text["profession"] = tuple(RAW_VALUES[(i * 7) % len(RAW_VALUES)] for i in range(n))
    return dataclasses.replace(catalog, table=dataclasses.replace(catalog.table, text=text))


OPTIONS = [
    ExportOptions(neutralise, bom, delimiter, provenance)
    for neutralise, bom, delimiter, provenance in itertools.product(
        (True, False), (False, True), (",", ";", "\t"), (False, True)
    )
]
COLUMN_SETS = [
    ALL_COLUMNS,
    ("notes", "year", "name", "warning_text", "destination_evidence", "id"),
    ("alias",),  # one column, mostly empty: csv.writer writes "" for an empty row
    ("notes",),
]


def provenance_without_time(path: Path) -> dict[str, object]:
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["written"]
    return cast(dict[str, object], record)


def assert_same_export(catalog, positions, columns, options, folder: Path) -> None:
    new, old = folder / "new.csv", folder / "old.csv"
    query = Query(text="a")
    count = export_csv(catalog, positions, new, columns, options, query)
    assert count == reference_export_csv(catalog, positions, old, columns, options, query)
    assert new.read_bytes() == old.read_bytes()
    if options.provenance:
        assert provenance_without_time(new.with_name("new.csv.provenance.json")) == (
            provenance_without_time(old.with_name("old.csv.provenance.json")) | {"file": "new.csv"}
        )


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("columns", COLUMN_SETS, ids=lambda c: f"{len(c)} columns")
def test_every_option_writes_the_same_bytes_as_the_pandas_export(
    awkward, options, columns, tmp_path
):
    everything = awkward.engine.run(Query(sort_column="name", descending=True)).positions
    assert_same_export(awkward, everything, columns, options, tmp_path)
    some = everything[::3][::-1].copy()
    assert_same_export(awkward, some, columns, options, tmp_path)


@pytest.mark.parametrize("options", OPTIONS[::2], ids=str)
@pytest.mark.parametrize("columns", COLUMN_SETS, ids=lambda c: f"{len(c)} columns")
def test_line_breaks_quotes_and_delimiters_are_written_as_csv_writer_does(
    awkward, options, columns, tmp_path
):
    catalog = with_raw_values(awkward)
    positions = np.arange(len(catalog.records), dtype=np.int64)
    assert_same_export(catalog, positions, columns, options, tmp_path)


def test_the_awkward_cells_really_are_neutralised_and_quoted(awkward, tmp_path):
    """So that comparing with the reference covers both."""
    out = tmp_path / "x.csv"
    positions = awkward.engine.run(Query(text="smith")).positions
    export_csv(awkward, positions, out, ("name", "birthplace", "notes"))
    assert out.read_text(encoding="utf-8").split("\n")[1] == (
        '\'=A1*2 Smith,"\'@Home, Hungary","\'-Fled; =1+1, ""quoted"""'
    )


def test_no_rows_and_no_columns(awkward, tmp_path):
    none = np.arange(0, dtype=np.int64)
    for columns in (ALL_COLUMNS, ("alias",), ()):
        assert_same_export(awkward, none, columns, ExportOptions(), tmp_path)
    everything = np.arange(len(awkward.records), dtype=np.int64)
    assert_same_export(awkward, everything, (), ExportOptions(), tmp_path)


@pytest.fixture(scope="module")
def big(classifier) -> Catalog:
    """20,000 generated records: several blocks of rows."""
    columns = synthetic_columns(20_000, classifier)
    table = build_table_from_columns(columns, SOURCES, classifier.labels)
    records = cast(tuple[CatalogRecord, ...], SyntheticRecords(table, WARNING_TEXT))
    return Catalog(sources=SOURCES, parses={}, records=records, candidates=(), table=table,
                   classifier=classifier, gazetteer=Gazetteer(()))  # fmt: skip


def test_a_big_export_writes_the_same_bytes(big, tmp_path):
    positions = big.engine.order("year")
    assert_same_export(big, positions, ALL_COLUMNS, ExportOptions(), tmp_path)


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[str, int, int]] = []
        self.progress = Progress(self.report, interval=0)
        self.cancel_after = cancel_after

    def report(self, stage: str, done: int, total: int) -> None:
        self.reports.append((stage, done, total))
        if self.cancel_after is not None and len(self.reports) > self.cancel_after:
            self.progress.cancel()


def test_export_reports_rows_written_up_to_the_total(big, tmp_path):
    recorder = Recorder()
    positions = big.engine.order("name")
    export_csv(big, positions, tmp_path / "out.csv", progress=recorder.progress)
    rows = len(positions)
    assert {stage for stage, _, _ in recorder.reports} == {"Writing CSV"}
    assert {total for _, _, total in recorder.reports} == {rows}
    done = [d for _, d, _ in recorder.reports]
    assert done == sorted(done) and done[0] == 0 and done[-1] == rows
    assert len(done) > 2  # reported along the way, not only at the end


@pytest.mark.parametrize("cancel_after", [0, 1])
def test_a_cancelled_export_leaves_no_file_and_keeps_the_earlier_one(big, tmp_path, cancel_after):
    target = tmp_path / "out.csv"
    target.write_text("earlier export\n", encoding="utf-8")
    recorder = Recorder(cancel_after)
    options = ExportOptions(provenance=True)
    with pytest.raises(CancelledError):
        export_csv(big, big.engine.order("name"), target, options=options,
                   progress=recorder.progress)  # fmt: skip
    assert target.read_text(encoding="utf-8") == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary, no provenance
    rows_after_cancel = recorder.progress.done - recorder.reports[-1][1]
    assert rows_after_cancel <= 8192


def test_exporting_does_not_import_pandas(tmp_path):
    """pandas takes a good part of a second to import; the export does without it."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from defectors_catalog.domain.catalog.build import load_catalog\n"
        "from defectors_catalog.domain.output.csv_export import export_csv\n"
        "catalog = load_catalog()\n"
        "positions = catalog.engine.order('name')\n"
        "print(export_csv(catalog, positions, Path(sys.argv[1])), 'pandas' in sys.modules)\n"
    )
    out = tmp_path / "all.csv"
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["185", "False"]
