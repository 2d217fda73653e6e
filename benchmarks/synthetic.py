"""Synthetic catalogs of any size, for benchmarks and for trying large sources.

Deterministic: the same `size` and `seed` always give the same records. Names carry
the diacritics of the languages in the real lists (Hungarian, Polish, Czech, Romanian,
Vietnamese, Baltic, German, Albanian, Spanish), Russian and Ukrainian names are
transliterated (a few are in Cyrillic), notes are 50-300 characters, years run
1917-1991, and three sources overlap the way real lists do: two reliable ones that
share many records and an unreliable one whose records are partly its own.

The catalog is built column by column (`build_table_from_columns`), never as a million
`CatalogRecord`s; `SyntheticRecords` makes a record from the table only when asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, overload

import numpy as np
from defectors_catalog.domain.model import CatalogRecord, RecordWarning, Reliability, SourceSpec
from defectors_catalog.domain.query.table import (
    NO_YEAR,
    CatalogTable,
    TableColumns,
    build_table_from_columns,
)
from defectors_catalog.domain.reference.professions import OTHER, ProfessionClassifier
from defectors_catalog.domain.text import surname_first

DEFAULT_SEED = 1956
_T = TypeVar("_T")
Places = tuple[tuple[str, str], ...]  # (birthplace as a list writes it, country)
YEARS = (1917, 1991)
NOTE_LENGTH = (50, 300)

SOURCES = (
    SourceSpec(
        id="state-archive", title="State archive index (synthetic)", label="ARCH",
        path=Path("synthetic/state-archive.md"), layout="pipe-table",
        reliability=Reliability.RELIABLE, license="synthetic", origin="generated",
        retrieved="", colour="#2f6db5",
    ),
    SourceSpec(
        id="press-digest", title="Press digest (synthetic)", label="PRESS",
        path=Path("synthetic/press-digest.md"), layout="pipe-table",
        reliability=Reliability.RELIABLE, license="synthetic", origin="generated",
        retrieved="", colour="#2e8b57",
    ),
    SourceSpec(
        id="emigre-forum", title="Émigré forum list (synthetic)", label="FORUM",
        path=Path("synthetic/emigre-forum.txt"), layout="plain-rows",
        reliability=Reliability.UNRELIABLE, license="synthetic", origin="generated",
        retrieved="", colour="#c0392b",
    ),
)  # fmt: skip
# Which sources list a record: (subset, share of records). The two reliable lists
# overlap heavily; the forum repeats many of their records and has some of its own.
_LISTINGS = (
    (("state-archive",), 0.30),
    (("press-digest",), 0.12),
    (("emigre-forum",), 0.10),
    (("state-archive", "press-digest"), 0.25),
    (("state-archive", "emigre-forum"), 0.10),
    (("press-digest", "emigre-forum"), 0.05),
    (("state-archive", "press-digest", "emigre-forum"), 0.08),
)
WARNING_TEXT = {
    "only-unreliable": "Found only in \u201cÉmigré forum list (synthetic)\u201d; "
    "no reliable source lists this entry",
    "conflict": "Sources disagree on: notes, year",
    "possible-duplicate": "May be the same person as another record (names 91/100 alike)",
}
_CONFLICT_SHARE = 0.08  # of records listed by more than one source
_DUPLICATE_SHARE = 0.005
_SENTENCE_POOL = 8192  # distinct filled-in sentences notes are made of
_MOST_SENTENCES = 8
_NOTE_BATCH = 1 << 15


@dataclass(frozen=True)
class _Culture:
    share: float
    given: tuple[str, ...]
    family: tuple[str, ...]
    places: Places
    family_first: bool = False
    middle: tuple[str, ...] = ()  # patronymics or Vietnamese middle names


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _places(country: str, cities: str, also: Places = ()) -> Places:
    return ((country, country), *((f"{c}, {country}", country) for c in cities.split(";")), *also)


_CULTURES = (
    _Culture(
        0.12,
        _words(
            "László István József Zoltán Sándor Ferenc Gábor Tibor Attila Péter János "
            "Mihály Géza Ágnes Erzsébet Katalin Éva Zsuzsanna Ilona Tünde Jenő Dezső Ödön "
            "Győző Csaba Imre Lajos Béla Márta Judit"
        ),
        _words(
            "Kovács Szabó Tóth Nagy Horváth Kiss Molnár Németh Farkas Balogh Papp Takács "
            "Juhász Lakatos Mészáros Oláh Simon Rácz Fekete Szilágyi Török Fehér Kőszegi "
            "Fejér Kocsis Puskás Kalmár Szűcs Hegedűs Bíró Király Lengyel Vörös Gulyás "
            "Orbán Pásztor Sárközi Zsigmond Bárány Csóka"
        ),
        _places("Hungary", "Budapest;Debrecen;Szeged;Pécs;Győr;Miskolc;Székesfehérvár"),
    ),
    _Culture(
        0.12,
        _words(
            "Jan Andrzej Krzysztof Stanisław Tadeusz Jerzy Zbigniew Władysław Józef "
            "Wojciech Czesław Łukasz Bożena Małgorzata Agnieszka Grażyna Halina Jadwiga "
            "Żaneta Elżbieta"
        ),
        _words(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk "
            "Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel "
            "Majewski Olszewski Stępień Jaworski Miłosz Jarecki Łęcki Żółkiewski Gałązka "
            "Ślusarczyk"
        ),
        _places(
            "Poland",
            "Warsaw;Kraków;Łódź;Wrocław;Poznań;Gdańsk;Słupsk",
            (("Poland, Russian Empire", "Poland"),),
        ),
    ),
    _Culture(
        0.10,
        _words(
            "Jiří Jan Petr Josef Pavel Jaroslav Miroslav František Václav Zdeněk Bohumil "
            "Radek Věra Jana Marie Hana Alena Ludmila Zuzana Božena"
        ),
        _words(
            "Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec Pokorný "
            "Pospíšil Hájek Jelínek Růžička Beneš Fiala Sedláček Doležal Zeman Kolář "
            "Navrátil Čermák Vaněk Kříž Kratochvíl Šimek Štěpánek Buršík Čep Škvorecký "
            "Havlíček"
        ),
        _places("Czechoslovakia", "Prague;Brno;Bratislava;Ostrava;Plzeň;Košice;České Budějovice"),
    ),
    _Culture(
        0.08,
        _words(
            "Ion Gheorghe Constantin Vasile Nicolae Mihai Ștefan Dumitru Andrei Radu Elena "
            "Maria Ioana Ana Nadia Mirela Doina Florin Cătălin Răzvan"
        ),
        _words(
            "Popescu Ionescu Popa Pop Niculescu Stan Dumitrescu Dima Constantinescu Stoica "
            "Gheorghiu Matei Ciobanu Ștefănescu Rădulescu Munteanu Florea Lungu Mihăilescu "
            "Țurcanu Bălan Șerban Pacepa Comăneci Năstase Bărbulescu Tănase Pârvulescu"
        ),
        _places("Romania", "Bucharest;Cluj-Napoca;Timișoara;Iași;Constanța;Brașov"),
    ),
    _Culture(
        0.25,
        _words(
            "Aleksandr Sergei Vladimir Nikolai Yuri Mikhail Dmitri Andrei Oleg Viktor "
            "Anatoli Boris Arkady Grigori Pyotr Fyodor Yevgeny Vasily Konstantin Igor "
            "Natalia Olga Tatiana Irina Svetlana Lyudmila Galina Yelena Nadezhda Rudolf "
            "Владимир Наталья"
        ),
        _words(
            "Ivanov Smirnov Kuznetsov Popov Vasilyev Petrov Sokolov Mikhailov Novikov "
            "Fyodorov Morozov Volkov Alekseyev Lebedev Semyonov Yegorov Pavlov Kozlov "
            "Stepanov Nikolayev Orlov Zakharov Zaitsev Solovyov Belenko Gordievsky "
            "Shevchenko Rezun Baryshnikov Nureyev Godunov Korchnoi Granovsky Khokhlov "
            "Kravchenko Kovalenko Bondarenko Tkachenko Lysenko Marchenko Oliynyk Yakovlev "
            "Grigoryev Shcherbakov Zhukov Tsvetkov Fëdorov Semënov Щукин Жуков"
        ),
        (
            *_places("Russia", "Moscow;Leningrad;Novosibirsk;Sverdlovsk;Vladivostok"),
            *_places(
                "Ukraine", "Kyiv;Kharkiv;Odesa;Lviv", (("Ukraine, Russian Empire", "Ukraine"),)
            ),
            *_places("Belarus", "Minsk;Gomel"),
            *_places("Georgia", "Tbilisi"),
            *_places("Armenia", "Yerevan"),
            ("Ossetia", "Russia"),
        ),
        middle=_words(
            "Ivanovich Petrovich Sergeyevich Aleksandrovich Nikolayevich "
            "Vladimirovich Mikhailovich Fyodorovich Grigoryevich Borisovich"
        ),
    ),
    _Culture(
        0.10,
        _words(
            "Hans Klaus Jürgen Günter Wolfgang Manfred Dieter Horst Uwe Jörg Ursula "
            "Brigitte Renate Gisela Monika Karin Bärbel Sigrid Götz Ralf"
        ),
        _words(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
            "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann "
            "Braun Krüger Hartmann Lange Werner Krause Köhler Weiß Groß Jäger Böhm Fuchs "
            "Günther"
        ),
        _places("East Germany", "Leipzig;Dresden;Rostock;Karl-Marx-Stadt;Jena;Magdeburg"),
    ),
    _Culture(
        0.05,
        _words("Georgi Ivan Dimitar Nikolai Todor Hristo Stoyan Petar Yordanka Vesela"),
        _words(
            "Dimitrov Georgiev Todorov Stoyanov Nikolov Hristov Yordanov Markov Kovachev "
            "Angelov Iliev Petkov"
        ),
        _places("Bulgaria", "Sofia;Plovdiv;Varna;Burgas"),
    ),
    _Culture(
        0.04,
        _words("Mẫn Hùng Lan Bảo Anh Tuấn Hương Phương Dũng Thủy Hải Sơn Long Cường Trang"),
        _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Kiều"),
        _places("North Vietnam", "Hanoi;Hải Phòng;Nam Định", (("Vietnam", "Vietnam"),)),
        family_first=True,
        middle=_words("Văn Thị Đức Quốc Minh Hữu Thanh Ngọc"),
    ),
    _Culture(
        0.06,
        _words(
            "Jonas Vytautas Algirdas Rimantas Jānis Andris Aivars Tõnu Jaan Rūta Inga "
            "Kristīne Aušra Simas"
        ),
        _words(
            "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Kudirka "
            "Bērziņš Kalniņš Ozoliņš Liepiņš Krūmiņš Tamm Saar Sepp Mägi Kask Rebane "
            "Õunapuu"
        ),
        (
            *_places("Lithuania", "Vilnius;Kaunas;Klaipėda"),
            *_places("Latvia", "Riga;Liepāja"),
            *_places("Estonia", "Tallinn;Tartu"),
        ),
    ),
    _Culture(
        0.02,
        _words("Agim Arben Besnik Fatmir Gjergj Ilir Mehmet Drita Teuta Shpresa"),
        _words("Hoxha Shehu Gjoka Dervishi Çela Kopali Leka Marku Prifti Zogu"),
        _places("Albania", "Tirana;Durrës;Shkodër;Korçë"),
    ),
    _Culture(
        0.03,
        _words("José Juan Luis Carlos Jorge Alberto Ramón Orlando María Ana"),
        _words(
            "Rodríguez González Pérez García Fernández López Martínez Sánchez Díaz "
            "Hernández Renteria Núñez"
        ),
        _places("Cuba", "Havana;Santiago de Cuba;Camagüey"),
    ),
    _Culture(
        0.03,
        _words("Wei Fang Xiukai Jian Hong Ming Jun Lei Yan Tao Qiang Ping"),
        _words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Zuo"),
        _places("China", "Beijing;Shanghai;Harbin"),
        family_first=True,
    ),
)

_PROFESSIONS = (
    "Ballet dancer", "Principal dancer of the Kirov Ballet", "Chess player", "Chess grandmaster",
    "Footballer", "Ice hockey player", "Figure skater", "Gymnast", "Tennis player", "Boxer",
    "Cyclist", "Fencer", "Swimmer", "Water polo player", "KGB officer", "KGB agent",
    "GRU colonel", "StB agent", "Securitate general", "Stasi officer", "UB, lieutenant colonel",
    "Sigurimi officer", "MiG-25 pilot", "Fighter pilot", "Air Force captain", "Navy captain",
    "Tank commander", "Soldier", "Border guard", "Sailor", "Diplomat", "Ambassador",
    "Trade attaché", "Politician", "Party secretary", "Physicist", "Nuclear physicist",
    "Mathematician", "Chemist", "Biologist", "Engineer", "Aeronautical engineer",
    "Computer scientist", "Medical doctor", "Surgeon", "Writer", "Poet", "Novelist",
    "Journalist", "Translator", "Film director", "Actor", "Actress", "Opera singer",
    "Violinist", "Pianist", "Cellist", "Conductor", "Composer", "Painter", "Sculptor",
    "Photographer", "Architect", "Economist", "Historian", "Priest", "Lutheran minister",
    "Student", "Factory worker", "Truck driver", "",
)  # fmt: skip

# Note sentences; {p} a place, {n} a person, {y} a year, {k} a number.
_SENTENCES = (
    "Defected in {p} during a tour with the national team.",
    "Escaped with {n} across the border near {p}.",
    "Sought asylum at the embassy in {p} in {y}.",
    "Flew a MiG-21 to an airfield near {p} and asked for asylum.",
    "Jumped ship in {p} and was granted asylum after {k} weeks.",
    "Stayed behind in {p} after a concert tour with the state orchestra.",
    "Later worked for Radio Free Europe in München and wrote under the name {n}.",
    "Published a memoir in {y}, translated into {k} languages.",
    "Was sentenced to death in absentia; the sentence was annulled in {y}.",
    "Returned to {p} for the first time in {y}.",
    "Was questioned for {k} months before being resettled in {p}.",
    "The family was not allowed to leave until {y}, when {n} joined them in {p}.",
    "Crossed the Danube by night from {p} with a forged passport.",
    "Hid in the boot of a car driven by {n} through Checkpoint Charlie.",
    "Defected at the Olympic Games and later coached in {p}.",
    "Became a citizen in {y} and taught at a university near {p}.",
    "Passed documents to Western intelligence for {k} years before escaping via {p}.",
    "Wrote that the decision was made the night before leaving {p}.",
)  # fmt: skip
_NOTE_PLACES = (
    "Vienna", "West Berlin", "Kraków", "München", "Helsinki", "Stockholm", "Rønne",
    "Győr", "Bratislava", "Trieste", "Istanbul", "Montréal", "São Paulo", "Zürich",
    "København", "Genève", "Tōkyō", "Reykjavík",
)  # fmt: skip


@dataclass(frozen=True)
class SyntheticCatalog:
    """A generated catalog: its columns, sources, table and category labels."""

    columns: TableColumns
    sources: tuple[SourceSpec, ...]
    table: CatalogTable
    category_labels: dict[str, str]
    warning_text: dict[str, str]

    def __len__(self) -> int:
        return len(self.columns)


def synthetic_columns(
    size: int, classifier: ProfessionClassifier, seed: int = DEFAULT_SEED
) -> TableColumns:
    """`size` records, the same for the same seed."""
    rng = np.random.default_rng(seed)
    shares = np.array([c.share for c in _CULTURES])
    culture_of = rng.choice(len(_CULTURES), size=size, p=shares / shares.sum())
    picks = rng.random((size, 6))  # independent uniform draws per record
    names: list[str] = [""] * size
    places: list[str] = [""] * size
    countries: list[str] = [""] * size
    for index, culture in enumerate(_CULTURES):
        rows = np.flatnonzero(culture_of == index)
        _fill_people(culture, rows, picks, names, places, countries)
    no_place = picks[:, 5] < 0.03
    for row in np.flatnonzero(no_place).tolist():
        places[row] = countries[row] = ""

    professions = [_PROFESSIONS[i] for i in rng.integers(0, len(_PROFESSIONS), size).tolist()]
    category_of = {p: classifier.classify(p) if p else OTHER for p in _PROFESSIONS}
    years = _years(rng, size)
    notes = _notes(rng, size, names, years)
    alias_rows = rng.random(size) < 0.04
    aliases = [""] * size
    for row, other in zip(
        np.flatnonzero(alias_rows).tolist(),
        rng.integers(0, size, int(alias_rows.sum())).tolist(),
        strict=True,
    ):
        aliases[row] = names[other]

    listing_share = np.array([share for _, share in _LISTINGS])
    listing = rng.choice(len(_LISTINGS), size=size, p=listing_share / listing_share.sum())
    listed = [_LISTINGS[i][0] for i in listing.tolist()]
    conflict = (rng.random(size) < _CONFLICT_SHARE) & (listing >= 3)
    duplicate = rng.random(size) < _DUPLICATE_SHARE
    warnings: list[tuple[str, ...]] = []
    for sources, has_conflict, has_duplicate in zip(
        listed, conflict.tolist(), duplicate.tolist(), strict=True
    ):
        codes: tuple[str, ...] = ("only-unreliable",) if sources == ("emigre-forum",) else ()
        if has_conflict:
            codes += ("conflict",)
        if has_duplicate:
            codes += ("possible-duplicate",)
        warnings.append(codes)
    ids = [f"syn-{i:07d}" for i in range(size)]
    # Shared strings: a few distinct warning texts over all records.
    texts = {codes: " | ".join(WARNING_TEXT[c] for c in codes) for codes in set(warnings)}
    values: dict[str, Sequence[object]] = {
        "name": names,
        "alias": aliases,
        "profession": professions,
        "category": [category_of[p] for p in professions],
        "birthplace": places,
        "country": countries,
        "year": years,
        "notes": notes,
        "warning_text": [texts[codes] for codes in warnings],
        "surname": [surname_first(name) for name in names],
    }
    return TableColumns(ids=ids, values=values, sources=listed, warning_codes=warnings)


def synthetic_catalog(
    size: int, classifier: ProfessionClassifier, seed: int = DEFAULT_SEED
) -> SyntheticCatalog:
    columns = synthetic_columns(size, classifier, seed)
    labels = dict(classifier.labels)
    table = build_table_from_columns(columns, SOURCES, labels)
    return SyntheticCatalog(columns, SOURCES, table, labels, dict(WARNING_TEXT))


def write_source(columns: TableColumns, source_id: str, path: Path) -> int:
    """Write the records `source_id` lists as a pipe table, the Wikipedia export's layout
    (an alias goes in brackets after the name), to try `--add-source` with a big file.

    Returns the number of rows written.
    """
    rows = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"= {source_id} (synthetic) =\n\n")
        out.write("| Defector | Profession/ Prominence | Birthplace | Year | Notes |\n")
        out.write("|---|---|---|---|---|\n")
        for i in range(len(columns)):
            if source_id not in columns.sources[i]:
                continue
            name = columns["name"][i]
            if columns["alias"][i]:
                name = f"{name} ({columns['alias'][i]})"
            year = columns["year"][i]
            cells = (name, columns["profession"][i], columns["birthplace"][i],
                     "" if year is None else str(year), columns["notes"][i])  # fmt: skip
            out.write("| " + " | ".join(c.replace("|", "/") for c in cells) + " |\n")
            rows += 1
    return rows


def _fill_people(
    culture: _Culture,
    rows: np.ndarray,
    picks: np.ndarray,
    names: list[str],
    places: list[str],
    countries: list[str],
) -> None:
    if not len(rows):
        return
    draws = picks[rows]
    given = _choose(culture.given, draws[:, 0])
    family = _choose(culture.family, draws[:, 1])
    middle = _choose(culture.middle, draws[:, 2]) if culture.middle else [""] * len(rows)
    with_middle = (draws[:, 3] < (0.9 if culture.family_first else 0.3)).tolist()
    where = _choose(culture.places, draws[:, 4])
    for row, g, f, m, use_middle, (place, country) in zip(
        rows.tolist(), given, family, middle, with_middle, where, strict=True
    ):
        if culture.family_first:
            names[row] = f"{f} {m} {g}" if use_middle and m else f"{f} {g}"
        else:
            names[row] = f"{g} {m} {f}" if use_middle and m else f"{g} {f}"
        places[row] = place
        countries[row] = country


def _choose(options: Sequence[_T], draws: np.ndarray) -> list[_T]:
    index = np.minimum((draws * len(options)).astype(np.int64), len(options) - 1)
    return [options[i] for i in index.tolist()]


def _years(rng: np.random.Generator, size: int) -> list[int | None]:
    """1917-1991, more in the years people left in numbers (1956, 1968, the 1980s)."""
    span = np.arange(YEARS[0], YEARS[1] + 1)
    weight = np.ones(len(span))
    for peak, height in ((1945, 3.0), (1956, 6.0), (1961, 3.0), (1968, 5.0), (1981, 3.0)):
        weight += height * np.exp(-0.5 * ((span - peak) / 1.5) ** 2)
    weight += np.where(span >= 1970, 0.8, 0.0)
    chosen = rng.choice(span, size=size, p=weight / weight.sum()).tolist()
    missing = (rng.random(size) < 0.02).tolist()
    return [None if gone else year for year, gone in zip(chosen, missing, strict=True)]


def _notes(
    rng: np.random.Generator, size: int, names: Sequence[str], years: Sequence[int | None]
) -> list[str]:
    """A note per record: whole sentences up to a drawn length of 50-300 characters."""
    low, high = NOTE_LENGTH
    pool = _sentence_pool(rng, names)
    pool_length = np.array([len(s) + 1 for s in pool])
    notes: list[str] = []
    for start in range(0, size, _NOTE_BATCH):  # bounds the temporary lists
        count = min(_NOTE_BATCH, size - start)
        chosen = rng.integers(0, len(pool), (count, _MOST_SENTENCES))
        target = rng.integers(low, high + 1, count)
        running = np.cumsum(pool_length[chosen], axis=1)
        # Sentences while the note stays within its drawn length (at least one).
        taken = np.maximum((running <= target[:, None] + 1).sum(axis=1), 1)
        # Well short of the target: one sentence more, if it stays within the limit.
        rows = np.arange(count)
        short = running[rows, taken - 1] < target - 60
        longer = running[rows, np.minimum(taken, _MOST_SENTENCES - 1)] <= high + 1
        taken = np.minimum(taken + (short & longer), _MOST_SENTENCES)
        later = rng.integers(1, 25, count).tolist()
        for row, (picked, n) in enumerate(zip(chosen.tolist(), taken.tolist(), strict=True)):
            text = " ".join([pool[i] for i in picked[:n]])
            if len(text) > high:  # one sentence longer than the limit: cut at a word
                text = text[: text.rfind(" ", 0, high - 3)] + "..."
            elif len(text) < low:
                year = years[start + row] or 1960
                text += f" Listed again in {year + later[row]} with a corrected spelling."
            notes.append(text)
    return notes


def _sentence_pool(rng: np.random.Generator, names: Sequence[str]) -> list[str]:
    """Note sentences with their places, people, years and numbers filled in."""
    count = _SENTENCE_POOL
    template = rng.integers(0, len(_SENTENCES), count).tolist()
    place = rng.integers(0, len(_NOTE_PLACES), count).tolist()
    person = rng.integers(0, max(len(names), 1), count).tolist()
    year = rng.integers(YEARS[0], YEARS[1] + 1, count).tolist()
    number = rng.integers(2, 40, count).tolist()
    return [
        _SENTENCES[t].format(p=_NOTE_PLACES[pl], n=names[pe] if names else "a friend", y=y, k=k)
        for t, pl, pe, y, k in zip(template, place, person, year, number, strict=True)
    ]


class SyntheticRecords(Sequence[CatalogRecord]):
    """A generated catalog's records, each made from the table only when asked for.

    Only the table is kept (the generator's columns can go). A record made here has no
    source entries, diagnostics or inferred destination: a generated record has none.
    """

    def __init__(self, table: CatalogTable, warning_text: Mapping[str, str]) -> None:
        self._table = table
        self._text = table.text
        self._listed = {
            joined: tuple(joined.split(";")) if joined else ()
            for joined in dict.fromkeys(table.text["sources"])
        }
        self._warnings = {
            joined: tuple(RecordWarning(c, warning_text.get(c, c)) for c in joined.split(";"))
            if joined
            else ()
            for joined in dict.fromkeys(table.warning_codes)
        }

    def __len__(self) -> int:
        return len(self._table)

    @overload
    def __getitem__(self, index: int) -> CatalogRecord: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CatalogRecord]: ...
    def __getitem__(self, index: int | slice) -> CatalogRecord | Sequence[CatalogRecord]:
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._record(index)

    def __iter__(self) -> Iterator[CatalogRecord]:
        return (self._record(i) for i in range(len(self)))

    def _record(self, i: int) -> CatalogRecord:
        table, text = self._table, self._text
        year = int(table.year[i])
        return CatalogRecord(
            id=table.ids[i], name=text["name"][i], alias=text["alias"][i],
            profession=text["profession"][i],
            category=table.facets["category"].values[table.facets["category"].codes[i]],
            birthplace=text["birthplace"][i], country=text["country"][i],
            year=None if year == NO_YEAR else year, notes=text["notes"][i],
            sources=self._listed[text["sources"][i]], entries=(),
            warnings=self._warnings[table.warning_codes[i]],
        )  # fmt: skip
