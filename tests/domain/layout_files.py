"""Files in every layout a person may bring, made from the seeds' own rows (real people).

`SEED_ROWS` are the first twelve rows of the Wikipedia export; each maker writes them in
one layout, the way a browser, Excel, LibreOffice, a wiki or a script would.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from defectors_catalog import paths
from defectors_catalog.domain.sources.layouts.pipe_table import split_cells

HEADER = ("Defector", "Profession/ Prominence", "Birthplace", "Year", "Notes")


def _seed_rows() -> list[tuple[str, ...]]:
    lines = (paths.seeds_dir() / "wikipedia.md").read_text(encoding="utf-8").splitlines()
    rows = [tuple(split_cells(line)) for line in lines if line.startswith("| ")]
    return [row for row in rows if row[0] != "Defector"][:12]


SEED_ROWS = _seed_rows()
NAMES = [row[0] for row in SEED_ROWS]

# Real rows of the export with letters outside ASCII, for the code pages.
HUNGARIAN_CP1252 = [
    ("Géza Füster", "Chess player", "Hungary", "1945", "Defected through East Berlin"),
    ("Ferenc Puskás", "Football player", "Hungary", "1956",
     "Defected during the 1956–57 European Cup in Madrid, Spain"),
    ("Sándor Kocsis", "Football player", "Hungary", "1956",
     "Defected during the 1956–57 European Cup in Madrid, Spain"),
    ("Ágnes Keleti", "Artistic gymnast", "Hungary", "1956", "Defected in Melbourne, Australia"),
]  # fmt: skip
CZECH_POLISH = [
    ("Jan Čep", "Writer", "Czechoslovakia", "1948", "Defected to France"),
    ("Alena Vrzáňová", "Figure skater", "Czechoslovakia", "1950", "Defected in London"),
    ("Czesław Miłosz", "Author", "Poland", "1951", "Defected to France"),
    ("Józef Światło", "UB, lieutenant colonel", "Poland", "1953", "Defected in East Berlin"),
    ("Miloš Forman", "Film director and actor", "Czechoslovakia", "1968", "Defected to the U.S."),
]
# The export's first rows as a Russian list writes them.
RUSSIAN = [
    ("Джордж Баланчин", "Хореограф", "Россия", "1924", "Во время гастролей в Германии"),
    ("Борис Бажанов", "Секретарь Политбюро", "Украина", "1928", "Бежал во Францию через Иран"),
    ("Георгий Агабеков", "ОГПУ", "Туркмения", "1930", "Бежал во Францию"),
]
RUSSIAN_HEADER = ("Имя", "Профессия", "Место рождения", "Год", "Примечания")


def delimited(rows: Sequence[tuple[str, ...]], header: tuple[str, ...] | None, sep: str) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if sep in value or '"' in value else value

    lines = [sep.join(header)] if header else []
    lines += [sep.join(cell(v) for v in row[: len(header) if header else None]) for row in rows]
    return "\n".join(lines) + "\n"


def browser_copy() -> str:
    """What selecting the table's body in a browser and pasting gives: tab-separated
    cells, no header, and the empty cells of rows without a profession or notes."""
    rows = []
    for n, row in enumerate(SEED_ROWS):
        cells = list(row)
        if n % 2:
            cells[1] = ""  # every other row lost its profession
        if n % 5 == 0:
            cells[4] = ""
        rows.append("\t".join(cells))
    return "\n".join(rows) + "\n"


def html_page() -> str:
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = []
    for n, (name, profession, place, year, notes) in enumerate(SEED_ROWS):
        slug = name.replace(" ", "_")
        year_cell = (
            "" if n == 7 else f'<td rowspan="2">{year}</td>' if n == 6 else f"<td>{year}</td>"
        )
        body.append(
            f'<tr>\n<td><a href="/wiki/{slug}" title="{name}">{name}</a></td>\n'
            f"<td>{profession}</td><td>{place}</td>{year_cell}\n"
            f'<td>{notes}<sup id="cite_ref-{n}" class="reference"><a href="#cite_note-{n}">'
            f"[{n + 1}]</a></sup></td>\n</tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>List of Soviet and Eastern Bloc defectors - Wikipedia</title></head>\n<body>\n"
        "<h1>List of Soviet and Eastern Bloc defectors</h1>\n"
        "<p>Numerous notable Eastern Bloc citizens defected to non-Eastern Bloc countries.</p>\n"
        '<table class="wikitable sortable">\n<tbody>\n'
        f"<tr>{head}</tr>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        '<table class="navbox"><tr><td>Hungarian Revolution of 1956 and its refugees</td></tr>'
        "</table>\n</body>\n</html>\n"
    )


def wikitext() -> str:
    """The article's source: the first half of the rows one cell per line, the rest
    `| a || b`, links and references as editors write them."""
    out = [
        "==List of defections==",
        '{| class="wikitable sortable"',
        "|+ Defections violating emigration restrictions of the Eastern Bloc countries",
        "! " + " !! ".join(HEADER),
    ]
    for n, (name, profession, place, year, notes) in enumerate(SEED_ROWS):
        out.append("|-")
        linked = f"[[{name}]]" if n % 3 else f"[[{name} (defector)|{name}]]"
        ref = f'<ref name="r{n}">{{{{cite book|title=Defectors|year=1990}}}}</ref>'
        if n < 6:
            out += [f"| {linked}", f"| {profession}", f"| [[{place}]]", f"| {year}",
                    f"| {notes}{ref}"]  # fmt: skip
        else:
            out.append(f"| {linked} || {profession} || {place} || {year} || {notes}{ref}")
    out += ["|}", "", "==References==", "{{reflist}}"]
    return "\n".join(out) + "\n"


def json_array() -> str:
    objects = [
        {"name": n, "profession": p, "birthplace": b, "year": int(y), "notes": t}
        for n, p, b, y, t in SEED_ROWS
    ]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def json_lines() -> str:
    keys = ("Name", "Beruf", "Geburtsort", "Jahr", "Anmerkungen")
    return "".join(
        json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False) + "\n"
        for row in SEED_ROWS
    )


def workbook(path: Path, engine: Literal["openpyxl", "odf"]) -> Path:
    """A workbook whose first sheet is a note and whose second holds the list under a
    title row, as people keep them."""
    import pandas as pd

    blank: list[object] = [""] * len(HEADER)
    title: list[object] = ["Defectors, copied from the article", *blank[1:]]
    rows: list[list[object]] = [title, blank, list(HEADER)]
    for row in SEED_ROWS:
        rows.append([*row[:3], int(row[3]), row[4]])  # a number, as a spreadsheet keeps a year
    with pd.ExcelWriter(path, engine=engine) as writer:
        pd.DataFrame([["Sources checked in 2025"]]).to_excel(
            writer, sheet_name="About", header=False, index=False
        )
        pd.DataFrame(rows).to_excel(writer, sheet_name="Defectors", header=False, index=False)
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """Every layout's file, by a short name, written into `folder`."""
    texts = {
        "de.csv": delimited(SEED_ROWS, ("Name", "Beruf", "Geburtsort", "Jahr", "Anmerkungen"), ";"),
        "en.csv": delimited(
            SEED_ROWS, ("Full name", "Occupation", "Country of birth", "Year of defection"), ","
        ),
        "ru.csv": delimited(RUSSIAN, RUSSIAN_HEADER, ";"),
        "copy.tsv": browser_copy(),
        "page.html": html_page(),
        "article.wiki": wikitext(),
        "list.json": json_array(),
        "list.jsonl": json_lines(),
    }
    files = {}
    for name, text in texts.items():
        files[name] = folder / name
        files[name].write_text(text, encoding="utf-8")
    files["list.xlsx"] = workbook(folder / "list.xlsx", "openpyxl")
    files["list.ods"] = workbook(folder / "list.ods", "odf")
    return files
