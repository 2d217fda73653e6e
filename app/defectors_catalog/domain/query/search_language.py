"""The search box's language: parsed here into a tree, evaluated by the engine into masks.

    ballet dancer               every word somewhere (case and accents set aside)
    "west berlin"               a phrase
    name:nureyev  country:hungary  source:fandom  year:1950..1959  year:>1980
    -ballet  -country:russia    negation
    ballet OR dancer            OR (AND binds tighter); parentheses group

The names after which a `:` may stand come from the field and facet registries
(`fields.FIELDS`, `facets.FACETS`), so a facet declared there is searchable with no
change here. Nothing in this module touches records: `evaluate` combines the masks a
`TermMasks` gives for each term with numpy AND/OR/NOT.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from defectors_catalog.domain.facets import FACETS, FacetKind
from defectors_catalog.domain.fields import FIELD, FIELDS, SEARCH_FIELDS, Kind
from defectors_catalog.domain.text import fold

BoolArray = npt.NDArray[np.bool_]

# Fields whose values the table keeps factorised (few distinct values): a term matches
# them a distinct value at a time.
_VALUE_KINDS = frozenset({Kind.REPEATED, Kind.LABELLED, Kind.WARNINGS})
YEAR_LIMIT = 9999


@dataclass(frozen=True)
class SearchName:
    """What may stand before a `:`: the facet it filters by and/or the field it searches
    (both for `warnings:`, which is a facet and the warning codes), or the years."""

    name: str
    title: str
    facet: str = ""  # a facet key, whose values are matched by label or id
    field: str = ""  # a field key, whose text is matched as the search box matches it
    years: bool = False


@dataclass(frozen=True)
class SearchError:
    """A term the language cannot read: where it is in the text, and why, in one line."""

    start: int
    end: int
    message: str


class SearchSyntaxError(ValueError):
    """Raised by `parse`; holds the `SearchError` (its span and message)."""

    def __init__(self, error: SearchError) -> None:
        super().__init__(error.message)
        self.error = error


# -- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Folded text to find: anywhere (`target` None) or in one name's facet or field."""

    folded: str
    target: SearchName | None
    start: int
    end: int


@dataclass(frozen=True)
class Years:
    """Records with a year from `low` to `high`, both included."""

    low: int
    high: int
    start: int
    end: int


@dataclass(frozen=True)
class Not:
    """The records `node` does not match."""

    node: Node


@dataclass(frozen=True)
class AllOf:
    """Every one of `nodes` (an empty query: every record)."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one of `nodes`."""

    nodes: tuple[Node, ...]


Node = Text | Years | Not | AllOf | AnyOf


# -- names ------------------------------------------------------------------------------


def _names() -> dict[str, SearchName]:
    names: dict[str, SearchName] = {}
    for facet in FACETS:
        if facet.kind is FacetKind.RANGE:
            entry = SearchName(facet.key, facet.title, years=True)
        else:
            # A field of the same key that is not the column the facet counts says
            # something else (`warnings`: the flag, and the warning codes): both match.
            same = FIELD.get(facet.key)
            other = same is not None and same.key != facet.column and _searchable(same.key)
            entry = SearchName(facet.key, facet.title, facet.key, facet.key if other else "")
        for name in (facet.key, facet.key.replace("_", "-"), facet.option):
            if name:
                names.setdefault(name, replace(entry, name=name))
    for spec in FIELDS:
        if spec.key not in names and _searchable(spec.key):
            names[spec.key] = SearchName(spec.key, spec.title, field=spec.key)
    return names


def _searchable(key: str) -> bool:
    spec = FIELD[key]
    return spec.searched or spec.kind in _VALUE_KINDS


NAMES: dict[str, SearchName] = _names()


def search_names() -> tuple[SearchName, ...]:
    """Every name a term may start with (`country`, `source`, `year`, ...), for completion;
    one entry per name, other spellings included (`source` and `sources`)."""
    return tuple(NAMES[name] for name in sorted(NAMES))


def quoted(value: str) -> str:
    """A value as it is typed after `name:`: in quotes when it holds a space or a sign
    the language reads (`country:"East Germany"`)."""
    if value and not re.search(r'[\s"():]', value) and not value.startswith("-"):
        return value
    return '"' + value.replace('"', "") + '"'


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "term", "(", ")", "or", "and", "not"
    start: int
    end: int
    name: str = ""  # a term's name before ':' ("" for a plain word or phrase)
    name_end: int = 0
    value: str = ""
    value_start: int = 0
    phrase: bool = False


_NAME = re.compile(r"[A-Za-z][A-Za-z_-]*")
_STOP = frozenset(' \t\n\r\f\v()"')


def _fail(start: int, end: int, message: str) -> SearchSyntaxError:
    return SearchSyntaxError(SearchError(start, max(end, start + 1), message))


