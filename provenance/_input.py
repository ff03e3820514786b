"""Guards on what a ledger file is made of, before anything parses it.

A path must be one a file can have and name a regular file; a file or its
data must stay within the size limit; its bytes must be UTF-8 text without a
byte-order mark, NUL or CRLF line ends.  Each refusal is a `LedgerError`
naming the file, and the line and column where there is one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from ._atomic import describe
from .errors import LedgerError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "check_format",
    "decode",
    "format_of",
    "os_problem",
    "path_name",
    "paused_gc",
    "read",
    "read_regular",
    "refuse_larger",
    "size_of",
]

#: The file formats, by name; a file's suffix (``.toml``, ``.json``, ``.jsonl``) names its format.
FORMATS = ("toml", "json", "jsonl")

#: Files larger than this many bytes are refused unless `load` is given a larger ``max_bytes``.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024

BYTE_ORDER_MARKS = (
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def check_format(format: object, name: str) -> str:
    """`format` in lower case, if it is one of `FORMATS`."""
    if isinstance(format, str) and format.lower() in FORMATS:
        return format.lower()
    raise LedgerError(
        Problem(f"unknown format {format!r} (expected 'toml', 'json' or 'jsonl')", file=name)
    )


def format_of(name: str, format: str | None) -> str:
    """The format `format` names, or else the one the file's suffix names."""
    if format is not None:
        return check_format(format, name)
    suffix = os.path.splitext(name)[1]
    if suffix.lower()[1:] in FORMATS:
        return suffix[1:].lower()
    what = f"the suffix {suffix!r}" if suffix else "a name without a suffix"
    raise LedgerError(
        Problem(
            f"cannot tell the format from {what}; name the file .toml, .json or .jsonl,"
            " or pass format='toml', 'json' or 'jsonl'",
            file=name,
        )
    )


def path_name(path: str | os.PathLike[str]) -> str:
    """The path as problems name it; refused if no file can have it."""
    name = os.fsdecode(path)
    if "\0" in name:
        raise LedgerError(
            Problem("the path holds a NUL character, which no file name can", file=repr(name))
        )
    return name


def os_problem(name: str, doing: str, error: OSError) -> LedgerError:
    """A located error for a failed read or write of the file `name`."""
    return LedgerError(Problem(f"{doing}: {error.strerror or error}", file=name))


def read(name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, reading no more than one byte past `max_bytes`."""
    # O_NONBLOCK: opening a FIFO must not hang before it is refused.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(name, flags)
    except OSError as error:
        raise os_problem(name, "cannot read the file", error) from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError(Problem(f"not a ledger file but {describe(info.st_mode)}", file=name))
        refuse_larger(name, info.st_size, max_bytes)
        chunks = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        refuse_larger(name, size, max_bytes)
        return b"".join(chunks)
    except OSError as error:
        raise os_problem(name, "cannot read the file", error) from error
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off automatic garbage collection while a ledger is built.

    Building a ledger makes millions of objects that all stay alive, and
    every full collection on the way walks all of them to free nothing:
    at a hundred thousand claims that was a quarter of the load time.
    Collection is turned back on (if it was on) when the block ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def read_regular(name: str) -> Iterator[BinaryIO]:
    """A buffered binary stream on the regular file `name`, refusing anything else.

    Raises:
        LedgerError: `name` is not a regular file.
        OSError: It cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(name, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LedgerError(Problem(f"not a ledger file but {describe(info.st_mode)}", file=name))
        stream = os.fdopen(descriptor, "rb", buffering=1 << 20)
    except BaseException:
        os.close(descriptor)
        raise
    with stream:
        yield stream


def refuse_larger(name: str, size: int, max_bytes: int) -> None:
    """Refuse data of `size` bytes (or more) when it is over the limit."""
    if size > max_bytes:
        raise LedgerError(
            Problem(
                f"the file is larger than the limit of {max_bytes} bytes ({size} bytes or more);"
                " pass a larger max_bytes (--max-bytes on the command line) to read it,"
                " or keep a large ledger as JSON Lines (.jsonl), which is limited per line",
                file=name,
            )
        )


def size_of(data: str | bytes | bytearray | memoryview, max_bytes: int) -> int:
    """The size of `data` in bytes; for text, in UTF-8, counted only when it may matter."""
    if not isinstance(data, str):
        return memoryview(data).nbytes
    if len(data) > max_bytes or 4 * len(data) <= max_bytes:
        return len(data)  # a character takes 1 to 4 bytes: the limit is decided either way
    return len(data.encode("utf-8", "surrogatepass"))


def decode(data: str | bytes, name: str) -> str:
    """The text of `data`, refused if it is not clean UTF-8 text with LF line ends.

    Raises:
        LedgerError: A byte-order mark, a NUL, bytes that are not UTF-8, CRLF
            line ends, or nothing but white space.
        TypeError: `data` is neither text nor bytes.
    """

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
