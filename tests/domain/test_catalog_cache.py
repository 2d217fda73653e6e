"""The saved catalog: opened instead of built when nothing changed, rebuilt when
anything did or when the saved file is damaged, and never a reason for a load to fail."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
from defectors_catalog import paths
from defectors_catalog.domain.catalog import build as catalog_module
from defectors_catalog.domain.catalog import cache as catalog_cache
from defectors_catalog.domain.catalog import codec
from defectors_catalog.domain.catalog.build import OPENING_SAVED, Catalog, load_catalog
from defectors_catalog.domain.progress import CancelledError, Progress
from defectors_catalog.domain.query.engine import Query

HEADER = "| Defector | Profession | Birthplace | Year | Notes |"
PUSKAS_JR = "| Ferenc Puskas Jr | Footballer | Hungary | 1957 | x |"
ROW = "| Ada Nowak | Chemist | Kraków, Poland | 1971 | Defected to Sweden during a congress |"


def write_list(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def stages_of(**kwargs) -> tuple[Catalog, list[str]]:
    stages: list[str] = []
    progress = Progress(lambda stage, done, total: stages.append(stage))
    catalog = load_catalog(progress=progress, **kwargs)
    return catalog, list(dict.fromkeys(stages))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{catalog_cache.PREFIX}*{catalog_cache.SUFFIX}"))


def saved_entry(entry: Path) -> catalog_cache.Entry:
    """The key and file states an entry's header holds."""
    data = entry.read_bytes()
    start = len(catalog_cache.MAGIC) + 8
    header_end = start + int.from_bytes(data[len(catalog_cache.MAGIC) : start], "little")
    header = json.loads(data[start:header_end])
    files = tuple(
        (path, content, None if state is None else tuple(state))
        for path, content, state in header["files"]
    )
    return catalog_cache.Entry(header["key"], files)


def replace_payload(entry: Path, doc: object, arrays=()) -> None:
    """Put `doc` in the entry as its document, with a matching key, length and checksum."""
    assert catalog_cache.write(entry.parent, saved_entry(entry), doc, list(arrays)) == ""


def assert_same(built: Catalog, opened: Catalog) -> None:
    assert opened.records == built.records
    assert opened.sources == built.sources
    assert opened.parses == built.parses
    assert opened.candidates == built.candidates
    assert opened.problems == built.problems
    mine, theirs = opened.table, built.table
    assert mine.ids == theirs.ids
    assert mine.text == theirs.text
    assert mine.warning_codes == theirs.warning_codes
    assert mine.search_blob == theirs.search_blob
    assert mine.source_ids == theirs.source_ids
    for name in ("year", "source_bits", "source_count", "only_unreliable", "has_warnings",
                 "search_starts"):  # fmt: skip
        assert np.array_equal(getattr(mine, name), getattr(theirs, name)), name
    for coded in ("facets", "factors"):
        assert getattr(mine, coded).keys() == getattr(theirs, coded).keys()
        for key, column in getattr(theirs, coded).items():
            got = getattr(mine, coded)[key]
            assert (got.values, got.labels) == (column.values, column.labels), key
            assert np.array_equal(got.codes, column.codes), key
    assert mine.sort_keys.keys() == theirs.sort_keys.keys()
    for key, keys in theirs.sort_keys.items():
        assert np.array_equal(mine.sort_keys[key], keys), key
    for query in (Query(), Query(selections={"country": frozenset({"Hungary"})}, text="defected")):
        shown, expected = opened.engine.run(query), built.engine.run(query)
        assert shown.positions.tolist() == expected.positions.tolist()
        assert shown.facets == expected.facets


def test_a_saved_catalog_is_opened_instead_of_built(tmp_path):
    cache = tmp_path / "cache"
    built, building = stages_of(cache=cache)
    assert not built.from_cache and built.cache_note == ""
    assert len(entries(cache)) == 1
    opened, opening = stages_of(cache=cache)
    assert opened.from_cache
    assert opening == [OPENING_SAVED]
    assert OPENING_SAVED not in building and "Finding destinations in the notes" in building
    assert_same(built, opened)
    assert_same(load_catalog(), opened)
    # What the window and dialogs use from a catalog works on an opened one too.
    assert opened.classifier.classify("ballet dancer") == built.classifier.classify("ballet dancer")
    assert opened.gazetteer.lookup("Wien") == built.gazetteer.lookup("Wien") is not None
    assert opened.row_of == built.row_of


