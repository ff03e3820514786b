"""Read and write ledger files: TOML for people, JSON for programs, the same tree in both.

`load` and `loads` turn a file (or its text) into a `Ledger`; `dumps` and
`save` do the reverse, and `save` replaces a file atomically, so that a crash
or a kill leaves the old file or the new one, never a mix.  Anything wrong
with a file, from a byte-order mark to a misspelt source id, comes out as one
`LedgerError` whose problems name the file, the place and the value, so that
a command can print them all:

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
example.toml: sources[0]: unknown key 'reliabilty' (did you mean 'reliability'?)
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

import contextlib
import datetime as dt
import enum
import json
import math
import os
import re
import secrets
import stat
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
import tomli_w
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .errors import LedgerError, PolicyError, Problem, ProvenanceError
from .ledger import Ledger, suggest
from .model import Claim, Proposition, Source, is_slug
from .policy import Policy

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "MAX_DEPTH",
    "dumps",
    "load",
    "loads",
    "save",
    "write_atomic",
]

T = TypeVar("T")

#: The file formats, by name; a file's suffix (``.toml``, ``.json``) names its format.
FORMATS = ("toml", "json")

#: Files larger than this many bytes are refused unless `load` is given a larger ``max_bytes``.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024

#: How deeply tables and lists may nest; a ledger needs six levels.
MAX_DEPTH = 32

# tomllib recurses once per level of brackets: what it is given is bounded
# well below the interpreter's recursion limit, whatever that is set to.
# Nesting past MAX_DEPTH but within this bound is reported at its place in
# the tree instead, which names the key.
TOML_PARSER_DEPTH = 4 * MAX_DEPTH

# Integers longer than this are refused: no ledger needs one, and one would
# overflow a float.
MAX_DIGITS = 64

# Stale temporary files of a killed save are removed when at least this old (seconds).
STALE_AFTER = 60.0

META = ("title", "as_of", "lang", "publisher", "url")

# Keys that the model knows but a file must not spell, with the reason.
NOT_IN_FILE: dict[tuple[type, str], str] = {
    (Claim, "proposition"): "a claim bears on the proposition it is nested under",
    (Policy, "as_of"): "as_of belongs at the top of the ledger, not in [policy]",
}
# Keys a file spells but the class does not hold (they are read separately).
ALSO_KNOWN: dict[type, tuple[str, ...]] = {
    Ledger: ("sources", "propositions"),
    Proposition: ("claims",),
}
HINTS: dict[tuple[type, str], str] = {
    **NOT_IN_FILE,
    (Ledger, "claims"): "claims nest under their proposition: [[propositions.claims]]",
}

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
BYTE_ORDER_MARKS = (
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


# -- public API ------------------------------------------------------------


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
    name = _path_name(path)
    fmt = _format_of(name, format)
    return loads(_read(name, max_bytes), fmt, name=name, max_bytes=max_bytes)


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
    fmt = _check_format(format, name)
    if isinstance(data, str | bytes | bytearray | memoryview):
        size = _size(data, max_bytes)
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
    text = _decode(data, name)
    tree = _parse(text, fmt, name)
    return _build(tree, name)


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
    fmt = _check_format(format, "<dumps>")
    converter = _CONVERTERS[fmt]
    meta = converter.unstructure(ledger)
    sources = [converter.unstructure(source) for source in ledger.sources]
    propositions = []
    for proposition in ledger.propositions:
        entry = converter.unstructure(proposition)
        claims = [converter.unstructure(claim) for claim in ledger.claims_on(proposition.id)]
        if claims:
            entry["claims"] = claims
        propositions.append(entry)
    policy = ledger.policy.non_defaults()
    policy.pop("as_of", None)
    if fmt == "json":
        tree = {**meta, "sources": sources, "propositions": propositions}
        if policy:
            tree["policy"] = policy
        return json.dumps(tree, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return _toml_text(meta, sources, propositions, policy)


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
    name = _path_name(path)
    fmt = _format_of(name, format)
    try:
        data = dumps(ledger, fmt).encode("utf-8")
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise LedgerError(
            Problem(f"the ledger holds text that UTF-8 cannot encode: {bad!r}", file=name)
        ) from None
    target = os.path.realpath(name)
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise _os_problem(name, "cannot write the file", error) from error
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise LedgerError(
            Problem(
                f"refusing to replace {_file_kind(existing.st_mode)} with a ledger file",
                file=name,
            )
        )
    try:
        write_atomic(target, data)
    except OSError as error:
        raise _os_problem(name, "cannot write the file", error) from error


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` with `data` in one step, or create it.

    `data` goes to a temporary file beside the target
    (``.<name>.<pid>.<random>.tmp``), is flushed to disk and renamed over
    the target, so that a reader or a crash sees the old content or the new,
    never a mix.  An existing file keeps its permission bits; a symbolic link
    keeps pointing at the file it names, which is the one replaced.
    Temporary files that a killed write of the same file left behind are
    removed first.  The caller checks that `path` is a regular file or
    missing: a rename must never replace a device or a directory.

    Raises:
        OSError: The file cannot be written; the old one is left as it was
            and no temporary file remains.
    """
    target = os.path.realpath(path)
    directory, base = os.path.split(target)
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    _remove_stale(directory, base)
    temporary = os.path.join(directory, f".{base}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(temporary, flags | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            if existing is not None:
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


# -- formats and bytes -----------------------------------------------------


def _check_format(format: object, name: str) -> str:
    if isinstance(format, str) and format.lower() in FORMATS:
        return format.lower()
    raise LedgerError(Problem(f"unknown format {format!r} (expected 'toml' or 'json')", file=name))


def _format_of(name: str, format: str | None) -> str:
    if format is not None:
        return _check_format(format, name)
    suffix = os.path.splitext(name)[1]
    if suffix.lower() in (".toml", ".json"):
        return suffix[1:].lower()
    what = f"the suffix {suffix!r}" if suffix else "a name without a suffix"
    raise LedgerError(
        Problem(
            f"cannot tell the format from {what}; name the file .toml or .json,"
            " or pass format='toml' or format='json'",
            file=name,
        )
    )


def _read(name: str, max_bytes: int) -> bytes:
    # O_NONBLOCK: opening a FIFO must not hang before it is refused.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(name, flags)
    except OSError as error:
        raise _os_problem(name, "cannot read the file", error) from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError(
                Problem(f"not a ledger file but {_file_kind(info.st_mode)}", file=name)
            )
        if info.st_size > max_bytes:
            raise _too_large(name, info.st_size, max_bytes)
        chunks = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        return b"".join(chunks)
    except OSError as error:
        raise _os_problem(name, "cannot read the file", error) from error
    finally:
        os.close(descriptor)


def _size(data: str | bytes | bytearray | memoryview, max_bytes: int) -> int:
    """The size of `data` in bytes; for text, in UTF-8, counted only when it may matter."""
    if not isinstance(data, str):
        return memoryview(data).nbytes
    if len(data) > max_bytes or 4 * len(data) <= max_bytes:
        return len(data)  # a character takes 1 to 4 bytes: the limit is decided either way
    return len(data.encode("utf-8", "surrogatepass"))


def _too_large(name: str, size: int, max_bytes: int) -> LedgerError:
    return LedgerError(
        Problem(
            f"the file is larger than the limit of {max_bytes} bytes ({size} bytes or more);"
            " pass a larger max_bytes to read it",
            file=name,
        )
    )


def _path_name(path: str | os.PathLike[str]) -> str:
    """The path as problems name it; refused if no file can have it."""
    name = os.fsdecode(path)
    if "\0" in name:
        raise LedgerError(
            Problem("the path holds a NUL character, which no file name can", file=repr(name))
        )
    return name


def _os_problem(name: str, doing: str, error: OSError) -> LedgerError:
    return LedgerError(Problem(f"{doing}: {error.strerror or error}", file=name))


def _file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((what for test, what in kinds if test(mode)), "not a regular file")


def _decode(data: str | bytes, name: str) -> str:
    def fail(message: str, line: int, column: int | None = None) -> LedgerError:
        place = f"line {line}" if column is None else f"line {line}, column {column}"
        return LedgerError(Problem(message, place, name))

    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        for mark, encoding in BYTE_ORDER_MARKS:
            if raw.startswith(mark):
                raise fail(
                    f"the file starts with a {encoding} byte-order mark;"
                    " save it as UTF-8 without a byte-order mark",
                    1,
                )
        nul = raw.find(b"\0")
        if nul >= 0:
            line, column = _byte_position(raw, nul)
            raise fail("NUL byte in the file; a ledger file is text", line, column)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line, column = _byte_position(raw, error.start)
            bad = raw[error.start : error.end]
            raise fail(
                f"not valid UTF-8 (byte {bad.hex(' ')}); save the file as UTF-8", line, column
            ) from None
    elif isinstance(data, str):
        text = data
        if text.startswith("\ufeff"):
            raise fail("the text starts with a byte-order mark (U+FEFF); remove it", 1)
        nul = text.find("\0")
        if nul >= 0:
            line = text.count("\n", 0, nul) + 1
            raise fail(
                "NUL character in the text; a ledger file is text",
                line,
                nul - text.rfind("\n", 0, nul),
            )
    else:
        raise TypeError(f"expected str or bytes, got {type(data).__name__}")
    crlf = text.find("\r\n")
    if crlf >= 0:
        line = text.count("\n", 0, crlf) + 1
        raise fail("CRLF line ends are not accepted; save the file with LF line ends", line)
    if not text.strip():
        raise LedgerError(Problem("the file is empty", file=name))
    return text


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


# -- parsing ---------------------------------------------------------------


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as read, before duplicate keys are looked for."""


class _Number:
    """A number that a ledger cannot hold (NaN, infinite, too long), kept to be reported."""

    def __init__(self, text: str, why: str) -> None:
        self.text = text
        self.why = why


def _float(text: str) -> float | _Number:
    try:
        value = float(text)
    except ValueError:  # pragma: no cover - parsers hand over valid literals
        return _Number(text, "is not a number")
    return value if math.isfinite(value) else _Number(text, "is not a finite number")


def _int(text: str) -> int | _Number:
    if len(text.lstrip("+-")) > MAX_DIGITS:
        return _Number(text[:20] + "…", "is too long a number")
    return int(text)


def _parse(text: str, fmt: str, name: str) -> dict[str, Any]:
    problems: list[Problem] = []
    if fmt == "toml":
        _check_depth(text, TOML_TOKENS, TOML_PARSER_DEPTH, name)
        try:
            raw: Any = tomllib.loads(text, parse_float=_float)
        except tomllib.TOMLDecodeError as error:
            message = str(error)
            found = LOCATION.search(message)
            place = f"line {found[1]}, column {found[2]}" if found else None
            message = message[: found.start()] if found else message
            raise LedgerError(Problem(message, place, name)) from None
        except RecursionError:
            raise LedgerError(
                Problem(f"nested deeper than {MAX_DEPTH} levels", file=name)
            ) from None
        except ValueError as error:
            # tomllib leaves int()'s own error for a number of thousands of digits.
            message = "a number has too many digits" if "digits" in str(error) else str(error)
            raise LedgerError(Problem(message, file=name)) from None
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
        except (RecursionError, ValueError) as error:
            message = f"nested deeper than {MAX_DEPTH} levels"
            if isinstance(error, ValueError):
                message = str(error)
            raise LedgerError(Problem(message, file=name)) from None
        if not isinstance(raw, _Pairs):
            raise LedgerError(
                Problem(
                    f"the top level must be a table (a JSON object), got {_clip(text.strip())}",
                    file=name,
                )
            )
    tree = _clean(raw, "", 1, problems)
    if problems:
        raise LedgerError(problem.located(name) for problem in problems)
    if not tree:
        raise LedgerError(Problem("the file holds no ledger (no keys at all)", file=name))
    assert isinstance(tree, dict)
    return tree


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
            table[key] = _clean(item, _join(place, key), depth + 1, problems)
        return table
    if isinstance(value, list):
        return [_clean(item, f"{place}[{i}]", depth + 1, problems) for i, item in enumerate(value)]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        value = _Number(str(value)[:20] + "…", "is too long a number")
    if isinstance(value, _Number):
        problems.append(Problem(f"{value.text} {value.why}", place or None))
    elif isinstance(value, str) and SURROGATE.search(value):
        problems.append(Problem(f"{_short(value)} holds an unpaired surrogate escape", place))
    return value


def _join(place: str | None, part: str | None) -> str:
    return ".".join(p for p in (place, part) if p)


def _short(value: Any) -> str:
    prefix = (
        "a table " if isinstance(value, Mapping) else "a list " if isinstance(value, list) else ""
    )
    return _clip(prefix + repr(value))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- structuring -----------------------------------------------------------


def _build(tree: dict[str, Any], name: str) -> Ledger:
    """Structure a parsed file into a ledger, collecting every problem found."""
    converter = _CONVERTERS["toml"]
    problems: list[Problem] = []
    top = dict(tree)
    raw_sources = top.pop("sources", [])
    raw_propositions = top.pop("propositions", [])
    meta: dict[str, Any] = {}
    header = _structure(converter, top, Ledger, "", problems)
    if header is not None:
        meta = {field: getattr(header, field) for field in (*META, "policy")}

    sources: list[tuple[str, Source]] = []
    for place, raw in _entries(raw_sources, "sources", problems):
        source = _structure(converter, raw, Source, place, problems)
        if source is None and is_slug(_raw_id(raw)):
            # A stand-in keeps references to a broken source from being reported twice.
            source = Source(_raw_id(raw), "-")
        if source is not None:
            sources.append((place, source))

    propositions: list[tuple[str, Proposition]] = []
    claims: list[tuple[str, Claim]] = []
    for place, raw in _entries(raw_propositions, "propositions", problems):
        body = dict(raw) if isinstance(raw, Mapping) else raw
        raw_claims = body.pop("claims", []) if isinstance(body, dict) else []
        proposition = _structure(converter, body, Proposition, place, problems)
        if proposition is None and is_slug(_raw_id(raw)):
            proposition = Proposition(_raw_id(raw), "-")
        if proposition is not None:
            propositions.append((place, proposition))
        for claim_place, raw_claim in _entries(raw_claims, f"{place}.claims", problems):
            if isinstance(raw_claim, Mapping):
                raw_claim = dict(raw_claim)
                if "proposition" in raw_claim:
                    del raw_claim["proposition"]
                    hint = NOT_IN_FILE[Claim, "proposition"]
                    problems.append(Problem(f"unknown key 'proposition' ({hint})", claim_place))
                # Claims under a broken proposition are still checked field by field.
                raw_claim["proposition"] = proposition.id if proposition else "unknown"
            claim = _structure(converter, raw_claim, Claim, claim_place, problems)
            if claim is not None and proposition is not None:
                claims.append((claim_place, claim))

    try:
        ledger = Ledger.from_objects(
            (source for _, source in sources),
            (proposition for _, proposition in propositions),
            (claim for _, claim in claims),
            **meta,
        )
    except LedgerError as error:
        places = {
            "sources": [place for place, _ in sources],
            "propositions": [place for place, _ in propositions],
            "claims": [place for place, _ in claims],
        }
        problems += [_relocate(problem, places) for problem in error.problems]
    if problems:
        raise LedgerError(problem.located(name) for problem in problems)
    return ledger


def _entries(value: Any, place: str, problems: list[Problem]) -> Iterator[tuple[str, Any]]:
    if not isinstance(value, list):
        problems.append(Problem(f"expected a list of tables, got {_short(value)}", place))
        return
    for index, item in enumerate(value):
        yield f"{place}[{index}]", item


def _raw_id(raw: Any) -> Any:
    return raw.get("id") if isinstance(raw, Mapping) else None


def _relocate(problem: Problem, places: dict[str, list[str]]) -> Problem:
    """Map a place of `Ledger.from_objects` (``claims[7].source``) to its place in the file."""
    found = re.match(r"(sources|propositions|claims)\[(\d+)\]", problem.place or "")
    if not found:
        return problem
    place = places[found[1]][int(found[2])] + (problem.place or "")[found.end() :]
    return Problem(problem.message, place, problem.file)


def _structure(
    converter: cattrs.Converter, raw: Any, cls: type[T], place: str, problems: list[Problem]
) -> T | None:
    try:
        return converter.structure(raw, cls)
    except (BaseValidationError, ProvenanceError) as error:
        problems.extend(_problems(error, place, place))
        return None


def _problems(error: BaseException, path: str, owner: str) -> Iterator[Problem]:
    """Translate a structuring error into located problems.

    `path` is where the error arose; `owner` is the table that holds it, to
    which the places the model classes give (a field name) are relative.
    """
    if isinstance(error, ClassValidationError | IterableValidationError):
        for inner in error.exceptions:
            notes = getattr(inner, "__notes__", ())
            field = next((n for n in notes if isinstance(n, AttributeValidationNote)), None)
            item = next((n for n in notes if isinstance(n, IterableValidationNote)), None)
            if field is not None:
                yield from _problems(inner, _join(path, field.name), path)
            elif item is not None:
                yield from _problems(inner, f"{path}[{item.index}]", f"{path}[{item.index}]")
            else:
                yield from _problems(inner, path, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        known = [*_file_keys(error.cl), *ALSO_KNOWN.get(error.cl, ())]
        for key in sorted(map(str, error.extra_fields)):
            hint = HINTS.get((error.cl, key))
            more = f" ({hint})" if hint else suggest(key, known)
            yield Problem(f"unknown key {key!r}{more}", path or None)
    elif isinstance(error, LedgerError):
        for problem in error.problems:
            place = _join(owner, problem.place) if problem.place else path
            yield Problem(problem.message, place or None)
    elif isinstance(error, PolicyError):
        for problem in error.problems:
            yield Problem(problem.message, _join(owner, problem.place) if problem.place else path)
    elif isinstance(error, KeyError):
        yield Problem(f"missing required key {error.args[0]!r}", owner or None)
    else:  # pragma: no cover - every converter raises one of the above
        yield Problem(f"{error}", path or None)


# -- the converters --------------------------------------------------------


def _file_keys(cls: type) -> list[str]:
    return [
        field.name
        for field in attrs.fields(cls)
        if field.init and (cls, field.name) not in NOT_IN_FILE
    ]


def _strict(kind: type, what: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise LedgerError(f"expected {what}, got {value!r}")
        return value

    return structure


def _number(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LedgerError(f"expected a finite number, got {value!r}")
    return float(value)


def _date(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    raise LedgerError(f"{value!r} is not a date (YYYY-MM-DD)")


def _through(convert: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    """A structure hook that hands the value to an attrs converter (which validates it)."""

    def structure(value: Any, _: Any) -> Any:
        return convert(value)

    return structure


def _table_hook(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A structure hook for one model class: its own converters validate each field."""
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue
        if (cls, field.name) in NOT_IN_FILE and cls is not Claim:
            overrides[field.name] = override(omit=True)
        elif cls is Ledger and field.name == "policy":
            overrides[field.name] = override(
                struct_hook=_through(lambda value: converter.structure(value, Policy))
            )
        elif callable(field.converter):
            overrides[field.name] = override(struct_hook=_through(field.converter))
    structure: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **overrides)

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise LedgerError(f"expected a table, got {_short(value)}")
        return structure(value, cls)

    return hook


