"""Warnings about a valid ledger: things that are allowed but are probably mistakes.

A ledger that breaks an integrity rule cannot be built (`LedgerError`); one
that is valid may still hold a slip a person would want to hear about, such
as a proposition about ``"Isreal"`` when the sources speak for ``"Israel"``.
`lint` returns such warnings as located `Problem`s, in ledger order; each
check is a function in `CHECKS`, so that more can be added.  Warnings never
change a verdict.

>>> from provenance import Ledger, Proposition, Source
>>> ledger = Ledger.from_objects(
...     [Source("idf", "Israel Defense Forces", affiliation="Israel")],
...     [Proposition("strike", "The strike took place.", about=["Isreal"])],
... )
>>> for warning in lint(ledger):
...     print(warning)
propositions[0].about[0]: 'Isreal' is no source's affiliation (did you mean 'Israel'?)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import Problem
from .ledger import Ledger
from .model import party_key

__all__ = ["CHECKS", "lint", "misspelt_parties"]

# Names shorter than this are not compared: a slip in two letters is another name.
MIN_LENGTH = 4


def _one_slip(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one slip: a letter changed, added, dropped or swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    return a[start + 1 :] == b[start + 1 :] or (
        a[start + 2 :] == b[start + 2 :] and a[start : start + 2] == b[start : start + 2][::-1]
    )


def _close(name: str, known: Iterable[str]) -> str | None:
    """The spelling in `known` one slip away from `name`, compared without case or spacing.

    Names shorter than four letters are left alone: "UK" and "US" are two parties.
    """
    key = party_key(name)
    if len(key) < MIN_LENGTH:
        return None
    return next(
        (k for k in known if len(party_key(k)) >= MIN_LENGTH and _one_slip(key, party_key(k))),
        None,
    )


def misspelt_parties(ledger: Ledger) -> list[Problem]:
    """A party in a proposition's ``about`` that no source speaks for, but one nearly does.

    A party with a stake is recognised by its spelling (without case or
    spacing): ``"Isreal"`` does not cap a source affiliated with
    ``"Israel"``, so the proposition would be judged as if no party spoke.
    "Nearly" is one typing slip (a letter changed, added, dropped, or two
    swapped), so that "North Korea" is not taken for "South Korea".
    """
    affiliations = {
        party_key(s.affiliation): s.affiliation for s in ledger.sources if s.affiliation
    }
    problems = []
    for index, proposition in enumerate(ledger.propositions):
        for position, party in enumerate(proposition.about):
            if party_key(party) in affiliations:
                continue
            close = _close(party, affiliations.values())
            if close is not None:
                problems.append(
                    Problem(
                        f"{party!r} is no source's affiliation (did you mean {close!r}?)",
                        f"propositions[{index}].about[{position}]",
                    )
                )
    return problems


#: The checks `lint` runs, in order; each takes a ledger and returns its warnings.
CHECKS: tuple[Callable[[Ledger], list[Problem]], ...] = (misspelt_parties,)


def lint(ledger: Ledger) -> list[Problem]:
    """The warnings about a valid ledger, each located at its place in the ledger.

    Args:
        ledger: The ledger to look over.

    Returns:
        One `Problem` per warning, checks in the order of `CHECKS`.
    """
    return [problem for check in CHECKS for problem in check(ledger)]
