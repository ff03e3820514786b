"""The trace of one verdict: every step `assess` took, in readable lines.

`explain` is a view of what the engine computed: it reads an `Assessment`'s
weights, groups and rule outcomes, and decides nothing of its own.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> ledger = Ledger.from_objects(
...     [Source("afp", "AFP", kind="wire", reliability="B")],
...     [Proposition("summit", "Putin and Kim met in September 2023.")],
...     [Claim("summit", "afp")])
>>> print(explain(ledger, "summit").steps[-1])
missing: needs 1 more independent source with no stake, graded C or better
"""

from __future__ import annotations

import math

import attrs

from .assess import _effective, _engine, logit
from .assessment import Assessment, Shortfall, Status, Weighed
from .grading import Reliability
from .ledger import Ledger
from .policy import Policy
from .wording import names

__all__ = ["Explanation", "explain"]


@attrs.frozen
class Explanation:
    """The full trace of one proposition's assessment.

    Attributes:
        assessment: The assessment explained.
        policy: The policy applied.
        steps: The trace, one readable line each.
    """

    assessment: Assessment
    policy: Policy
    steps: tuple[str, ...]

    def render(self) -> str:
        """The trace as text."""
        return "\n".join(self.steps)

    def __str__(self) -> str:
        return self.render()


def explain(ledger: Ledger, proposition_id: str, policy: Policy | None = None) -> Explanation:
    """Explain how one proposition's verdict was reached.

    The trace is a view of what `assess` computed: it reads the assessment's
    weights, groups and rule outcomes and decides nothing of its own.

    Args:
        ledger: The ledger.
        proposition_id: Which proposition.
        policy: The house rules; None: the ledger's own.

    Returns:
        An `Explanation`: each claim's probability at every step (grade or
        credence, hedging, relay cap, stake cap, floor) and whether it counts
        and can corroborate, the group it joined and why, each group's
        weight, the log-odds sum, and which rule held and which did not.

    Raises:
        LedgerError: There is no such proposition.
    """
    policy = _effective(ledger, policy)
    proposition = ledger.proposition(proposition_id)
    result = _engine(ledger, policy).assess(proposition)
    steps = [f"{proposition.id}: {proposition.text}", f"policy: {policy.summary()}"]
    if proposition.about:
        steps.append("about: " + ", ".join(proposition.about))
    steps.append("claims:")
    steps.extend(_claim_line(index, w, ledger) for index, w in enumerate(result.weighed))
    position = {id(w): index for index, w in enumerate(result.weighed)}
    for title, groups in (
        ("supporting groups:", result.support),
        ("denying groups:", result.oppose),
    ):
        if not groups:
            continue
        steps.append(title)
        for g in groups:
            flags = []
            if g.stake:
                flags.append("stake")
            flags.append("qualified" if g.qualified else "not qualified")
            if g.contesting:
                flags.append("contesting")
            best = g.best.value if g.best else "none without a stake"
            steps.append(
                f"  {g.label}: p {g.p:.2f}, log-odds {g.weight:+.3f}, best grade {best};"
                f" {', '.join(flags)}"
            )
            claims = ", ".join(f"[{position[id(w)]}]" for w in g.members)
            steps.append(f"    claims: {claims}")
            steps.extend(f"    joined: {link}" for link in g.links)
    total_for = math.fsum(g.weight for g in result.support)
    total_against = math.fsum(g.weight for g in result.oppose)
    steps.append(
        f"log-odds: prior {logit(policy.prior):+.3f} + support {total_for:+.3f}"
        f" - denial {total_against:+.3f} = {logit(policy.prior) + total_for - total_against:+.3f}"
        f" -> probability {result.probability:.1%} ({result.likelihood.label})"
    )
    steps.extend(_rules(result, policy))
    steps.append(f"status: {result.status.value} ({result.rule.value}); rating {result.rating}")
    steps.append(f"basis: {result.basis}")
    if result.missing:
        steps.append(f"missing: {result.missing}")
    return Explanation(result, policy, tuple(steps))


def _claim_line(index: int, w: Weighed, ledger: Ledger) -> str:
    claim = w.claim
    chain = " via " + ", ".join(ledger.source(r).name for r in claim.via) if claim.via else ""
    if claim.credence is not None:
        origin = "credence"
    elif w.accuracy is not None:
        suggests = ""
        if w.suggested is Reliability.F:
            suggests = ", record suggests F: nothing it said is settled by others"
        elif w.suggested is not None:
            suggests = f", record suggests {w.suggested.value}"
        origin = f"accuracy learned from its record (graded {w.source.reliability.value}{suggests})"
    else:
        origin = f"grade {w.source.reliability.value}"
    line = (
        f"  [{index}] {w.source.name}{chain} {claim.stance.value}"
        f" ({claim.certainty.value}): p {w.base:.2f} from {origin}"
        f", {w.hedged:.2f} after hedging"
    )
    if w.weakest_relay is not None and w.relayed < w.hedged:
        relay = w.weakest_relay
        line += f", {w.relayed:.2f} capped by relay {relay.name} (graded {relay.reliability.value})"
    if w.stake:
        line += f", {w.capped:.2f} after the stake cap ({w.source.affiliation} has a stake)"
    if w.p != w.capped:
        line += f", {w.p:.2f}: a claim is never evidence for the other side"
    if not w.counted:
        return line + f"; not counted: {w.reason}"
    if w.shortfalls:
        why = ", ".join(_shortfall_words(s, w) for s in w.shortfalls)
        return line + f"; cannot corroborate: {why}"
    return line + "; can corroborate"


def _shortfall_words(shortfall: Shortfall, w: Weighed) -> str:
    if shortfall is Shortfall.GRADE:
        return f"graded {w.source.reliability.value}, below the bar"
    if shortfall is Shortfall.HEDGED:
        return f"hedged ({w.claim.certainty.value})"
    if shortfall is Shortfall.EVEN_ODDS:
        return "no better than even odds"
    return "has a stake"


def _rules(result: Assessment, policy: Policy) -> list[str]:
    qualified = sum(g.qualified for g in result.support)
    denials = sum(g.qualified for g in result.oppose)
    contest_for = [g.label for g in result.support if g.contesting]
    contest_against = [g.label for g in result.oppose if g.contesting]
    bar, floor = policy.establish_at, 1.0 - policy.establish_at
    lines = ["rules:"]
    if not policy.public_record:
        lines.append("  public record: off in this policy")
    elif result.records:
        on_record = names(result.records)
        lines.append(f"  public record: {on_record} (A-graded record with no stake, said firmly)")
    else:
        lines.append("  public record: no A-graded record with no stake speaks firmly to it")
    met = "met" if qualified >= policy.min_independent else "not met"
    lines.append(
        f"  independent corroboration: {qualified} qualified group(s) of"
        f" {policy.min_independent} needed ({met})"
    )
    if contest_against:
        lines.append("  contesting denials: " + "; ".join(contest_against))
    lines.append(
        f"  probability bar {bar:.0%}: {'met' if result.probability >= bar else 'not met'}"
    )
    lines.append(
        f"  independent refutation: {denials} qualified denying group(s),"
        f" probability {'at or below' if result.probability <= floor else 'above'} {floor:.0%}"
        f" ({'met' if result.status is Status.REFUTED else 'not met'})"
    )
    if contest_for and result.oppose:
        lines.append("  contesting support: " + "; ".join(contest_for))
    return lines
