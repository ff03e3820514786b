"""JSON Lines ledgers: one record per line, read in one streaming pass, appendable.

Each line is a JSON object with one key naming the kind of record, holding
the same table a TOML or JSON ledger file holds for it::

    {"ledger": {"title": "Pyongyang visit", "as_of": "2024-06-30", "policy": {"prior": 0.4}}}
    {"source": {"id": "kcna", "name": "Korean Central News Agency", "reliability": "E"}}
    {"proposition": {"id": "visit", "text": "Naryshkin visited Pyongyang."}}
    {"claim": {"proposition": "visit", "source": "kcna", "said_on": "2024-06-12"}}

The ``ledger`` record (title, dates, policy) comes first or not at all;
sources, propositions and claims follow in any order, so that a desk can
append a claim, or a new source and then its claim, to the end of the file
through the day without rewriting it.  A claim names its proposition.
References are checked once the whole file is read, and every problem is
reported at its line: ``desk.jsonl:12: source: no source 'kcn'``.
There is no limit on the size of the file, only on the length of a line.
``docs/format-jsonl.md`` describes the format.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ._parse import SURROGATE, short
from ._structure import _structure
from .errors import LedgerError, Problem
from .ledger import Ledger
from .model import Claim, Proposition, Source, is_slug

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "KINDS",
    "append",
    "dumps",
    "lines_of_tree",
    "load",
    "loads",
]

#: Lines longer than this many bytes are refused unless given a larger ``max_line_bytes``.
DEFAULT_MAX_LINE_BYTES = 1024 * 1024

#: The kinds of record, each the one key of its line.
KINDS = ("ledger", "source", "proposition", "claim")

# Integers longer than this are refused, as in the other formats.
MAX_DIGITS = 64
# More problems than this and reading stops: a broken file can hold a
# million, and the first ones say what is wrong.
MAX_PROBLEMS = 1000
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class _Refused(Exception):
    """A value no ledger can hold, raised from inside the JSON parser."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"duplicate key {key!r}")
            seen.add(key)
    return table


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"{text} is not a finite number")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise _Refused(f"{text[:20]}… is too long a number")
    return int(text)


