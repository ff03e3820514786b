"""The public API, locked: names, signatures, and what importing the package pulls in.

A change to any of these is a change for every user: this test makes it a
deliberate one.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import provenance
import provenance.files
import provenance.strategies

__all__: list[str] = []

PUBLIC = [
    "Assessment",
    "Assessments",
    "Certainty",
    "Claim",
    "Credibility",
    "Exclusion",
    "Explanation",
    "FormatError",
    "Group",
    "Ledger",
    "LedgerError",
    "Likelihood",
    "Policy",
    "PolicyError",
    "Problem",
    "Proposition",
    "ProvenanceError",
    "Rating",
    "Reliability",
    "Rule",
    "Shortfall",
    "Source",
    "SourceKind",
    "Stance",
    "Status",
    "Weighed",
    "assess",
    "dumps",
    "explain",
    "lint",
    "load",
    "loads",
    "merge",
    "render",
    "save",
]

STRATEGIES = [
    "claims",
    "ids",
    "langs",
    "ledgers",
    "parties",
    "policies",
    "propositions",
    "sources",
    "texts",
    "urls",
]

EMPTY = inspect.Parameter.empty
POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
KEYWORD = inspect.Parameter.KEYWORD_ONLY

# name -> [(parameter, kind, default)], as tabulate's own API test does.
SIGNATURES: dict[str, list[tuple[str, Any, Any]]] = {
    "load": [
        ("path", POSITIONAL, EMPTY),
        ("format", KEYWORD, None),
        ("max_bytes", KEYWORD, provenance.files.DEFAULT_MAX_BYTES),
        ("max_line_bytes", KEYWORD, provenance.files.DEFAULT_MAX_LINE_BYTES),
    ],
    "loads": [
        ("data", POSITIONAL, EMPTY),
        ("format", POSITIONAL, EMPTY),
        ("name", KEYWORD, "<string>"),
        ("max_bytes", KEYWORD, provenance.files.DEFAULT_MAX_BYTES),
        ("max_line_bytes", KEYWORD, provenance.files.DEFAULT_MAX_LINE_BYTES),
    ],
    "dumps": [("ledger", POSITIONAL, EMPTY), ("format", POSITIONAL, EMPTY)],
    "save": [("ledger", POSITIONAL, EMPTY), ("path", POSITIONAL, EMPTY), ("format", KEYWORD, None)],
    "assess": [("ledger", POSITIONAL, EMPTY), ("policy", POSITIONAL, None)],
    "render": [
        ("assessments", POSITIONAL, EMPTY),
        ("format", POSITIONAL, "simple"),
        ("quotes", KEYWORD, False),
        ("width", KEYWORD, None),
        ("graph", KEYWORD, False),
    ],
    "explain": [
        ("ledger", POSITIONAL, EMPTY),
        ("proposition_id", POSITIONAL, EMPTY),
        ("policy", POSITIONAL, None),
    ],
    "merge": [("ledgers", POSITIONAL, EMPTY)],
}

STRATEGY_SIGNATURES: dict[str, list[tuple[str, Any, Any]]] = {
    "texts": [("max_fragments", KEYWORD, 8)],
    "ids": [],
    "parties": [],
    "urls": [],
    "langs": [],
    "sources": [
        ("id", KEYWORD, None),
        ("may_depend_on", KEYWORD, None),
        ("affiliations", KEYWORD, None),
    ],
    "propositions": [("id", KEYWORD, None), ("about", KEYWORD, None)],
    "claims": [
        ("proposition", KEYWORD, None),
        ("source", KEYWORD, None),
        ("relays", KEYWORD, None),
        ("dates", KEYWORD, None),
    ],
    "policies": [("as_of", KEYWORD, True)],
    "ledgers": [
        ("min_propositions", POSITIONAL, 0),
        ("max_propositions", POSITIONAL, 5),
        ("max_sources", POSITIONAL, 8),
        ("max_claims", POSITIONAL, 16),
        ("min_sources", KEYWORD, 0),
        ("min_claims", KEYWORD, 0),
        ("policy", KEYWORD, None),
    ],
}


def parameters(function: Callable[..., object]) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


class TestNames:
    def test_public_names(self) -> None:
        """The package exports exactly the public names, sorted."""
        assert provenance.__all__ == PUBLIC

    def test_every_public_name_is_importable(self) -> None:
        """Each name in __all__ exists and is documented."""
        for name in provenance.__all__:
            value = getattr(provenance, name)
            assert inspect.getdoc(value), f"{name} has no docstring"

    def test_star_import_gives_the_public_names(self) -> None:
        """`from provenance import *` binds exactly __all__."""
        namespace: dict[str, object] = {}
        exec("from provenance import *", namespace)
        assert sorted(PUBLIC) == sorted(k for k in namespace if k != "__builtins__")

    def test_strategy_names(self) -> None:
        """The strategies module exports exactly its strategies."""
        assert provenance.strategies.__all__ == STRATEGIES

    def test_helpers_are_not_public(self) -> None:
        """Writing files and copying ledgers each have one public way, not several."""
        import provenance.cli

        assert not hasattr(provenance.files, "write_atomic")
        assert not hasattr(provenance.cli, "write_output")
        for name in ("copy", "replace"):
            assert not hasattr(provenance.Ledger, name), name

    def test_every_module_declares_all(self) -> None:
        """Every module of the package lists its public names in __all__."""
        for module in modules():
            assert isinstance(importlib.import_module(module).__all__, list), module


class TestSignatures:
    @pytest.mark.parametrize("name", sorted(SIGNATURES))
    def test_functions(self, name: str) -> None:
        """Each public function keeps its parameters, kinds and defaults."""
        assert SIGNATURES[name] == parameters(getattr(provenance, name))

    @pytest.mark.parametrize("cls", [provenance.Source, provenance.Proposition, provenance.Claim])
    def test_model_classes_show_the_types_they_take(self, cls: type) -> None:
        """Each parameter of a model class is annotated with what it accepts, never Any."""
        annotations = {p.name: p.annotation for p in inspect.signature(cls).parameters.values()}
        assert "str" == annotations["id" if "id" in annotations else "source"]
        assert not [name for name, kind in annotations.items() if kind in ("Any", EMPTY)]

    @pytest.mark.parametrize("name", sorted(STRATEGY_SIGNATURES))
    def test_strategies(self, name: str) -> None:
        """Each strategy keeps its parameters, kinds and defaults."""
        assert STRATEGY_SIGNATURES[name] == parameters(getattr(provenance.strategies, name))

    @pytest.mark.parametrize("name", STRATEGIES)
    def test_strategies_return_search_strategies(self, name: str) -> None:
        """Each strategy, called with no arguments, returns a SearchStrategy."""
        from hypothesis.strategies import SearchStrategy

        assert isinstance(getattr(provenance.strategies, name)(), SearchStrategy)


def modules() -> list[str]:
    """Every module of the package, by dotted name."""
    found = pkgutil.walk_packages(provenance.__path__, prefix=f"{provenance.__name__}.")
    # __main__ runs the command when imported.
    return [provenance.__name__] + [
        info.name for info in found if not info.name.endswith(".__main__")
    ]


def imported_after(statement: str) -> list[str]:
    """The top-level packages a fresh interpreter has imported after `statement`."""
    root = str(Path(provenance.__file__).resolve().parent.parent)
    report = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    code = f"import sys, json; {statement}; {report}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": root},
    )
    return list(json.loads(result.stdout))


class TestImports:
    def test_importing_the_package_does_not_import_hypothesis(self) -> None:
        """`import provenance` leaves hypothesis (a test extra) unimported."""
        loaded = imported_after("import provenance")
        assert "provenance" in loaded
        assert "hypothesis" not in loaded

    def test_only_the_strategies_module_imports_hypothesis(self) -> None:
        """No module but provenance.strategies imports hypothesis."""
        others = [m for m in modules() if m != "provenance.strategies"]
        loaded = imported_after("; ".join(f"import {m}" for m in others))
        assert "hypothesis" not in loaded
        assert "hypothesis" in imported_after("import provenance.strategies")
