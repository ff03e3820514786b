"""Read and write ledger files: TOML for people, JSON for programs, JSON Lines for large ledgers.

`load` and `loads` turn a file (or its text) into a `Ledger`; `dumps` and
`save` do the reverse, and `save` replaces a file atomically, so that a crash
or a kill leaves the old file or the new one, never a mix.  Anything wrong
with a file, from a byte-order mark to a misspelt source id, comes out as one
`LedgerError` whose problems name the file, the place and the value (and in
a TOML file the line, found by `provenance._places` only when there are
problems), in file order, so that a command can print them all.  The work
is done in private modules, one per step: `provenance._input` (the path, the size limit, the bytes),
`provenance._parse` (text to a tree), `provenance._structure` (a tree to a
ledger and back) and `provenance._atomic` (replacing a file in one step).
JSON Lines files (``.jsonl``, one record per line, `provenance._jsonl`)
are read as a stream, limited per line rather than as a whole, and `append`
adds records to one without rewriting it.

>>> text = '''
... title = "Example"
... [[sources]]
... id = "kcna"
... name = "Korean Central News Agency"
... reliabilty = "E"
... '''
>>> try:
...     loads(text, "toml", name="example.toml")
... except LedgerError as error:
...     print(error)
example.toml:3: sources 'kcna': unknown key 'reliabilty' (did you mean 'reliability'?)
>>> ledger = loads(text.replace("reliabilty", "reliability"), "toml")
>>> print(dumps(ledger, "json"))
{
  "title": "Example",
  "sources": [
    {
      "id": "kcna",
      "name": "Korean Central News Agency",
      "kind": "other",
      "reliability": "E"
    }
  ],
  "propositions": []
}
"""

from __future__ import annotations

import json
import os

from . import _atomic, _jsonl
from ._input import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    check_format,
    decode,
    format_of,
    os_problem,
    path_name,
    paused_gc,
    read,
    refuse_larger,
    size_of,
)
from ._jsonl import DEFAULT_MAX_LINE_BYTES
from ._parse import MAX_DEPTH, parse
from ._places import locate
from ._structure import build, toml_text, tree
from .errors import LedgerError, Problem
from .ledger import Ledger
from .model import Claim, Proposition, Source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINE_BYTES",
    "FORMATS",
    "MAX_DEPTH",
    "append",
    "dumps",
    "load",
    "loads",
    "save",
]


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> Ledger:
    """Read a ledger file.

    Args:
        path: The file; its name is how problems refer to it.
        format: ``"toml"``, ``"json"`` or ``"jsonl"``; by default the suffix says.
        max_bytes: Refuse a larger TOML or JSON file.
        max_line_bytes: Refuse a JSON Lines file with a longer line (a JSON
            Lines file is read line by line, and has no limit as a whole).

    Raises:
        LedgerError: The file cannot be read, is too large, is not clean UTF-8
            text with LF line ends, does not parse, nests deeper than
            `MAX_DEPTH`, or breaks a rule of the format or of the ledger.  Its
            problems list each thing found.
    """
    name = path_name(path)
    fmt = format_of(name, format)
    if fmt == "jsonl":
        with paused_gc():
            return _jsonl.load(name, max_line_bytes)
    return loads(read(name, max_bytes), fmt, name=name, max_bytes=max_bytes)


