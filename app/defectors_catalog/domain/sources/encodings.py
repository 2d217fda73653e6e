"""Telling which encoding a text file was saved in, and saying so; never guessing silently.

A byte-order mark, then the NUL pattern of BOM-less UTF-16/32, then strict UTF-8 decide
at once. Anything else is one of the single-byte code pages people's lists come in
(Excel on Windows saves cp1252; Russian Windows cp1251; Czech, Polish and Hungarian
ISO-8859-2). Those are told apart by what each decoding looks like: charset-normalizer's
mess ratio plus two marks of a wrong code page it does not weigh for short files — C1
control characters (latin-1 reading cp1252's curly quotes) and symbols inside words
(cp1252 reading ISO-8859-2's `š` as `¹` in "Milo¹"). When two code pages give different
text that both look right (Hungarian `ő` is `õ` in cp1252), the file is refused naming
both, so the person chooses.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from defectors_catalog.domain.errors import SourceReadError

# What a person can choose in the Add dialog, and what detection considers; the first
# of several code pages that give the same text is the one named.
SINGLE_BYTE = ("cp1252", "iso-8859-2", "cp1251", "latin-1")
CHOICES = ("utf-8", "utf-16", "utf-32", *SINGLE_BYTE, "cp1250", "koi8-r")
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16 with BOM",
    "utf-16-le": "UTF-16 LE without BOM",
    "utf-16-be": "UTF-16 BE without BOM",
    "utf-32": "UTF-32 with BOM",
    "utf-32-le": "UTF-32 LE without BOM",
    "utf-32-be": "UTF-32 BE without BOM",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "ISO-8859-1 (latin-1)",
    "iso-8859-2": "ISO-8859-2 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1250": "Windows-1250 (Central European)",
    "koi8-r": "KOI8-R (Cyrillic)",
}
_SAMPLE = 8192
# A symbol that no language writes against a letter: 'Milo¹', '©ejna' (ISO-8859-2's
# 'Miloš', 'Šejna' read as cp1252).
_SYMBOL = r"[\u00a1-\u00bf\u00d7\u00f7\u2020-\u2122]"
_SYMBOL_IN_WORD = re.compile(rf"(?<=[^\W\d_]){_SYMBOL}|{_SYMBOL}(?=[^\W\d_])")
_C1 = re.compile(r"[\x80-\x9f]")


@dataclass(frozen=True)
class Decoded:
    """A file's text, the codec it was decoded with, and what else would read the same."""

    text: str
    encoding: str  # a codec name from LABELS
    same_as: tuple[str, ...] = ()  # other code pages that give exactly this text
    chosen: bool = False  # the person named the encoding

    @property
    def label(self) -> str:
        label = LABELS.get(self.encoding, self.encoding)
        if self.chosen:
            return f"{label}, as chosen"
        if self.same_as:
            return f"{label} (reads the same as {', '.join(self.same_as)})"
        return label


