"""Reading the ledgers named on the command line, and writing what commands print.

Shared by every command: a LEDGER argument is a file path, ``-`` for
standard input, or the name of a shipped ledger; output goes to standard
output made safe for a terminal, or to a file written atomically.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

import claims

from . import _atomic, files
from ._places import locate
from ._text import visible
from .errors import LedgerError, Problem, ProvenanceError
from .ledger import Ledger, merge, suggest
from .lint import lint

__all__ = [
    "SEED",
    "STDIN",
    "CommandError",
    "emit",
    "load_all",
    "load_argument",
    "merge_at_lines",
    "terminal",
    "warnings",
    "write_output",
]

SEED = "svr-pyongyang"
STDIN = "<stdin>"


class CommandError(ProvenanceError, ValueError):
    """Bad input to the command: a ledger that cannot be found, an unwritable output."""


# -- reading ledgers -------------------------------------------------------


def sniff(data: bytes) -> str:
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "toml"


def read_stdin(input_format: str | None) -> tuple[str, Ledger]:
    data = sys.stdin.buffer.read(files.DEFAULT_MAX_BYTES + 1)
    if len(data) > files.DEFAULT_MAX_BYTES:
        raise CommandError(
            f"{STDIN}: the input is larger than the limit of {files.DEFAULT_MAX_BYTES} bytes"
        )
    return STDIN, files.loads(data, input_format or sniff(data), name=STDIN)


def load_argument(
    argument: str, input_format: str | None, max_bytes: int = files.DEFAULT_MAX_BYTES
) -> tuple[str, Ledger]:
    """Read one LEDGER argument; return the name problems call it by, and the ledger."""
    if argument == "-":
        return read_stdin(input_format)
    shipped = claims.names()
    if argument in shipped and not os.path.exists(argument):
        path = claims.path(argument)
        try:
            return path.name, files.load(path)
        except LedgerError as error:
            raise error.located(file=path.name) from None
    suffix = os.path.splitext(argument)[1].lower()
    if not os.path.exists(argument) and not suffix and os.sep not in argument:
        hint = suggest(argument, shipped)
        raise CommandError(
            f"no ledger file or shipped ledger {argument!r}{hint};"
            f" shipped: {', '.join(shipped) or 'none'}"
        )
    if input_format is None and suffix not in (".toml", ".json", ".jsonl"):
        raise CommandError(
            f"{argument}: cannot tell the format from the file name;"
            " pass --input-format toml, json or jsonl"
        )
    return argument, files.load(argument, format=input_format, max_bytes=max_bytes)


def load_all(
    arguments: Sequence[str], input_format: str | None, max_bytes: int = files.DEFAULT_MAX_BYTES
) -> list[tuple[str, Ledger]]:
    if list(arguments).count("-") > 1:
        raise CommandError("standard input ('-') can be read only once")
    return [load_argument(argument, input_format, max_bytes) for argument in arguments]


# -- writing ---------------------------------------------------------------


def write_output(path: str, text: str | bytes | Iterable[str], end: bytes = b"") -> None:
    """Write `text` (UTF-8 when not bytes already) to `path`, atomically when
    `path` is a regular file or new.

    A regular file (or a symbolic link to one) is replaced in one step, so
    that readers see the old report or the new one, never half of one; it
    keeps its permission bits.  Anything else (``/dev/stdout``, a pipe, a
    device) is written straight through: a rename must never replace a
    device node.

    Raises:
        CommandError: The file cannot be written; the old one is then left
            as it was.
    """
    if isinstance(text, bytes):
        pieces: Iterable[bytes] = (text, end)
    else:
        # Piece by piece, the end apart: a long text is not copied whole.
        parts = (text,) if isinstance(text, str) else text
        pieces = itertools.chain((part.encode("utf-8") for part in parts), (end,))
    try:
        if _atomic.other_kind(path) is None:
            _atomic.replace(path, pieces)
        else:
            with open(path, "wb") as stream:
                stream.writelines(pieces)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from error


def emit(text: str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    stream.write(text)  # the line end apart: a long report is not copied to add one
    if not text.endswith("\n"):
        stream.write("\n")
    stream.flush()


def terminal(text: str) -> str:
    """Text safe for a terminal, line by line, keeping each line's indentation."""
    lines = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        lines.append(line[: len(line) - len(body)] + visible(body))
    return "\n".join(lines)


def at_lines(problems: Sequence[Problem]) -> list[Problem]:
    """`problems` at their lines in the TOML files they name, where the file can be read."""
    located = []
    for problem in problems:
        name = problem.file or ""
        if problem.line is None and name.lower().endswith(".toml") and os.path.isfile(name):
            with contextlib.suppress(OSError, UnicodeDecodeError), open(name, "rb") as stream:
                problem = locate([problem], stream.read().decode("utf-8"))[0]
        located.append(problem)
    return located


def merge_at_lines(loaded: Sequence[tuple[str, Ledger]]) -> Ledger:
    """The ledgers merged into one (`provenance.merge`), a conflict named at its line."""
    try:
        return merge(loaded)
    except LedgerError as error:
        raise LedgerError(at_lines(error.problems)) from None


def warnings(loaded: Sequence[tuple[str, Ledger]]) -> list[str]:
    """The lines that warn of what `provenance.lint` finds in each ledger, at its line in a file."""
    found = [problem.located(file=name) for name, ledger in loaded for problem in lint(ledger)]
    return [f"warning: {problem}" for problem in at_lines(found)]