def _phrase(text: str, start: int) -> tuple[str, int]:
    """The text inside the quote at `start`, and where after the closing quote."""
    close = text.find('"', start + 1)
    if close < 0:
        raise _fail(start, len(text), 'this quote is not closed: add a " after the phrase')
    return text[start + 1 : close], close + 1


def _tokens(text: str) -> Iterator[_Token]:
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            yield _Token(char, i, i + 1)
            i += 1
        elif char == "-" and (i + 1 == n or text[i + 1].isspace()):
            raise _fail(i, i + 1, "a '-' needs a term right after it (-ballet, -country:russia)")
        elif char == "-":
            yield _Token("not", i, i + 1)
            i += 1
        elif char == '"':
            value, end = _phrase(text, i)
            yield _Token("term", i, end, value=value, value_start=i + 1, phrase=True)
            i = end
        else:
            end = i
            while end < n and text[end] not in _STOP:
                end += 1
            word = text[i:end]
            colon = word.find(":")
            named = _NAME.fullmatch(word[:colon]) if colon > 0 else None
            if word in {"OR", "AND"}:
                yield _Token(word.lower(), i, end)
            elif named is not None:
                token = _named_term(text, i, i + colon, end)
                yield token
                end = token.end  # a quoted value runs past the first space
            else:
                yield _Token("term", i, end, value=word, value_start=i)
            i = end


def _named_term(text: str, start: int, colon: int, end: int) -> _Token:
    name = text[start:colon]
    value_start = colon + 1
    if value_start < len(text) and text[value_start] == '"':
        value, end = _phrase(text, value_start)
        return _Token("term", start, end, name, colon, value, value_start + 1, phrase=True)
    return _Token("term", start, end, name, colon, text[value_start:end], value_start)