class EncodingUnsureError(SourceReadError):
    """Two or more encodings give different text that looks right; the person chooses."""

    def __init__(self, message: str, candidates: tuple[str, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


def check_encoding(name: str) -> str:
    """The codec's own name for a name a person typed ('Windows-1252' -> 'cp1252')."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise SourceReadError(
            f"unknown encoding {name!r}; for example: {', '.join(CHOICES)}"
        ) from None
    canonical = info.name.replace("_", "-")
    aliases = {"iso8859-1": "latin-1", "iso8859-2": "iso-8859-2", "cp1251": "cp1251"}
    return aliases.get(canonical, canonical)


def decode(data: bytes, name: str, encoding: str = "") -> Decoded:
    """`data` as text: in `encoding` when given, else in the encoding detected.

    Raises SourceReadError for binary data or bytes invalid in the given encoding, and
    EncodingUnsureError when detection cannot tell two plausible encodings apart.
    """
    if encoding:
        return _decode_as(data, name, check_encoding(encoding))
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: it starts with UTF-16-LE's BOM
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError as exc:
                raise SourceReadError(
                    f"{name}: marked as {LABELS[codec]} but not valid: {exc.reason}"
                ) from None
    if b"\x00" in data[:_SAMPLE]:
        wide = _bomless_wide(data)
        if wide is not None:
            return wide
        raise SourceReadError(f"{name}: looks like a binary file (it contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        failure = exc
    if _has_utf8_sequences(data):
        # Mostly UTF-8 with a stray byte: any code page would turn its accents into
        # mojibake ('KovÃ¡cs'), so it is refused with where the bad byte is.
        line = data.count(b"\n", 0, failure.start) + 1
        raise SourceReadError(
            f"{name}: not UTF-8 text (byte 0x{data[failure.start]:02X} on line {line}); "
            "save it as UTF-8 and try again"
        )
    return _single_byte(data, name)


# Codecs in which every byte below 0x80 is that ASCII character: a CR or LF byte always
# ends a line there, so a file's first lines can be decoded without the rest.
_LINE_SAFE = frozenset(("utf-8", "utf-8-sig", *SINGLE_BYTE, "cp1250", "koi8-r"))


def decode_head(data: bytes, encoding: str, size: int) -> str | None:
    """The text of the whole lines in `data[:size]`, decoded as `decode` decodes all of
    `data`; None when only the whole file can tell (a file of at most `size` bytes,
    UTF-16/32, NUL bytes, or a start that is not UTF-8 when detecting).

    A big list is sniffed by its first lines, and decoding only them must give exactly
    what the whole decode starts with: a chosen single-byte code page decodes byte by
    byte; detection reads a start that is valid UTF-8 the same way as the whole file
    (an ASCII start reads alike in every single-byte code page, and a start with UTF-8
    sequences makes any other reading of the file a refusal). When the rest of the
    file turns out not to be valid, reading it fails anyway, with the whole file's
    message.
    """
    if len(data) <= size:
        return None
    head = data[:size]
    cut = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    if not cut or b"\x00" in head:
        return None
    codec = check_encoding(encoding) if encoding else "utf-8"  # a UTF-16/32 mark fails
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    if codec not in _LINE_SAFE:
        return None
    try:
        return head[:cut].decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_as(data: bytes, name: str, codec: str) -> Decoded:
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceReadError(
            f"{name}: not valid {LABELS.get(codec, codec)} (byte 0x{data[exc.start]:02X} on "
            f"line {line})"
        ) from None
    return Decoded(text, codec, chosen=True)


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold at least one well-formed multi-byte UTF-8 character."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data) is not None


def _bomless_wide(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 saved without a byte-order mark, told by where the NULs are.

    Latin text in UTF-16-LE has every odd byte NUL; Cyrillic has 0x04 there, so the
    high lane need only be NUL now and then (spaces, digits, `|`) and the low lane never.
    UTF-32 has its two high bytes NUL for every character people write.
    Decoded only when the result is printable text, so binary files are still refused.
    """
    sample = data[:_SAMPLE]
    width_lanes = (
        (4, (2, 3), 0, "utf-32-le"),
        (4, (0, 1), 3, "utf-32-be"),
        (2, (1,), 0, "utf-16-le"),
        (2, (0,), 1, "utf-16-be"),
    )
    for width, zero_lanes, text_lane, codec in width_lanes:
        if len(data) % width or len(sample) < 4 * width:
            continue
        units = len(sample) // width
        high = [sample[lane::width].count(0) / units for lane in zero_lanes]
        low = sample[text_lane::width].count(0)
        if min(high) < (0.9 if width == 4 else 0.05) or low:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _printable_share(text[:_SAMPLE]) >= 0.95:
            return Decoded(text, codec)
    return None


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    fine = sum(1 for ch in text if ch in "\t\r\n" or unicodedata.category(ch)[0] != "C")
    return fine / len(text)


def _single_byte(data: bytes, name: str) -> Decoded:
    from charset_normalizer.md import mess_ratio  # only for files that are not UTF-8

    texts: dict[str, list[str]] = {}
    for codec in SINGLE_BYTE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        texts.setdefault(text, []).append(codec)
    scored = []
    for text, codecs_giving in texts.items():
        words = _SYMBOL_IN_WORD.findall(text) + _C1.findall(text)
        non_ascii = sum(1 for ch in text if ord(ch) > 127) or 1
        odd = len(words) / non_ascii
        mess = mess_ratio(text[:200_000], maximum_threshold=1.0)
        scored.append((odd + mess, codecs_giving, text))
    scored.sort(key=lambda s: s[0])
    best_score, best_codecs, best_text = scored[0]
    rivals = [s for s in scored[1:] if s[0] - best_score < 0.02]
    if rivals or best_score > 0.3:
        candidates = tuple(c for s in [scored[0], *rivals] for c in s[1][:1])
        raise EncodingUnsureError(
            f"{name}: not UTF-8, and its encoding cannot be told for sure: it reads as "
            f"{' or '.join(candidates)}; choose one (--encoding NAME on the command line)",
            candidates,
        )
    return Decoded(best_text, best_codecs[0], tuple(best_codecs[1:]))
