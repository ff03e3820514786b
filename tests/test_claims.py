"""Tests for the shipped ledgers (the `claims` package): listing, locating and loading by name."""

# Asserts are written expected == actual, as the house style asks.

from __future__ import annotations

from pathlib import Path

import pytest

import claims
from provenance.errors import LedgerError
from provenance.files import dumps, load, loads
from provenance.ledger import Ledger

SEED = "svr-pyongyang"
HERE = Path(claims.__file__).resolve().parent


class TestNames:
    def test_names_are_the_ledger_files_beside_the_package_sorted(self) -> None:
        """names() lists every .toml and .json file beside the package, without suffix."""
        files = {path.stem for path in HERE.iterdir() if path.suffix in (".toml", ".json")}
        assert sorted(files) == claims.names()

    def test_the_seed_ledger_is_shipped(self) -> None:
        """The founding example is among the shipped ledgers."""
        assert SEED in claims.names()

    def test_the_package_module_is_not_a_ledger(self) -> None:
        """Python files beside the ledgers are not listed."""
        assert "__init__" not in claims.names()


class TestPath:
    def test_path_names_an_existing_ledger_file(self) -> None:
        """path() gives the file beside the package, with its suffix."""
        path = claims.path(SEED)
        assert isinstance(path, Path)
        assert (HERE, SEED) == (path.parent, path.stem)
        assert path.suffix in (".toml", ".json")
        assert path.is_file()

    def test_every_name_has_a_path(self) -> None:
        """Every listed name resolves to a file."""
        assert all(claims.path(name).is_file() for name in claims.names())

    def test_misspelt_name_suggests_the_nearest_and_lists_the_available(self) -> None:
        """An unknown name is a LedgerError with a suggestion and the list of names."""
        with pytest.raises(LedgerError) as info:
            claims.path("svr-pyongyan")
        message = str(info.value)
        assert f"(did you mean '{SEED}'?)" in message
        assert "available: " + ", ".join(claims.names()) in message

    @pytest.mark.parametrize("name", ["../setup", "__init__", "", SEED + ".toml"])
    def test_names_that_are_not_shipped_ledgers_are_refused(self, name: str) -> None:
        """Paths, the package module and names with a suffix are not ledger names."""
        with pytest.raises(LedgerError, match="no shipped ledger"):
            claims.path(name)


class TestLoad:
    def test_load_by_name_reads_the_file(self) -> None:
        """load(name) is the ledger in the file path(name)."""
        assert load(claims.path(SEED)) == claims.load(SEED)

    def test_unknown_name_is_a_ledger_error(self) -> None:
        """load of an unknown name raises LedgerError, not OSError."""
        with pytest.raises(LedgerError):
            claims.load("no-such-ledger")

    @pytest.mark.parametrize("name", claims.names())
    def test_every_shipped_ledger_loads_and_round_trips(self, name: str) -> None:
        """Each shipped ledger is valid and reads back equal from both formats."""
        ledger = claims.load(name)
        assert isinstance(ledger, Ledger)
        for fmt in ("toml", "json"):
            assert ledger == loads(dumps(ledger, fmt), fmt, name=f"{name}.{fmt}")

    def test_seed_ledger_holds_the_story(self) -> None:
        """The seed ledger has sources, propositions and claims that bear on them."""
        ledger = claims.load(SEED)
        assert ledger.sources
        assert ledger.propositions
        assert {claim.proposition for claim in ledger.claims} <= {p.id for p in ledger}