class _Parser:
    """Recursive descent over the tokens: OR of ANDs of (negated) terms and groups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokens(text))
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        node = self.any_()
        extra = self.peek()
        if extra is not None:  # only a ')' can stop the top level early
            raise _fail(extra.start, extra.end, "this ')' has no '(' before it")
        return node

    def any_(self) -> Node:
        nodes = [self.all_()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            following = self.peek()
            if following is None or following.kind in {")", "or"}:
                raise _fail(token.start, token.end, "OR needs a term on both sides")
            nodes.append(self.all_())
        return nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes))

    def all_(self) -> Node:
        nodes: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in {")", "or"}:
            if token.kind == "and":
                self.take()
                following = self.peek()
                if not nodes or following is None or following.kind in {")", "or", "and"}:
                    raise _fail(token.start, token.end, "AND needs a term on both sides")
                continue
            nodes.append(self.unary())
        if not nodes:
            token = self.peek()
            if token is not None and token.kind == "or":
                raise _fail(token.start, token.end, "OR needs a term on both sides")
            if token is not None and self.at > 0 and self.tokens[self.at - 1].kind == "(":
                opening = self.tokens[self.at - 1]
                raise _fail(opening.start, token.end, "these parentheses hold nothing")
            return AllOf(())
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    def unary(self) -> Node:
        token = self.take()
        if token.kind == "not":
            following = self.peek()
            if following is None or following.kind not in {"term", "(", "not"}:
                raise _fail(token.start, token.end, "a '-' needs a term right after it")
            return Not(self.unary())
        if token.kind == "(":
            node = self.any_()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise _fail(token.start, token.end, "this '(' is not closed: add a ')'")
            self.take()
            if node == AllOf(()):
                raise _fail(token.start, closing.end, "these parentheses hold nothing")
            return node
        if token.kind == "term":
            return self.term(token)
        raise _fail(token.start, token.end, f"unexpected {token.kind!r}")  # pragma: no cover

    def term(self, token: _Token) -> Node:
        if not token.name:
            return _text(token.value, None, token.start, token.end, token.phrase)
        target = NAMES.get(token.name.lower())
        if target is None:
            known = ", ".join(sorted(NAMES))
            raise _fail(
                token.start, token.name_end,
                f"unknown field {token.name!r}; known: {known} "
                '(put the word in quotes to search for it as it is)',
            )  # fmt: skip
        if not token.value.strip():
            raise _fail(
                token.start, token.end,
                f"{token.name}: needs a value, e.g. {token.name}:{_example(target)}",
            )  # fmt: skip
        if target.years:
            return _years(token.value.strip(), token.value_start, token.end, token.name)
        return _text(token.value, target, token.start, token.end, token.phrase)


def _example(target: SearchName) -> str:
    if target.years:
        return "1950..1959"
    return {"country": "hungary", "sources": "fandom"}.get(target.facet, "word")


def _text(value: str, target: SearchName | None, start: int, end: int, phrase: bool) -> Node:
    folded = fold(value)
    if (phrase or target is not None) and not folded:
        raise _fail(start, end, "these quotes hold nothing" if phrase else "nothing to search for")
    if phrase or target is not None:
        return Text(folded, target, start, end)
    # A word can fold into several ('北京' -> 'bei jing'): each must match, as before.
    words = sorted(set(folded.split()), key=len, reverse=True)
    nodes = tuple(Text(w, None, start, end) for w in words)
    return nodes[0] if len(nodes) == 1 else AllOf(nodes)


_RANGE = re.compile(r"(?P<low>\d{1,4})?\.\.(?P<high>\d{1,4})?")
_COMPARED = re.compile(r"(?P<op>>=|<=|>|<|=)?(?P<year>\d{1,4})")


def _years(value: str, start: int, end: int, name: str) -> Years:
    span = (start - len(name) - 1, end)
    ranged = _RANGE.fullmatch(value)
    if ranged is not None and (ranged["low"] or ranged["high"]):
        low = int(ranged["low"]) if ranged["low"] else 0
        high = int(ranged["high"]) if ranged["high"] else YEAR_LIMIT
        if low > high:
            raise _fail(*span, f"{name}:{value} runs backwards; write {name}:{high}..{low}")
        return Years(low, high, *span)
    compared = _COMPARED.fullmatch(value)
    if compared is None:
        raise _fail(
            *span,
            f"{name}:{value} is not a year; write {name}:1956, {name}:1950..1959, "
            f"{name}:>1980 or {name}:<=1960",
        )  # fmt: skip
    year, op = int(compared["year"]), compared["op"] or "="
    low, high = {
        "=": (year, year), ">": (year + 1, YEAR_LIMIT), ">=": (year, YEAR_LIMIT),
        "<": (0, year - 1), "<=": (0, year),
    }[op]  # fmt: skip
    return Years(low, high, *span)


def parse(text: str) -> Node:
    """The tree of a search text; raises `SearchSyntaxError` (with the span) when a term
    cannot be read. An empty text is `AllOf(())`: every record."""
    return _Parser(text).parse()


def find_error(text: str) -> SearchError | None:
    """The first problem with `text` (what the search box underlines), or None."""
    try:
        parse(text)
    except SearchSyntaxError as exc:
        return exc.error
    return None


def positive_words(node: Node) -> tuple[str, ...]:
    """The folded text a result's cells can highlight: every term searched in the text
    fields that is not negated."""
    found: list[str] = []

    def walk(part: Node) -> None:
        if isinstance(part, Text):
            if part.target is None or part.target.field in SEARCH_FIELDS:
                found.append(part.folded)
        elif isinstance(part, AllOf | AnyOf):
            for child in part.nodes:
                walk(child)

    walk(node)
    return tuple(dict.fromkeys(found))


# -- evaluating -------------------------------------------------------------------------


class TermMasks(Protocol):
    """What the engine answers for one term: a mask over all records."""

    def everything(self) -> BoolArray: ...

    def text(self, folded: str, target: SearchName | None) -> BoolArray: ...

    def years(self, low: int, high: int) -> BoolArray: ...


def evaluate(node: Node, masks: TermMasks) -> BoolArray:
    """The records `node` asks for, combining the terms' masks with numpy (an empty
    query gives `masks.everything()` itself, which the engine reads as "no filter")."""
    if isinstance(node, Text):
        return masks.text(node.folded, node.target)
    if isinstance(node, Years):
        return masks.years(node.low, node.high)
    if isinstance(node, Not):
        return ~evaluate(node.node, masks)
    if isinstance(node, AllOf):
        if not node.nodes:
            return masks.everything()
        combined = evaluate(node.nodes[0], masks)
        for child in node.nodes[1:]:
            combined = combined & evaluate(child, masks)
        return combined
    combined = evaluate(node.nodes[0], masks)
    for child in node.nodes[1:]:
        combined = combined | evaluate(child, masks)
    return combined


_HELP = """\
Search syntax

Plain words: every word must appear somewhere in the name, alias, profession,
birthplace or notes; case and accents are ignored (koszegi finds Kőszegi).

  "west berlin"          a phrase, word for word
  name:nureyev           a word in one field: name, alias, profession, birthplace, notes
  country:hungary        a filter's value, by its label or id
  source:fandom          sources by id, badge or title (wikipedia, WP-25, fan)
  year:1956              one year; year:1950..1959 a range; year:>1980, year:<=1960
  -ballet                leave out the records that match (-country:russia)
  ballet OR dancer       either; AND binds tighter: ballet OR dancer soviet
  (ballet OR dancer) -hungary
                         parentheses group

A value with spaces goes in quotes: country:"east germany". A filter's value matches its
label exactly, else as whole words, else as the start of a word. A term that cannot be
read is underlined, with the reason.

Fields: {fields}
Filters: {filters}
"""


def _help() -> str:
    """The help with the names of the registries' fields and filters filled in."""
    fields = [n for n, t in NAMES.items() if t.field and not t.facet and n == t.field]
    filters = [n for n, t in NAMES.items() if (t.facet or t.years) and "_" not in n]
    return _HELP.format(fields=", ".join(fields), filters=", ".join(filters))


SEARCH_HELP = _help()
