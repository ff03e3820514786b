"""The ``hypothesis`` entry point: ``st.from_type`` draws this library's types.

Hypothesis runs `_hypothesis_setup_hook` when it is first imported, because
the package names it under the ``hypothesis`` entry point group.  From then
on ``st.from_type(Ledger)`` (or `Source`, `Proposition`, `Claim`, `Policy`,
or a union of them) draws with the strategies of `provenance.strategies`,
in a test that never imports that module.  Nothing here imports hypothesis
until the hook runs, so that ``import provenance`` never does.
"""

from __future__ import annotations

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each public type of the library with hypothesis."""
    from hypothesis import strategies as st

    from . import strategies
    from .ledger import Ledger
    from .model import Claim, Proposition, Source
    from .policy import Policy

    st.register_type_strategy(Source, strategies.sources())
    st.register_type_strategy(Proposition, strategies.propositions())
    st.register_type_strategy(Claim, strategies.claims())
    st.register_type_strategy(Policy, strategies.policies())
    st.register_type_strategy(Ledger, strategies.ledgers())