def test_an_edited_source_is_read_again(tmp_path):
    cache = tmp_path / "cache"
    source = write_list(tmp_path, "book.md", [ROW])
    first = load_catalog(extra=[(source, True)], cache=cache)
    assert len(first.records) == 186
    assert load_catalog(extra=[(source, True)], cache=cache).from_cache
    write_list(tmp_path, "book.md", [ROW, ROW.replace("Ada", "Ida")])
    second = load_catalog(extra=[(source, True)], cache=cache)
    assert not second.from_cache
    assert len(second.records) == 187
    assert load_catalog(extra=[(source, True)], cache=cache).from_cache


def test_a_source_that_appears_is_read(tmp_path):
    """A missing source left out with skip_unreadable is looked for again next time."""
    cache = tmp_path / "cache"
    source = tmp_path / "later.md"
    missing = load_catalog(extra=[(source, True)], skip_unreadable=True, cache=cache)
    assert len(missing.problems) == 1
    assert load_catalog(extra=[(source, True)], skip_unreadable=True, cache=cache).from_cache
    write_list(tmp_path, "later.md", [ROW])
    found = load_catalog(extra=[(source, True)], skip_unreadable=True, cache=cache)
    assert not found.from_cache and not found.problems and len(found.records) == 186


def test_other_inputs_are_other_entries(tmp_path):
    cache = tmp_path / "cache"
    source = write_list(tmp_path, "typo.md", [PUSKAS_JR])
    key = "ferenc-puskas-1956|ferenc-puskas-jr-1957"
    plain = load_catalog(extra=[(source, True)], cache=cache)
    same = load_catalog(extra=[(source, True)], decisions={key: "same-person"}, cache=cache)
    unreliable = load_catalog(extra=[(source, False)], cache=cache)
    assert not (plain.from_cache or same.from_cache or unreliable.from_cache)
    assert (len(plain.records), len(same.records)) == (186, 185)
    assert len(entries(cache)) == 3
    again = load_catalog(extra=[(source, True)], decisions={key: "same-person"}, cache=cache)
    assert again.from_cache and len(again.records) == 185
    assert load_catalog(extra=[(source, True)], cache=cache).from_cache


def test_edited_resources_rebuild_the_catalog(tmp_path):
    cache = tmp_path / "cache"
    resources = tmp_path / "resources"
    shutil.copytree(paths.resources_dir(), resources)
    before = load_catalog(resources=resources, cache=cache)
    assert load_catalog(resources=resources, cache=cache).from_cache
    rules = resources / "destinations.toml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace('towards = ["to", ', "towards = ["),
        encoding="utf-8",
    )
    after = load_catalog(resources=resources, cache=cache)
    assert not after.from_cache
    with_destination = sum(r.destination is not None for r in before.records)
    assert sum(r.destination is not None for r in after.records) < with_destination


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1], id="last-byte-missing"),
        pytest.param(lambda data: b"\x00\x13garbage" * 100, id="garbage"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[:-10] + bytes(10), id="payload-bytes-changed"),
        pytest.param(
            lambda data: data.replace(catalog_cache.MAGIC, b"defectors-catalog cache 0\n", 1),
            id="older-format",
        ),
        pytest.param(lambda data: pickle.dumps({"records": ()}), id="a-plain-pickle"),
        pytest.param(
            lambda data: data.replace(b'"key":', b'"key":' + b"[" * 100_000, 1),
            id="header-nested-100000-deep",
        ),
    ],
)
def test_a_damaged_entry_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    built = load_catalog(cache=cache)
    [entry] = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    rebuilt = load_catalog(cache=cache)
    assert not rebuilt.from_cache
    assert_same(built, rebuilt)
    assert load_catalog(cache=cache).from_cache  # and saved afresh


