"""The ``hypothesis`` entry point: ``st.from_type`` draws this library's types.

Hypothesis runs `_hypothesis_setup_hook` when it is first imported, because
the package names it under the ``hypothesis`` entry point group.  From then
on ``st.from_type(Ledger)`` (or `Source`, `Proposition`, `Claim`, `Policy`,
or a union of them) draws with the strategies of `provenance.strategies`,
in a test that never imports that module.  Nothing here imports hypothesis
until the hook runs, so that ``import provenance`` never does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each public type of the library with hypothesis.

    The strategies are looked up when a test first asks for the type, not
    here: hypothesis runs this hook while it is being imported, which may be
    from inside ``import provenance.strategies`` itself.
    """
    from hypothesis import strategies as st

    from .ledger import Ledger
    from .model import Claim, Proposition, Source
    from .policy import Policy

    for kind, name in (
        (Source, "sources"),
        (Proposition, "propositions"),
        (Claim, "claims"),
        (Policy, "policies"),
        (Ledger, "ledgers"),
    ):
        st.register_type_strategy(kind, _resolver(name))


def _resolver(name: str) -> Callable[[type], SearchStrategy[Any]]:
    def resolve(kind: type) -> SearchStrategy[Any]:
        from . import strategies

        made: SearchStrategy[Any] = getattr(strategies, name)()
        return made

    return resolve