def _plain(fmt: str) -> Callable[[Any], Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, tuple):
            return list(value)
        if fmt == "json" and isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain


def _table_writer(
    cls: type, converter: cattrs.Converter, plain: Callable[[Any], Any]
) -> Callable[[Any], dict[str, Any]]:
    """An unstructure hook that leaves out absent values and empty lists, in field order."""
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init or field.name in ("proposition", "policy"):
            overrides[field.name] = override(omit=True)
        else:
            empty = field.default is None or field.default == ()
            overrides[field.name] = override(omit_if_default=empty, unstruct_hook=plain)
    unstructure: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls, converter, **overrides
    )
    order = [field.name for field in attrs.fields(cls)]

    def hook(value: Any) -> dict[str, Any]:
        table = unstructure(value)
        return {key: table[key] for key in order if key in table}

    return hook


def _make_converter(fmt: str) -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # No silent coercion anywhere: str(3) is not text, and True is not a number.
    strict = {str: "text", int: "a whole number", bool: "true or false"}
    for kind, what in strict.items():
        converter.register_structure_hook(kind, _strict(kind, what))
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook(dt.date, _date)
    for cls in (Source, Proposition, Claim, Policy, Ledger):
        converter.register_structure_hook(cls, _table_hook(cls, converter))
    for cls in (Source, Proposition, Claim, Ledger):
        converter.register_unstructure_hook(cls, _table_writer(cls, converter, _plain(fmt)))
    return converter