def loads(
    data: str | bytes,
    format: str,
    *,
    name: str = "<string>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> Ledger:
    """Read a ledger from the text (or the bytes) of a file.

    Args:
        data: The text, or its UTF-8 bytes.
        format: ``"toml"``, ``"json"`` or ``"jsonl"``.
        name: How problems refer to the text, e.g. its file name.
        max_bytes: Refuse longer TOML or JSON data (text is measured in UTF-8 bytes).
        max_line_bytes: Refuse JSON Lines data with a longer line.

    Raises:
        LedgerError: As `load`.
    """
    fmt = check_format(format, name)
    with paused_gc():
        if fmt == "jsonl":
            return _jsonl.loads(data, name, max_line_bytes)
        if isinstance(data, str | bytes | bytearray | memoryview):
            refuse_larger(name, size_of(data, max_bytes), max_bytes)
        text = decode(data, name)
        try:
            return build(parse(text, fmt, name), name)
        except LedgerError as error:
            if fmt != "toml":
                raise
            # Only a file with problems is scanned for the lines they stand at.
            raise LedgerError(locate(error.problems, text)) from None


def dumps(ledger: Ledger, format: str) -> str:
    """The text of a ledger file; `loads` reads it back as an equal ledger.

    Values that are absent (None) or empty lists are left out, and so are
    policy settings that keep their default; the ``[policy]`` table is left out
    when it would be empty.

    Raises:
        TypeError: `ledger` is not a `Ledger`.
        LedgerError: `format` is not one of `FORMATS`.
    """
    if not isinstance(ledger, Ledger):
        raise TypeError(f"expected a Ledger, got {type(ledger).__name__}")
    fmt = check_format(format, "<dumps>")
    if fmt == "jsonl":
        return _jsonl.dumps(ledger)
    if fmt == "json":
        text = json.dumps(tree(ledger, fmt), ensure_ascii=False, indent=2, allow_nan=False)
        return text + "\n"
    return toml_text(tree(ledger, fmt))


def save(ledger: Ledger, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write a ledger file atomically.

    The text goes to a temporary file beside the target (``.<name>.<pid>.<random>.tmp``),
    is flushed to disk, and then replaces the target in one step: a crash or a
    kill leaves the old file or the new one.  An existing file keeps its
    permission bits; a symbolic link keeps pointing at the file it names.
    Temporary files left by a killed save of the same file are removed
    (those of processes that no longer run, and any older than a minute).

    Several processes may save the same file at once, without a lock: the
    last one to replace it wins, and every reader, at every moment, finds
    one complete ledger that one of them saved.  Nothing merges their
    changes: a process that read the file, changed it and saved it drops
    what another saved in between.

    Args:
        ledger: What to write.
        path: The file; its suffix says the format unless `format` does.
        format: ``"toml"``, ``"json"`` or ``"jsonl"``.

    Raises:
        LedgerError: The path names something other than a regular file (a
            directory, a device, a pipe) or holds a NUL character, the ledger
            holds text that UTF-8 cannot encode, or the file cannot be
            written; the old file is then left as it was.
    """
    name = path_name(path)
    fmt = format_of(name, format)
    try:
        data = dumps(ledger, fmt).encode("utf-8")
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise LedgerError(
            Problem(f"the ledger holds text that UTF-8 cannot encode: {bad!r}", file=name)
        ) from None
    try:
        kind = _atomic.other_kind(name)
        if kind is not None:
            raise LedgerError(Problem(f"refusing to replace {kind} with a ledger file", file=name))
        _atomic.replace(name, data)
    except OSError as error:
        raise os_problem(name, "cannot write the file", error) from error


def append(path: str | os.PathLike[str], *items: Source | Proposition | Claim) -> None:
    """Add sources, propositions or claims to the end of a JSON Lines ledger file.

    Nothing already in the file is read or rewritten: the new lines are
    written in one call to the end of the file (a new file gets a ledger
    record first) and flushed to disk, so a desk can add claims through
    the day while others read the file.  Whether their references resolve
    is checked when the file is loaded.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "desk.jsonl")
    >>> append(path, Source("kcna", "Korean Central News Agency"),
    ...        Proposition("visit", "Naryshkin visited Pyongyang."))
    >>> append(path, Claim("visit", "kcna", said_on="2024-06-12"))
    >>> for line in open(path):
    ...     print(line[:64].rstrip())
    {"ledger": {}}
    {"source": {"id": "kcna", "name": "Korean Central News Agency",
    {"proposition": {"id": "visit", "text": "Naryshkin visited Pyong
    {"claim": {"proposition": "visit", "source": "kcna", "stance": "
    >>> [claim.source for claim in load(path).claims]
    ['kcna']

    Raises:
        LedgerError: The path is not a ``.jsonl`` file, or cannot be written.
        TypeError: An item is not a `Source`, `Proposition` or `Claim`.
    """
    name = path_name(path)
    if format_of(name, None) != "jsonl":
        raise LedgerError(
            Problem("only a JSON Lines ledger (.jsonl) can be appended to", file=name)
        )
    kind = _atomic.other_kind(name)
    if kind is not None:
        raise LedgerError(Problem(f"refusing to append a ledger record to {kind}", file=name))
    try:
        _jsonl.append(name, items)
    except OSError as error:
        raise os_problem(name, "cannot write the file", error) from error
