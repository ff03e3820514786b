"""Read and write ledger files: TOML for people, JSON for programs, the same tree in both.

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

from . import _atomic
from ._input import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    check_format,
    decode,
    format_of,
    os_problem,
    path_name,
    read,
    refuse_larger,
    size_of,
)
from ._parse import MAX_DEPTH, parse
from ._places import locate
from ._structure import build, toml_text, tree
from .errors import LedgerError, Problem
from .ledger import Ledger

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "MAX_DEPTH", "dumps", "load", "loads", "save"]


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Ledger:
    """Read a ledger file.

    Args:
        path: The file; its name is how problems refer to it.
        format: ``"toml"`` or ``"json"``; by default the suffix says.
        max_bytes: Refuse a larger file.

    Raises:
        LedgerError: The file cannot be read, is too large, is not clean UTF-8
            text with LF line ends, does not parse, nests deeper than
            `MAX_DEPTH`, or breaks a rule of the format or of the ledger.  Its
            problems list each thing found.
    """
    name = path_name(path)
    fmt = format_of(name, format)
    return loads(read(name, max_bytes), fmt, name=name, max_bytes=max_bytes)


def loads(
    data: str | bytes,
    format: str,
    *,
    name: str = "<string>",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Ledger:
    """Read a ledger from the text (or the bytes) of a file.

    Args:
        data: The text, or its UTF-8 bytes.
        format: ``"toml"`` or ``"json"``.
        name: How problems refer to the text, e.g. its file name.
        max_bytes: Refuse longer data (text is measured in UTF-8 bytes).

    Raises:
        LedgerError: As `load`.
    """
    fmt = check_format(format, name)
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
        format: ``"toml"`` or ``"json"``.

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
