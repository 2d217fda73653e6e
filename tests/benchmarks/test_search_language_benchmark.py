"""The search-language benchmark runs at a small size, so it cannot rot (its figures are
printed, never asserted)."""

from __future__ import annotations

import re

from benchmarks.search_language import QUERIES, main


def test_the_benchmark_prints_a_row_per_query_with_numbers(capsys):
    assert main(["--sizes", "3000", "--repeat", "1"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 3,000 |")]
    assert len(rows) == len(QUERIES)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert re.fullmatch(r"[\d,]+", cells[2]) and float(cells[3]) >= 0 <= float(cells[4])