def test_an_entry_from_another_version_is_not_opened(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr("defectors_catalog.__version__", "0.0.1-old")
    assert len(load_catalog(cache=cache).records) == 185
    monkeypatch.undo()
    assert not load_catalog(cache=cache).from_cache
    assert len(entries(cache)) == 2
    assert load_catalog(cache=cache).from_cache


class Marker:
    """Unpickled, writes a marker file: what a crafted cache entry could run instead."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "code ran"))


@pytest.mark.parametrize("where", ["header", "payload"])
def test_a_crafted_entry_runs_no_code(tmp_path, where):
    """An entry written by someone else, with the right name, magic and key and a
    pickle that would run code, is never unpickled: nothing runs, the catalog is built."""
    cache = tmp_path / "cache"
    load_catalog(cache=cache)
    [entry] = entries(cache)
    saved = saved_entry(entry)
    marker = tmp_path / "marker"
    crafted = pickle.dumps((saved.key, saved.files, Marker(marker)))
    if where == "payload":
        body = pickle.dumps(Marker(marker))
        header = json.dumps({"key": saved.key, "files": saved.files}).encode()
        trailer = len(body).to_bytes(8, "little") + (0).to_bytes(4, "little")
        crafted_file = catalog_cache.MAGIC + len(header).to_bytes(8, "little") + header
        entry.write_bytes(crafted_file + body + trailer)
    else:
        entry.write_bytes(catalog_cache.MAGIC + len(crafted).to_bytes(8, "little") + crafted)
    rebuilt = load_catalog(cache=cache)
    assert not marker.exists()
    assert not rebuilt.from_cache and len(rebuilt.records) == 185
    assert load_catalog(cache=cache).from_cache


def test_the_app_never_unpickles():
    package = Path(catalog_module.__file__).parents[2]
    offenders = [
        path
        for path in package.rglob("*.py")
        if "pickle.load" in path.read_text(encoding="utf-8")
        or "allow_pickle=True" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_document_of_fields_this_version_lacks_is_rebuilt(tmp_path):
    """Under the right key, a document whose records have a field the code does not
    (as another version could write) is rebuilt rather than crash or half-open."""
    cache = tmp_path / "cache"
    built = load_catalog(cache=cache)
    [entry] = entries(cache)
    doc, arrays = codec.encode(*catalog_module._parts(built))
    doc["records"]["columns"]["shoe_size"] = {"values": [42] * len(built.records)}
    replace_payload(entry, doc, arrays)
    rebuilt = load_catalog(cache=cache)
    assert not rebuilt.from_cache and len(rebuilt.records) == 185
    assert load_catalog(cache=cache).from_cache


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda doc: doc["records"]["columns"]["name"].update(values=[1] * 185),
                     id="numbers-for-names"),
        pytest.param(lambda doc: doc["records"].update(count=10**9), id="too-many-records"),
        pytest.param(lambda doc: doc["table"]["facets"]["country"].update(codes=10**6),
                     id="no-such-array"),
        pytest.param(lambda doc: doc["table"].update(year=0), id="an-array-of-another-type"),
        pytest.param(lambda doc: doc.pop("gazetteer"), id="a-part-missing"),
        pytest.param(lambda doc: doc["table"]["text"]["warning_text"].update(derived="shoe_size"),
                     id="made-from-no-field"),
        pytest.param(lambda doc: doc["table"]["text"]["destination"].update(factor="shoe_size"),
                     id="spread-from-no-factor"),
        pytest.param(lambda doc: doc["table"]["text"]["alias"].update(records="year"),
                     id="text-from-numbers"),
        pytest.param(lambda doc: doc["records"]["columns"]["year"].update(distinct=["1956"]),
                     id="a-year-in-words"),
    ],
)  # fmt: skip
def test_a_document_of_another_shape_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    built = load_catalog(cache=cache)
    [entry] = entries(cache)
    doc, arrays = codec.encode(*catalog_module._parts(built))
    damage(doc)
    replace_payload(entry, doc, arrays)
    rebuilt = load_catalog(cache=cache)
    assert not rebuilt.from_cache and len(rebuilt.records) == 185
    replace_payload(entry, ["records", [], "table", None])
    assert not load_catalog(cache=cache).from_cache


def test_only_numeric_arrays_are_read(tmp_path):
    """An array described as objects (which numpy could only make with pickle) is refused."""
    cache = tmp_path / "cache"
    load_catalog(cache=cache)
    [entry] = entries(cache)
    data = entry.read_bytes()
    first = data.index(b'"arrays":[["') + len(b'"arrays":[[')
    dtype = data[first : data.index(b'"', first + 1) + 1]
    entry.write_bytes(data.replace(dtype, b'"|O"'.ljust(len(dtype)), 1))
    assert not load_catalog(cache=cache).from_cache


def test_the_format_names_every_field_of_the_classes_it_saves():
    for cls, fields in codec.SCHEMA.items():
        assert list(fields) == [f.name for f in dataclasses.fields(cls)], cls.__name__


def test_a_cache_that_cannot_be_written_never_fails_the_load(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    catalog = load_catalog(cache=blocker / "cache")
    assert len(catalog.records) == 185 and not catalog.from_cache
    assert "could not be saved" in catalog.cache_note


def test_a_failed_write_leaves_no_partial_file(tmp_path):
    cache = tmp_path / "cache"
    load_catalog(cache=cache)
    [entry] = entries(cache)
    entry.unlink()
    entry.mkdir()  # the rename into place fails
    catalog = load_catalog(cache=cache)
    assert len(catalog.records) == 185 and "could not be saved" in catalog.cache_note
    assert [p.name for p in cache.iterdir()] == [entry.name]


def test_a_full_disk_never_fails_the_load(tmp_path, monkeypatch):
    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(catalog_cache._Counted, "write", full)
    cache = tmp_path / "cache"
    catalog = load_catalog(cache=cache)
    assert len(catalog.records) == 185
    assert catalog.cache_note.endswith("No space left on device")
    assert list(cache.iterdir()) == []


def test_a_catalog_that_cannot_be_stored_is_not_saved(tmp_path, monkeypatch):
    parts = catalog_module._parts
    monkeypatch.setattr(catalog_module, "_parts", lambda catalog: (*parts(catalog), lambda: 0))
    cache = tmp_path / "cache"
    catalog = load_catalog(cache=cache)
    assert len(catalog.records) == 185 and "could not be saved" in catalog.cache_note
    assert not cache.exists() or list(cache.iterdir()) == []


def test_only_the_entries_used_last_are_kept(tmp_path):
    cache = tmp_path / "cache"
    for n in range(catalog_cache.KEEP + 2):
        load_catalog(decisions={f"a-{n}|b-{n}": "different-people"}, cache=cache)
    assert len(entries(cache)) == catalog_cache.KEEP
    newest = load_catalog(decisions={f"a-{n}|b-{n}": "different-people"}, cache=cache)
    assert newest.from_cache
    assert not load_catalog(decisions={"a-0|b-0": "different-people"}, cache=cache).from_cache


def test_cancelling_while_opening_keeps_nothing(tmp_path):
    cache = tmp_path / "cache"
    load_catalog(cache=cache)
    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        load_catalog(cache=cache, progress=progress)
    assert load_catalog(cache=cache).from_cache


def test_code_stamp_sees_an_edit_in_any_subpackage(tmp_path):
    # A saved catalog must not outlive the code that built it: an edit anywhere in the
    # package (here a layout reader two levels down) changes the stamp in the key.
    from defectors_catalog.domain.catalog.code_stamp import PACKAGE, compute_stamp

    copy = tmp_path / "defectors_catalog"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = compute_stamp(copy)
    assert before == compute_stamp(PACKAGE)
    reader = copy / "domain" / "sources" / "layouts" / "pipe_table.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert compute_stamp(copy) != before


def test_a_big_source_edited_in_place_is_read_again(tmp_path):
    """A source over a megabyte (once checked by size and mtime only) changed without
    changing either is still noticed: the saved catalog is not served stale."""
    cache = tmp_path / "cache"
    long_note = "a congress " * 1_700
    filler = [ROW.replace("during a congress", long_note).replace("1971", str(1920 + n))
              for n in range(60)]  # fmt: skip
    source = write_list(tmp_path, "big.md", filler)
    assert source.stat().st_size > 1 << 20
    before = load_catalog(extra=[(source, True)], cache=cache)
    assert load_catalog(extra=[(source, True)], cache=cache).from_cache
    status = source.stat()
    data = source.read_bytes()
    source.write_bytes(data.replace(b"Chemist", b"Physics", 1))
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size
    assert source.stat().st_mtime_ns == status.st_mtime_ns
    after = load_catalog(extra=[(source, True)], cache=cache)
    assert not after.from_cache
    assert [r.profession for r in after.records] != [r.profession for r in before.records]


def test_columns_made_from_the_records_are_not_stored_twice(tmp_path):
    """The table says which of its columns are the records' values (it was made from
    them): those are stored once, the records' repeated fields are stored from the
    table's factors, and all come back equal."""
    built = load_catalog()
    doc, arrays = codec.encode(*catalog_module._parts(built))
    text = doc["table"]["text"]
    assert text["name"] == {"records": "name"} and text["profession"] == {"records": "profession"}
    assert text["destination"] == {"factor": "destination"}
    assert text["category"] == {"factor": "category"}  # labels, not the records' ids
    assert text["warning_text"] == {"derived": "warning_text"}
    assert doc["table"]["ids"] == {"records": "id"}
    assert doc["table"]["warning_codes"] == {"factor": "warnings"}
    countries = doc["records"]["columns"]["country"]
    assert countries["distinct"] == list(built.table.factors["country"].values)
    opened = catalog_module._from_parts(json.loads(json.dumps(doc)), arrays, "")
    assert opened is not None
    assert_same(built, opened)
    assert "Nureyev, Rudolf" in opened.table.text["surname"]


