"""Parse the text of a ledger file into a plain tree of dicts, lists and values.

TOML goes through `tomllib`, JSON through `json`; both give the same tree.
Before either parser recurses into the text, a scan of its brackets refuses
nesting deeper than the parser can take, at the line and column of the
bracket that goes too deep.  After parsing, the tree is walked once to
report what a ledger cannot hold wherever it stands: duplicate JSON keys,
NaN and infinite numbers, integers too long for a float, unpaired surrogates
and nesting deeper than `MAX_DEPTH`.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from .errors import LedgerError, Problem

__all__ = ["MAX_DEPTH", "clip", "join", "parse", "short"]

#: How deeply tables and lists may nest; a ledger needs six levels.
MAX_DEPTH = 32

# tomllib recurses a few frames per level of brackets: what it is given is
# bounded well below the interpreter's default recursion limit.  Nesting past
# MAX_DEPTH but within this bound is reported at its place in the tree
# instead, which names the key.
TOML_PARSER_DEPTH = 4 * MAX_DEPTH

# Integers longer than this are refused: no ledger needs one, and one would
# overflow a float.
MAX_DIGITS = 64

LOCATION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")
SURROGATE = re.compile("[\ud800-\udfff]")
# The tokens that matter for nesting: strings (whose brackets do not count),
# comments, and brackets.  Each string pattern matches whatever follows its
# opening quote, closing quote or not, so that a scan stays linear in the
# length of the text: an unterminated string would otherwise be tried again
# from every quote inside it.
JSON_TOKENS = re.compile(r'"(?:[^"\\]+|\\[\s\S]?)*"?|[\[\]{}]')
TOML_TOKENS = re.compile(
    r'"""(?:[^"\\]+|\\[\s\S]?|"(?!""))*(?:"{3,5}|\Z)'
    r"|'''(?:[^']+|'(?!''))*(?:'{3,5}|\Z)"
    r'|"(?:[^"\\\n]+|\\.)*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
    r"|[\[\]{}]"
)


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as read, before duplicate keys are looked for."""


class _Number:
    """A number that a ledger cannot hold (NaN, infinite, too long), kept to be reported."""

    def __init__(self, text: str, why: str) -> None:
        self.text = text
        self.why = why


def _float(text: str) -> float | _Number:
    # Both parsers hand over valid float literals only; float() takes them all.
    value = float(text)
    return value if math.isfinite(value) else _Number(text, "is not a finite number")


def _int(text: str) -> int | _Number:
    if len(text.lstrip("+-")) > MAX_DIGITS:
        return _Number(text[:20] + "…", "is too long a number")
    return int(text)


def parse(text: str, fmt: str, name: str) -> dict[str, Any]:
    """The tree a TOML or JSON text holds, a dict with at least one key.

    Raises:
        LedgerError: The text does not parse, nests too deeply, or holds a
            value no ledger can; each problem is located.
    """
    if fmt == "toml":
        _check_depth(text, TOML_TOKENS, TOML_PARSER_DEPTH, name)
        try:
            raw: Any = tomllib.loads(text, parse_float=_float)
        except tomllib.TOMLDecodeError as error:
            raise LedgerError(_toml_problem(error, name)) from None
        except ValueError:
            # tomllib reports its own errors as TOMLDecodeError and parse_float
            # raises nothing: what is left is int() refusing a literal longer
            # than sys.get_int_max_str_digits(), which tomllib does not catch.
            raise LedgerError(Problem("a number has too many digits", file=name)) from None
    else:
        _check_depth(text, JSON_TOKENS, MAX_DEPTH, name)
        try:
            raw = json.loads(
                text,
                object_pairs_hook=_Pairs,
                parse_float=_float,
                parse_int=_int,
                parse_constant=lambda word: _Number(word, "is not a finite number"),
            )
        except json.JSONDecodeError as error:
            place = f"line {error.lineno}, column {error.colno}"
            raise LedgerError(Problem(error.msg, place, name)) from None
        if not isinstance(raw, _Pairs):
            raise LedgerError(
                Problem(
                    f"the top level must be a table (a JSON object), got {clip(text.strip())}",
                    file=name,
                )
            )
    problems: list[Problem] = []
    tree = _clean(raw, "", 1, problems)
    if problems:
        raise LedgerError(problem.located(name) for problem in problems)
    if not tree:
        raise LedgerError(Problem("the file holds no ledger (no keys at all)", file=name))
    assert isinstance(tree, dict)
    return tree


def _toml_problem(error: tomllib.TOMLDecodeError, name: str) -> Problem:
    """The problem tomllib found, at its line and column."""
    line, column, text = (getattr(error, key, None) for key in ("lineno", "colno", "msg"))
    if isinstance(line, int) and isinstance(column, int) and isinstance(text, str):
        return Problem(text, f"line {line}, column {column}", name)  # Python 3.14 and later
    # Before 3.14 the position exists only as the end of the message, which
    # tomllib always writes the same way.
    message = str(error)
    found = LOCATION.search(message)
    if not found:
        return Problem(message, file=name)
    return Problem(message[: found.start()], f"line {found[1]}, column {found[2]}", name)


def _check_depth(text: str, tokens: re.Pattern[str], limit: int, name: str) -> None:
    """Refuse brackets nested deeper than `limit`, before a parser recurses into them."""
    depth = 0
    for token in tokens.finditer(text):
        char = token[0]
        if char in "[{":
            depth += 1
            if depth > limit:
                offset = token.start()
                line = text.count("\n", 0, offset) + 1
                column = offset - text.rfind("\n", 0, offset)
                raise LedgerError(
                    Problem(
                        f"nested deeper than {MAX_DEPTH} levels",
                        f"line {line}, column {column}",
                        name,
                    )
                )
        elif char in "]}":
            depth -= 1


def _clean(value: Any, place: str, depth: int, problems: list[Problem]) -> Any:
    """Turn parsed JSON objects into dicts, and report duplicate keys and bad numbers."""
    if depth > MAX_DEPTH:
        problems.append(Problem(f"nested deeper than {MAX_DEPTH} levels", place or None))
        return None
    if isinstance(value, _Pairs | dict):
        table: dict[str, Any] = {}
        for key, item in value.items() if isinstance(value, dict) else value:
            if key in table:
                problems.append(Problem(f"duplicate key {key!r}", place or None))
                continue
            table[key] = _clean(item, join(place, key), depth + 1, problems)
        return table
    if isinstance(value, list):
        return [_clean(item, f"{place}[{i}]", depth + 1, problems) for i, item in enumerate(value)]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        value = _Number(str(value)[:20] + "…", "is too long a number")
    if isinstance(value, _Number):
        problems.append(Problem(f"{value.text} {value.why}", place or None))
    elif isinstance(value, str) and SURROGATE.search(value):
        problems.append(Problem(f"{short(value)} holds an unpaired surrogate escape", place))
    return value


def join(place: str | None, part: str | None) -> str:
    """A place in the tree and a key under it: ``join("sources[0]", "id")``."""
    return ".".join(p for p in (place, part) if p)


def short(value: Any) -> str:
    """`value` as a message quotes it, saying whether it is a table or a list, cut short."""
    prefix = (
        "a table " if isinstance(value, Mapping) else "a list " if isinstance(value, list) else ""
    )
    return clip(prefix + repr(value))


def clip(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