_CONVERTERS = {fmt: _make_converter(fmt) for fmt in FORMATS}


def _toml_text(
    meta: dict[str, Any],
    sources: list[dict[str, Any]],
    propositions: list[dict[str, Any]],
    policy: dict[str, Any],
) -> str:
    """Lay a ledger out as the design shows: one ``[[sources]]`` table per source, and so on.

    tomli_w writes every value; the layout is spelled here because tomli_w
    would write short tables inline, which is harder to read and to diff.
    """
    head = dict(meta)
    for key, items in (("sources", sources), ("propositions", propositions)):
        if not items:
            head[key] = []
    blocks = [tomli_w.dumps(head)] if head else []
    blocks += ["[[sources]]\n" + tomli_w.dumps(source) for source in sources]
    for proposition in propositions:
        claims = proposition.pop("claims", [])
        blocks.append("[[propositions]]\n" + tomli_w.dumps(proposition))
        for claim in claims:
            text = "[[propositions.claims]]\n" + tomli_w.dumps(claim)
            # Indent by "\n" only: str.splitlines would also break at U+2028 inside a string.
            blocks.append(re.sub(r"(?m)^(?=.)", "  ", text))
    if policy:
        blocks.append(tomli_w.dumps({"policy": policy}))
    return "\n".join(blocks)


def _remove_stale(directory: str, base: str) -> None:
    """Remove temporary files that a killed save of `base` left behind."""
    pattern = re.compile(rf"\.{re.escape(base)}\.(\d+)\.[0-9a-f]{{16}}\.tmp\Z")
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return
    now = time.time()
    for entry in names:
        found = pattern.match(entry)
        if not found:
            continue
        full = os.path.join(directory, entry)
        try:
            info = os.lstat(full)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and (
            now - info.st_mtime > STALE_AFTER or not _alive(int(found[1]))
        ):
            with contextlib.suppress(OSError):
                os.unlink(full)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        # On Windows os.kill(pid, 0) would stop the process: rely on age alone.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sync_directory(directory: str) -> None:
    """Flush the directory entry of a replaced file (where the platform allows it)."""
    try:
        descriptor = os.open(directory or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
