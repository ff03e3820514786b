"""The words of a verdict: its basis, and what it lacks to be established.

Rule 8 of the verdict rules: the basis says why in words, and for anything
not established what is missing, true to its status (a refuted proposition
never reads "only parties with a stake have spoken").  The words are chosen
from the assessment's data (status, rule, groups and their flags), never
from other words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .assessment import Exclusion, Group, Rule, Shortfall, Status, Weighed
from .model import Stance
from .policy import Policy

__all__ = ["basis", "missing", "names"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _labels(groups: Sequence[Group]) -> str:
    """The groups' names, each with its stake and the copying inferred within it."""
    return "; ".join(_label(g) for g in groups)


def _label(group: Group) -> str:
    notes = ["has a stake"] if group.stake else []
    notes.extend(f"joined: {words}" for words in group.inferred)
    return f"{group.label} ({'; '.join(notes)})" if notes else group.label


def names(weighed: Iterable[Weighed]) -> str:
    return "; ".join(dict.fromkeys(w.source.name for w in weighed))


def basis(
    status: Status,
    rule: Rule,
    support: tuple[Group, ...],
    oppose: tuple[Group, ...],
    records: tuple[Weighed, ...],
    weighed: list[Weighed],
) -> str:
    if rule is Rule.PUBLIC_RECORD:
        return "public record: " + names(w for w in records if w.claim.stance is Stance.ASSERTS)
    if rule is Rule.PUBLIC_RECORD_DENIES:
        return "public record denies it: " + names(
            w for w in records if w.claim.stance is Stance.DENIES
        )
    if status is Status.ESTABLISHED:
        qualified = [g for g in support if g.qualified]
        return f"corroborated by {_plural(len(qualified), 'independent source')}: " + _labels(
            qualified
        )
    if status is Status.REFUTED:
        qualified = [g for g in oppose if g.qualified]
        return f"denied by {_plural(len(qualified), 'independent source')}: " + _labels(qualified)
    parts = []
    if support:
        parts.append(
            f"asserted by {_plural(len(support), 'independent source')}: {_labels(support)}"
        )
    if oppose:
        parts.append(f"denied by {_plural(len(oppose), 'independent source')}: {_labels(oppose)}")
    if parts:
        return "; ".join(parts)
    if weighed and all(w.excluded is Exclusion.WITHDRAWN for w in weighed):
        return "every claim on it was withdrawn"
    dropped = [w.reason for w in weighed if w.reason]
    if dropped:
        return "no claim counted: " + "; ".join(dict.fromkeys(r for r in dropped if r))
    return "no claim bears on it"


def missing(
    status: Status,
    support: tuple[Group, ...],
    oppose: tuple[Group, ...],
    probability: float,
    policy: Policy,
    weighed: list[Weighed],
    records: tuple[Weighed, ...],
) -> str | None:
    """What it lacks to be established, in an editor's words, true to its status."""
    if status is Status.ESTABLISHED:
        return None
    if status is Status.UNSUPPORTED:
        return "no source asserts it" if not weighed else "no counted claim asserts it"
    if status is Status.REFUTED:
        if not support:
            return "no source asserts it"
        if all(g.stake for g in support):
            return "only parties with a stake assert it: " + _labels(support)
        return "its support is outweighed by the denials: " + _labels(support)
    on_record = {w.claim.stance for w in records}
    if status is Status.REPORTED and not support:
        return "to refute it: " + _needs(
            oppose, support, 1.0 - probability, policy, Stance.DENIES in on_record, asserting=False
        )
    return _needs(support, oppose, probability, policy, Stance.ASSERTS in on_record, asserting=True)


def _needs(
    side: tuple[Group, ...],
    other: tuple[Group, ...],
    probability: float,
    policy: Policy,
    on_record: bool,
    *,
    asserting: bool,
) -> str:
    """What `side` lacks to carry the verdict; `probability` is for that side.

    A public record on that side stands in for the count of groups, never
    for the bar or for an answer to a contesting voice.
    """
    needs: list[str] = []
    if all(g.stake for g in side):
        needs.append(
            "only parties with a stake have spoken"
            if not other
            else f"only parties with a stake {'assert' if asserting else 'deny'} it"
        )
    qualified = sum(g.qualified for g in side)
    short = 0 if on_record else policy.min_independent - qualified
    if short > 0:
        grade = policy.min_reliability.value
        more = "more " if qualified else ""
        what = "source" if asserting else "denial"
        needs.append(
            f"needs {short} {more}independent {what}{'s' if short > 1 else ''}"
            f" with no stake, graded {grade} or better"
        )
        hedged = [
            g
            for g in side
            if not g.qualified and any(w.shortfalls == (Shortfall.HEDGED,) for w in g.members)
        ]
        if hedged:
            needs.append("hedged, so not corroboration: " + "; ".join(g.label for g in hedged))
        relayed = [
            g
            for g in side
            if not g.qualified
            and any(
                w.shortfalls == (Shortfall.EVEN_ODDS,) and w.weakest_relay is not None
                for w in g.members
            )
        ]
        if relayed:
            needs.append(
                "weakened to even odds by a poorly graded relay: "
                + "; ".join(g.label for g in relayed)
            )
    contesting = [g for g in other if g.contesting]
    if contesting:
        needs.append(("contested by " if asserting else "contradicted by ") + _labels(contesting))
    if short <= 0 and not contesting and probability < policy.establish_at:
        needs.append(f"probability {probability:.0%} is below the {policy.establish_at:.0%} bar")
    return "; ".join(needs)