def test_a_table_not_made_from_the_records_is_stored_whole():
    """A table that does not say it was made from the records (made from columns) has
    every column stored, and is opened as it was."""
    built = load_catalog()
    table = dataclasses.replace(built.table, from_records=frozenset())
    doc, arrays = codec.encode(*catalog_module._parts(dataclasses.replace(built, table=table)))
    assert "records" not in doc["table"]["text"]["name"]
    assert "records" not in doc["table"]["ids"]
    opened = catalog_module._from_parts(json.loads(json.dumps(doc)), arrays, "")
    assert opened is not None
    assert_same(built, opened)


def test_a_long_list_is_saved_in_slices_and_read_back_whole(tmp_path):
    """A document list longer than one encoded slice (a million entries' raw lines)
    reads back exactly, Cyrillic and quotes included."""
    seeds = [r.name for r in load_catalog().records]
    long = [f'{seeds[i % len(seeds)]} \u0418\u0432\u0430\u043d "{i}"' for i in range(70_001)]
    entry = catalog_cache.make_entry("long", [])
    assert catalog_cache.write(tmp_path, entry, {"names": long, "n": 1}, [np.arange(3)]) == ""
    saved = catalog_cache.read(tmp_path, "long")
    assert saved is not None
    doc, arrays, _ = saved
    assert doc == {"names": long, "n": 1}
    assert arrays[0].tolist() == [0, 1, 2]


