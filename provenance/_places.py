"""Find the line of a place in a TOML text, so that problems name a line people can find.

`tomllib` keeps no positions for the values it reads.  When a file has
problems, `locate` scans its text once for what a ledger file is made of
(table headers such as ``[[propositions]]`` and ``[[propositions.claims]]``,
and ``key = value`` lines), skipping comments and multi-line strings, and
maps each place of the tree (``propositions[3].claims[8].stance``) to its
line and column.  A place the scan cannot see (an inline table, a dotted key
it does not follow) falls back to the nearest enclosing place it can.  The
scan runs only on the error path: loading a valid file never pays for it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs

from ._parse import TOML_TOKENS
from .errors import Problem

__all__ = ["Places", "bad_date", "locate"]

_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*([^\]#]*?)[ \t]*\]\]?[ \t]*(?:#.*)?\Z")
_KEY = re.compile(
    r"""[ \t]*((?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
    r"""(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*'))*)[ \t]*=[ \t]*"""
)
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*'""")
_ID_VALUE = re.compile(r"""(?:"([^"\\\n]*)"|'([^'\n]*)')""")
_INDEX = re.compile(r"\[\d+\]\Z")
_TOP_ENTRY = re.compile(r"(sources|propositions)\[(\d+)\]")
_POSITION = re.compile(r"line (\d+)")
_DATE_LIKE = re.compile(r"(?<![\w.:-])(\d{4})-(\d{2})-(\d{2})(?![\w:])")


def _parts(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _KEY_PART.findall(dotted)]


@attrs.define
class Places:
    """The places of a TOML text: where each table and key starts, and the ids of top-level entries.

    Attributes:
        at: Each place's line and column (1-based); a table's column is None.
        by_line: The place of the key on each line that holds one.
        ids: The id written in each ``sources[i]`` and ``propositions[i]`` table.
    """

    at: dict[str, tuple[int, int | None]] = attrs.field(factory=dict)
    by_line: dict[int, str] = attrs.field(factory=dict)
    ids: dict[str, str] = attrs.field(factory=dict)

    @classmethod
    def scan(cls, text: str) -> Places:
        """Scan a TOML text once, line by line."""
        places = cls()
        hidden = _lines_inside_strings(text)
        counts: dict[str, int] = {}
        table = ""
        for number, line in enumerate(text.split("\n"), start=1):
            if number in hidden:
                continue
            stripped = line.lstrip(" \t")
            if stripped.startswith("["):
                header = _HEADER.match(line)
                if header is None:
                    continue
                parts = _parts(header[2])
                table = _resolve(parts[:-1], counts)
                table = f"{table}.{parts[-1]}" if table else parts[-1] if parts else ""
                if header[1] == "[[":
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    table = f"{table}[{index}]"
                places.at.setdefault(table, (number, None))
                continue
            key = _KEY.match(line)
            if key is None:
                continue
            place = ".".join([table, *_parts(key[1])] if table else _parts(key[1]))
            places.at.setdefault(place, (number, key.end() + 1))
            places.by_line[number] = place
            if key[1] == "id" and _TOP_ENTRY.fullmatch(table):
                value = _ID_VALUE.match(line, key.end())
                if value is not None:
                    places.ids[table] = value[1] if value[1] is not None else value[2]
        return places

    def position(self, place: str | None) -> tuple[int | None, int | None]:
        """The line and column of `place`, or of the nearest enclosing place the scan saw."""
        while place:
            if place in self.at:
                return self.at[place]
            trimmed = _INDEX.sub("", place)
            place = trimmed if trimmed != place else place.rpartition(".")[0]
        return None, None

    def shown(self, place: str | None) -> str | None:
        """`place` as people read it: ``propositions 'toll-471' claims[8].stance``."""
        if not place:
            return None
        entry = _TOP_ENTRY.match(place)
        if entry is None or entry[0] not in self.ids:
            return None
        rest = place[entry.end() :].lstrip(".")
        return " ".join(part for part in (f"{entry[1]} {self.ids[entry[0]]!r}", rest) if part)


def _resolve(parts: list[str], counts: dict[str, int]) -> str:
    """The place of a dotted table name, each array of tables taken at its latest entry."""
    place = ""
    for part in parts:
        place = f"{place}.{part}" if place else part
        if place in counts:
            place = f"{place}[{counts[place] - 1}]"
    return place


def _lines_inside_strings(text: str) -> set[int]:
    """The numbers of the lines that start inside a multi-line string."""
    hidden: set[int] = set()
    if '"""' not in text and "'''" not in text:
        return hidden
    for token in TOML_TOKENS.finditer(text):
        if token[0][:3] in ('"""', "'''"):
            first = text.count("\n", 0, token.start()) + 1
            hidden.update(range(first + 1, first + token[0].count("\n") + 1))
    return hidden


def locate(problems: Iterable[Problem], text: str) -> list[Problem]:
    """`problems` with their line, column and readable place in the TOML `text`, in file order.

    Problems whose place is already a position (``line 3, column 7``) keep
    it, unless it is an impossible date that tomllib took for a syntax
    error; problems whose place names nothing in the text come first.
    """
    places = Places.scan(text)
    located = []
    for problem in problems:
        position = _POSITION.match(problem.place or "")
        if position is not None:
            # A syntax error: tomllib calls an impossible date one, which it is not.
            date = bad_date(text, int(position[1]), problem.file or "")
            located.append(attrs.evolve(date, file=problem.file) if date else problem)
            continue
        if problem.line is not None:
            located.append(problem)
            continue
        line, column = places.position(problem.place)
        located.append(
            attrs.evolve(problem, line=line, column=column, shown=places.shown(problem.place))
        )
    return sorted(located, key=lambda problem: problem.line or 0)


def bad_date(text: str, line: int, name: str) -> Problem | None:
    """A problem for an impossible date (``2023-10-32``) on `line` of a TOML text, if there is one.

    tomllib reports such a date as a syntax error ("Expected newline…");
    this says what is wrong and at which key.
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    content = lines[line - 1]
    for found in _DATE_LIKE.finditer(content):
        if content[: found.start()].count('"') % 2:
            continue  # inside a string
        try:
            dt.date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            places = Places.scan(text)
            place = places.by_line.get(line)
            return Problem(
                f"{found[0]!r} is not a date (YYYY-MM-DD)",
                place,
                name,
                line=line,
                column=found.start() + 1,
                shown=places.shown(place),
            )
    return None