def _constant(word: str) -> Any:
    raise _Refused(f"{word} is not a finite number")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=_float, parse_int=_int, parse_constant=_constant
)


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_lone_surrogate(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


# -- reading ---------------------------------------------------------------


class _Reader:
    """The records of one file, gathered line by line, then checked as one ledger."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.records = 0
        self.sources: list[tuple[int, Source]] = []
        self.propositions: list[tuple[int, Proposition]] = []
        self.claims: list[tuple[int, Claim]] = []
        # A line that cannot be read may hold what others refer to: then
        # references are not checked, lest each be reported as missing.
        self.unreadable = False

    def fail(self, line: int, message: str, place: str | None = None) -> None:
        self.problems.append(Problem(message, place, self.name, line=line))
        if len(self.problems) >= MAX_PROBLEMS:
            raise LedgerError(self.problems)

    def line(self, number: int, raw: bytes) -> None:
        """Read one line (its bytes, without the line end)."""
        try:
            record = self.parse(raw)
        except _Refused as error:
            self.fail(number, str(error))
            self.unreadable = True
            return
        if record is not None:
            self.records += 1
            self.record(number, record)

    @staticmethod
    def parse(raw: bytes) -> Any:
        """The record on a line, None for a blank line.

        Raises:
            _Refused: The line is not one record of clean JSON.
        """
        if raw.endswith(b"\r"):
            raise _Refused("CRLF line ends are not accepted; save the file with LF line ends")
        if b"\0" in raw:
            raise _Refused("NUL byte in the file; a ledger file is text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.end]
            raise _Refused(
                f"not valid UTF-8 (byte {bad.hex(' ')}); save the file as UTF-8"
            ) from None
        if not text.strip():
            return None  # blank lines are allowed, e.g. at the end of the file
        try:
            record = _DECODER.decode(text)
        except json.JSONDecodeError as error:
            raise _Refused(f"{error.msg} (column {error.colno})") from None
        except RecursionError:
            raise _Refused("nested too deeply") from None
        if "\\u" in text and _LONE_SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(record):
            raise _Refused("holds an unpaired surrogate escape")
        return record

    def record(self, number: int, record: Any) -> None:
        """Structure one parsed record."""
        if not isinstance(record, dict) or len(record) != 1 or next(iter(record)) not in KINDS:
            self.fail(
                number,
                f'expected a record such as {{"claim": {{...}}}}, one of {", ".join(KINDS)};'
                f" got {short(record)}",
            )
            return
        [(kind, body)] = record.items()
        found: list[Problem] = []
        if kind == "ledger":
            if self.records != 1:
                self.fail(number, "the ledger record must be the first line of the file")
                return
            header = _structure(Ledger, body, "", found)
            if header is not None:
                self.meta = header._metadata()
        elif kind == "source":
            source = _structure(Source, body, "", found)
            if source is None and is_slug(_raw_id(body)):
                # A stand-in keeps references to a broken source from being reported twice.
                source = Source(_raw_id(body), "-")
            if source is not None:
                self.sources.append((number, source))
        elif kind == "proposition":
            proposition = _structure(Proposition, body, "", found)
            if proposition is None and is_slug(_raw_id(body)):
                proposition = Proposition(_raw_id(body), "-")
            if proposition is not None:
                self.propositions.append((number, proposition))
        else:
            self.claim(body, number, found)
        for problem in found:
            self.fail(number, problem.message, problem.place)

    def claim(self, body: Any, number: int, found: list[Problem]) -> None:
        if isinstance(body, dict) and "proposition" in body:
            body = dict(body)
            bears_on = body.pop("proposition")
        else:
            if isinstance(body, dict):
                found.append(Problem("missing required key 'proposition'"))
            bears_on = "unknown"
        claim = _structure(Claim, body, "", found, proposition=bears_on)
        if claim is not None and not found:
            self.claims.append((number, claim))

    def ledger(self) -> Ledger:
        """The ledger read, once every line has been."""
        if not self.records and not self.problems:
            raise LedgerError(Problem("the file holds no record", file=self.name))
        if self.unreadable:
            raise LedgerError(self.problems)
        lines = {
            "sources": [number for number, _ in self.sources],
            "propositions": [number for number, _ in self.propositions],
            "claims": [number for number, _ in self.claims],
        }
        try:
            ledger = Ledger.from_objects(
                (source for _, source in self.sources),
                (proposition for _, proposition in self.propositions),
                (claim for _, claim in self.claims),
                **self.meta,
            )
        except LedgerError as error:
            for problem in error.problems:
                self.problems.append(self._relocate(problem, lines))
        if self.problems:
            raise LedgerError(self.problems)
        return ledger

    def _relocate(self, problem: Problem, lines: dict[str, list[int]]) -> Problem:
        """Map a place of `Ledger.from_objects` (``claims[7].source``) to its line."""
        found = re.match(r"(sources|propositions|claims)\[(\d+)\]\.?", problem.place or "")
        if not found:
            return Problem(problem.message, problem.place, self.name)
        rest = (problem.place or "")[found.end() :]
        line = lines[found[1]][int(found[2])]
        return Problem(problem.message, rest or None, self.name, line=line)


def _raw_id(raw: Any) -> Any:
    return raw.get("id") if isinstance(raw, dict) else None


def _too_long(name: str, number: int, max_line_bytes: int) -> LedgerError:
    return LedgerError(
        Problem(
            f"the line is longer than the limit of {max_line_bytes} bytes;"
            " pass a larger max_line_bytes to read it",
            file=name,
            line=number,
        )
    )


def _check_start(reader: _Reader, first: bytes) -> None:
    from ._input import BYTE_ORDER_MARKS

    for mark, encoding in BYTE_ORDER_MARKS:
        if first.startswith(mark):
            raise LedgerError(
                Problem(
                    f"the file starts with a {encoding} byte-order mark;"
                    " save it as UTF-8 without a byte-order mark",
                    file=reader.name,
                    line=1,
                )
            )


def _read(lines: Iterable[bytes], name: str, max_line_bytes: int) -> Ledger:
    reader = _Reader(name)
    number = 0
    for number, line in enumerate(lines, 1):
        if number == 1:
            _check_start(reader, line)
        if len(line) > max_line_bytes + 1 or (len(line) > max_line_bytes and line[-1:] != b"\n"):
            raise _too_long(name, number, max_line_bytes)
        reader.line(number, line[:-1] if line.endswith(b"\n") else line)
    return reader.ledger()


def load(name: str, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Ledger:
    """Read the JSON Lines ledger file `name`, one line at a time.

    Raises:
        LedgerError: The file cannot be read, a line is longer than
            `max_line_bytes`, or anything in it breaks the format or an
            integrity rule; each problem names its line.
    """
    from ._input import os_problem, read_regular

    try:
        with read_regular(name) as stream:

            def lines() -> Iterator[bytes]:
                while line := stream.readline(max_line_bytes + 2):
                    yield line

            return _read(lines(), name, max_line_bytes)
    except OSError as error:
        raise os_problem(name, "cannot read the file", error) from error


def loads(data: str | bytes, name: str, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Ledger:
    """Read a JSON Lines ledger from its text or its UTF-8 bytes.

    Raises:
        LedgerError: As `load`.
        TypeError: `data` is neither text nor bytes.
    """
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raise TypeError(f"expected str or bytes, got {type(data).__name__}")
    return _read(_lf_lines(raw), name, max_line_bytes)


def _lf_lines(raw: bytes) -> Iterator[bytes]:
    """`raw` split after each LF only (``bytes.splitlines`` also splits at a lone CR)."""
    start = 0
    while start < len(raw):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end + 1
        yield raw[start:end]
        start = end


# -- writing ---------------------------------------------------------------


def _line(kind: str, body: dict[str, Any]) -> str:
    return json.dumps({kind: body}, ensure_ascii=False, allow_nan=False) + "\n"


def lines_of_tree(tree: dict[str, Any]) -> Iterator[str]:
    """The lines of a JSON Lines file holding the ledger `tree` (as a JSON ledger file holds it).

    The ledger record first, then the sources, then each proposition
    followed by its claims.
    """
    header = {key: value for key, value in tree.items() if key not in ("sources", "propositions")}
    yield _line("ledger", header)
    for source in tree.get("sources", ()):
        yield _line("source", source)
    for proposition in tree.get("propositions", ()):
        body = {key: value for key, value in proposition.items() if key != "claims"}
        yield _line("proposition", body)
        for claim in proposition.get("claims", ()):
            yield _line("claim", {"proposition": body["id"], **claim})


def dumps(ledger: Ledger) -> str:
    """The text of a JSON Lines ledger file; `loads` reads it back as an equal ledger."""
    from ._structure import tree

    return "".join(lines_of_tree(tree(ledger, "json")))


def record_line(item: Source | Proposition | Claim) -> str:
    """The line of one source, proposition or claim, as `append` writes it."""
    from ._structure import _table

    kinds = {Source: "source", Proposition: "proposition", Claim: "claim"}
    kind = kinds.get(type(item))
    if kind is None:
        raise TypeError(f"expected a Source, Proposition or Claim, got {type(item).__name__}")
    body = _table(item, "json")
    if isinstance(item, Claim):
        body = {"proposition": item.proposition, **body}
    return _line(kind, body)


def append(name: str, items: Iterable[Source | Proposition | Claim]) -> None:
    """Add records to the end of a JSON Lines ledger file, writing nothing else.

    The lines are written with one ``write`` call on a file opened for
    appending, then flushed to disk, so that several processes appending
    at once do not interleave within a line.  A file that does not end
    with a line break gets one first.  The references of what is appended
    are checked when the file is next read.

    Raises:
        TypeError: An item is not a source, a proposition or a claim.
        OSError: The file cannot be written.
    """
    text = "".join(record_line(item) for item in items)
    data = text.encode("utf-8")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    descriptor = os.open(name, flags, 0o666)
    try:
        size = os.fstat(descriptor).st_size
        if size:
            with open(name, "rb") as stream:
                stream.seek(size - 1)
                if stream.read(1) != b"\n":
                    data = b"\n" + data
        else:
            data = _line("ledger", {}).encode("utf-8") + data
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
