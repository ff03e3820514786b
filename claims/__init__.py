"""Curated ledgers shipped with the library, loadable by name.

Each ``<name>.toml`` or ``<name>.json`` file beside this module is one ledger;
its name is the file name without the suffix.  The files are package data,
so they are there wherever the package is installed.

>>> "svr-pyongyang" in names()
True
>>> ledger = load("svr-pyongyang")
>>> ledger.source("kcna").affiliation
'DPRK'
"""

from __future__ import annotations

from pathlib import Path

from provenance.errors import LedgerError, Problem
from provenance.files import load as load_file
from provenance.ledger import Ledger, suggest

__all__ = ["load", "names", "path"]

HERE = Path(__file__).resolve().parent
SUFFIXES = (".toml", ".json")


def _files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    # TOML first: when a ledger ships in both formats, the TOML file is the one people edit.
    for suffix in SUFFIXES:
        for file in sorted(HERE.glob(f"*{suffix}")):
            if file.is_file() and not file.name.startswith("."):
                found.setdefault(file.stem, file)
    return found


def names() -> list[str]:
    """The names of the shipped ledgers, sorted."""
    return sorted(_files())


def path(name: str) -> Path:
    """The file of the shipped ledger `name`.

    Raises:
        LedgerError: No shipped ledger has that name; the message lists those
            that do.
    """
    files = _files()
    if isinstance(name, str) and name in files:
        return files[name]
    available = ", ".join(sorted(files)) or "none"
    hint = suggest(name, files) if isinstance(name, str) else ""
    raise LedgerError(Problem(f"no shipped ledger {name!r}{hint}; available: {available}"))


def load(name: str) -> Ledger:
    """Load the shipped ledger `name`.

    Raises:
        LedgerError: There is no such ledger, or its file is broken.
    """
    return load_file(path(name))
