"""Replace a file in one step, so that a crash or a kill leaves the old file or the new one.

`replace` writes the new content to a temporary file beside the target
(``.<name>.<pid>.<random>.tmp``), flushes it to disk and renames it over
the target; temporary files that a killed write of the same file left
behind are removed first.  `other_kind` says what a path names when it is
not a regular file, so that callers never rename over a device or a
directory.  Ledger files (`provenance.files.save`) and report files (the
command's ``-o``) are both written here.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Iterable

__all__ = ["describe", "other_kind", "replace"]

# Stale temporary files of a killed write are removed when at least this old (seconds).
STALE_AFTER = 60.0


def describe(mode: int) -> str:
    """What a file of this mode is, for a message: ``"a directory"``, ``"a named pipe"``..."""
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((what for test, what in kinds if test(mode)), "not a regular file")


def other_kind(path: str | os.PathLike[str]) -> str | None:
    """What `path` names (links followed) if it is not a regular file; None if it is, or is missing.

    Raises:
        OSError: The path cannot be looked at.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else describe(mode)


def replace(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Replace the file at `path` with `data` (bytes, or pieces of them) in one step, or create it.

    An existing file keeps its permission bits; a symbolic link keeps
    pointing at the file it names, which is the one replaced.  The caller
    checks with `other_kind` that `path` is a regular file or missing: a
    rename must never replace a device or a directory.

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
    temporary = os.path.join(directory, f".{base}.{os.getpid()}.{os.urandom(8).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(temporary, flags | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            if existing is not None:
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            for piece in (data,) if isinstance(data, bytes) else data:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _remove_stale(directory: str, base: str) -> None:
    """Remove temporary files that a killed write of `base` left behind."""
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
