# ruff: noqa: RUF001  (Cyrillic and dotless letters that look Latin are the point)
"""What Qt does with ICU, as one JSON object on stdout (run as a script).

test_trim_icu.py runs it twice, with the PySide6 wheel's own ICU data and with the
trimmed copy the bundle ships (LD_PRELOAD puts the copy in its place, as both carry the
soname libicudata.so.NN), and compares: every ICU call Qt makes (collation, case
mapping, time zones, converters) is exercised here.
"""

from __future__ import annotations

import functools
import json

from PySide6.QtCore import (
    QCollator,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QStringDecoder,
    QTime,
    QTimeZone,
)

# Names as the catalog holds them, in the scripts and languages people bring.
WORDS = (
    "Zoltán", "Csaba", "cukor", "czar", "Dzsenifer", "Gyula", "gazda", "Ödön", "Olga",
    "Ábel", "Abel", "Ánh", "Anh", "Ấn", "Đức", "Dung", "Ước", "Uyên", "Ёлкин", "Ежов",
    "Яковлев", "Аверин", "Щукин", "Шишкин", "Åberg", "Zeta", "Ärlig", "Öberg", "Müller",
    "Muller", "Çelik", "Ivan", "İsmail", "ılık", "Łukasz", "Lech", "Šimon", "Sara",
    "Chrudim", "Hana", "Ștefan", "Stan", "Їжак", "Ігор", "日本", "中国", "한국", "ß", "ss",
)  # fmt: skip
COLLATION_LOCALES = (
    "C", "en_US", "hu_HU", "vi_VN", "ru_RU", "uk_UA", "sv_SE", "de_DE", "cs_CZ", "pl_PL",
    "tr_TR", "ro_RO", "zh_CN", "ja_JP",
)  # fmt: skip
CASE_SAMPLES = (("tr_TR", "istanbul ılık İ"), ("de_DE", "straße"), ("el_GR", "άδεια"))
ENCODINGS = ("UTF-8", "UTF-16", "ISO-8859-1", "windows-1251", "KOI8-R", "Shift_JIS")


def probe() -> dict[str, object]:
    out: dict[str, object] = {}
    for name in COLLATION_LOCALES:
        collator = QCollator(QLocale(name))
        out[f"sort {name}"] = sorted(WORDS, key=functools.cmp_to_key(collator.compare))
        out[f"sort key {name}"] = sorted(WORDS, key=collator.sortKey)
        collator.setNumericMode(True)  # as the file dialog sorts file names
        files = ["file10.csv", "file2.csv", "File1.csv"]
        out[f"numeric {name}"] = sorted(files, key=functools.cmp_to_key(collator.compare))
    for name, text in CASE_SAMPLES:
        out[f"upper {name}"] = QLocale(name).toUpper(text)
        out[f"lower {name}"] = QLocale(name).toLower(text)
    zone = QTimeZone(b"Europe/Moscow")
    english = QLocale("en_US")
    out["zone name en"] = zone.displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, english
    )
    moment = QDateTime(QDate(2024, 3, 5), QTime(13, 4), zone)
    out["date en"] = english.toString(moment, QLocale.FormatType.LongFormat)
    out["date short ru"] = QLocale("ru_RU").toString(moment, QLocale.FormatType.ShortFormat)
    out["zones"] = len(QTimeZone.availableTimeZoneIds())
    out["decoders"] = {name: QStringDecoder(name).isValid() for name in ENCODINGS}
    return out


if __name__ == "__main__":
    app = QCoreApplication([])
    print(json.dumps(probe(), ensure_ascii=False))