def test_a_big_list_is_saved_as_text_columns_and_opened_the_same(tmp_path):
    """A list of thousands of rows (the seeds' people, each in fourteen years) saves its
    many different raw lines and notes as UTF-8 columns, and opens as it was built."""
    import csv

    rows = tmp_path / "years.csv"
    with rows.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("Name", "Profession", "Birthplace", "Year", "Notes"))
        for r in load_catalog().records:
            for k in range(14):
                year = "" if r.year is None else str(r.year + k)
                writer.writerow((r.name, r.profession, r.birthplace, year, r.notes))
    cache = tmp_path / "cache"
    built = load_catalog(extra=[(rows, False)], cache=cache)
    doc = codec.encode(*catalog_module._parts(built))[0]
    raw = doc["pools"]["SourceEntry"]["columns"]["raw"]
    assert set(raw) == {"text", "lengths"}
    assert set(doc["pools"]["SourceEntry"]["columns"]["line"]) == {"whole"}
    opened = load_catalog(extra=[(rows, False)], cache=cache)
    assert opened.from_cache
    assert_same(built, opened)


@pytest.mark.parametrize("lengths", [[1] * 3000, [-1, *[2] * 2999]], ids=["too-short", "negative"])
def test_text_columns_of_the_wrong_lengths_are_rebuilt(lengths):
    texts = np.frombuffer(("ab" + catalog_cache.TEXT_END).encode() * 3000, np.uint8)
    reader = codec._Reader([texts, np.array(lengths)])
    with pytest.raises(ValueError):
        codec._decode_plain(reader, {"text": 0, "lengths": 1}, 3000, codec._texts)


@pytest.mark.parametrize("count", [2999, 3001])
def test_text_columns_of_another_number_of_texts_are_rebuilt(count):
    texts = np.frombuffer(("ab" + catalog_cache.TEXT_END).encode() * 3000, np.uint8)
    reader = codec._Reader([texts, np.full(3000, 2)])
    with pytest.raises(ValueError):
        codec._decode_plain(reader, {"text": 0, "lengths": 1, "split": True}, count, codec._texts)


@pytest.mark.parametrize("streamed", [False, True], ids=["kept", "streamed"])
@pytest.mark.parametrize("nul", [False, True], ids=["split", "cut-at-lengths"])
def test_text_columns_keep_every_character(tmp_path, nul, streamed):
    """Texts come back as they were: any script, emoji, a file's undecodable byte, and a
    NUL in a text (read then by the lengths, not split at the NULs), whether the arrays
    are kept and written at the end or written into the file as they are made."""
    values = [f"{i} Kőszegi Иван \U0001f600 \udcff" for i in range(3000)]
    if nul:
        values[1234] = "a\x00b"
    entry = catalog_cache.make_entry("texts", [])
    if streamed:
        made = catalog_cache.write_made(tmp_path, entry, lambda sink: codec._plain(
            codec._Writer(sink), values))  # fmt: skip
        assert made == ""
    else:
        writer = codec._Writer()
        column = codec._plain(writer, values)
        assert set(column) == {"text", "lengths"}
        assert catalog_cache.write(tmp_path, entry, column, writer.arrays) == ""
    saved = catalog_cache.read(tmp_path, "texts")
    assert saved is not None
    doc, arrays, _ = saved
    assert ("split" in doc) is not nul
    assert codec._decode_plain(codec._Reader(arrays), doc, 3000, codec._texts) == values
