"""Verdicts: from attributed claims to established facts, with reasons.

`assess` turns a ledger's claims into one `Assessment` per proposition under
a `Policy`, following the verdict rules (v2) that the README's "How verdicts
are reached" spells out:

1. the claims that count: none said after the as-of date; a withdrawal is
   the source's, and takes back every claim of that source on that side said
   by then, whatever relay carried it; a source's latest dated word stands
   and its earlier claims on the other side are superseded;
2. each claim's probability of being right, from the analyst's credence or
   its source's grade, shrunk by the source's own hedging, capped by the
   weakest graded relay it reached us through and, for a source with a
   stake, by the stake cap, and never below even odds;
3. independence groups on each side (same source, a shared affiliation,
   declared dependence, and a relayer that speaks on that side in its own
   voice joins the origins it relays there), each weighing as its strongest
   member;
4. the groups' log-odds pooled with the prior into a probability and its
   ICD 203 likelihood;
5. established when enough qualified groups (a member with no stake, graded
   well enough, saying it firmly, above even odds) support it, or an
   A-graded public record with no stake does, with no contesting denial and
   the probability past the bar; refuted in the mirror case; disputed when
   both sides speak and neither holds; reported otherwise.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> ledger = Ledger.from_objects(
...     [Source("afp", "AFP", kind="wire", reliability="B"),
...      Source("reuters", "Reuters", kind="wire", reliability="B")],
...     [Proposition("summit", "Putin and Kim met in September 2023.")],
...     [Claim("summit", "afp"), Claim("summit", "reuters")])
>>> verdict = assess(ledger)["summit"]
>>> verdict.status.value, round(verdict.probability, 3), str(verdict.rating)
('established', 0.941, 'B1')
>>> verdict.basis
'corroborated by 2 independent sources: AFP; Reuters'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from .assessment import (
    Assessment,
    Assessments,
    Exclusion,
    Group,
    Rule,
    Shortfall,
    Status,
    Weighed,
)
from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger
from .model import Certainty, Claim, Proposition, Source, SourceKind, Stance, party_key
from .policy import Policy
from .wording import basis, missing

if TYPE_CHECKING:
    from .evidence import Copying, Evidence

__all__ = [
    "Assessment",
    "Assessments",
    "Exclusion",
    "Group",
    "Rule",
    "Shortfall",
    "Status",
    "Weighed",
    "assess",
    "logit",
    "sigmoid",
]


def logit(p: float) -> float:
    """Log-odds of a probability strictly between 0 and 1."""
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    """The inverse of `logit`, computed without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class _UnionFind:
    """Disjoint sets of source ids (union by smallest id, path compression)."""

    def __init__(self, parent: dict[str, str] | None = None) -> None:
        self.parent: dict[str, str] = dict(parent or {})

    def find(self, x: str) -> str:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _dependence(ledger: Ledger) -> _UnionFind:
    """Join sources that share an affiliation or declare a dependence: one pass."""
    links = _UnionFind()
    by_party: dict[str, str] = {}
    for source in ledger.sources:
        links.find(source.id)
        if source.affiliation is not None:
            first = by_party.setdefault(party_key(source.affiliation), source.id)
            links.union(first, source.id)
        for dependency in source.depends_on:
            links.union(source.id, dependency)
    return links


def _effective(ledger: Ledger, policy: Policy | None) -> Policy:
    """The policy to apply: the ledger's own when None; the ledger's as_of when it sets none."""
    if policy is None:
        return Policy.from_ledger(ledger)
    if policy.as_of is None and ledger.as_of is not None:
        return attrs.evolve(policy, as_of=ledger.as_of)
    return policy


def assess(ledger: Ledger, policy: Policy | None = None) -> Assessments:
    """Assess every proposition of `ledger` under `policy`.

    Args:
        ledger: The ledger.
        policy: The house rules; None: the ledger's own (`Policy.from_ledger`).
            A policy that sets no `as_of` takes the ledger's.

    Returns:
        One `Assessment` per proposition, in ledger order.  The cost grows
        linearly with the number of claims.  With `Policy.infer_copying` or
        `Policy.learn_reliability` on, the verdicts use the whole ledger's
        evidence (`provenance.evidence`), estimated over a few rounds.
    """
    policy = _effective(ledger, policy)
    if not policy.ledger_wide:
        engine = _Engine(ledger, policy)
        return Assessments(ledger, policy, [engine.assess(p) for p in ledger.propositions])
    from .evidence import settle  # only the ledger-wide switches need it

    evidence, result = settle(ledger, policy)
    return Assessments(ledger, policy, result, evidence)


def _engine(ledger: Ledger, policy: Policy) -> _Engine:
    """The engine `assess` would use for `ledger` under the effective `policy`."""
    if not policy.ledger_wide:
        return _Engine(ledger, policy)
    from .evidence import settle

    evidence, _ = settle(ledger, policy)
    return _Engine(ledger, policy, evidence)


class _Engine:
    """What every proposition's assessment shares: the ledger, the policy, the
    ledger-wide dependence between sources and the date the report is as of."""

    def __init__(self, ledger: Ledger, policy: Policy, evidence: Evidence | None = None) -> None:
        self.ledger = ledger
        self.policy = policy
        self.declared = self.dependence = _dependence(ledger)
        self.cutoff = policy.as_of or dt.date.today()
        self.evidence = evidence
        # Copying inferred from the whole ledger joins sources like a declared dependence.
        self.copying: dict[str, list[Copying]] = {}
        if evidence is not None and evidence.copying:
            self.dependence = _UnionFind(self.declared.parent)
            for pair in evidence.copying:
                self.dependence.union(pair.source.id, pair.other.id)
                self.copying.setdefault(pair.source.id, []).append(pair)
                self.copying.setdefault(pair.other.id, []).append(pair)

    def assess(self, proposition: Proposition) -> Assessment:
        policy = self.policy
        weighed = self._counted(
            [self._weigh(claim, proposition) for claim in self.ledger.claims_on(proposition.id)]
        )
        support = self._groups(weighed, Stance.ASSERTS)
        oppose = self._groups(weighed, Stance.DENIES)
        # fsum is exactly rounded, so the order of the claims cannot change the result.
        x = math.fsum(
            [logit(policy.prior), *(g.weight for g in support), *(-g.weight for g in oppose)]
        )
        probability = sigmoid(x)
        records = tuple(_records(weighed)) if policy.public_record else ()
        status, rule = _decide(support, oppose, records, probability, policy)
        credibility = _credibility(status, probability, [w.source for w in weighed if w.counted])
        supporters = [w.source.reliability for g in support for w in g.members]
        letter = min(supporters, key=lambda r: r.rank) if supporters else Reliability.F

        def excluded(why: Exclusion) -> tuple[Claim, ...]:
            return tuple(w.claim for w in weighed if w.excluded is why)

        return Assessment(
            proposition=proposition,
            status=status,
            probability=probability,
            likelihood=Likelihood.of(probability),
            credibility=credibility,
            rating=Rating(letter, credibility),
            support=support,
            oppose=oppose,
            weighed=tuple(weighed),
            counted=tuple(w.claim for w in weighed if w.counted),
            withdrawn=excluded(Exclusion.WITHDRAWN),
            ignored=excluded(Exclusion.SAID_AFTER),
            superseded=excluded(Exclusion.SUPERSEDED),
            records=records,
            basis=basis(status, rule, support, oppose, records, weighed),
            missing=missing(status, support, oppose, probability, policy, weighed, records),
            rule=rule,
        )

    # -- rule 2: weight ------------------------------------------------------

    def _weigh(self, claim: Claim, proposition: Proposition) -> Weighed:
        policy = self.policy
        source = self.ledger.source(claim.source)
        stake = source.has_stake_in(proposition)
        grades = policy.reliability_p
        accuracy = suggested = None
        if self.evidence is not None and self.evidence.accuracy is not None:
            record = self.evidence.records[source.id]
            suggested = record.suggested
            if claim.credence is None:
                accuracy = record.accuracy
        if claim.credence is not None:
            base = claim.credence
        elif accuracy is not None:
            base = accuracy
        else:
            base = grades[source.reliability]
        hedged = sigmoid(logit(base) * policy.hedging[claim.certainty])
        weakest = None
        for relay_id in claim.via:
            relay = self.ledger.source(relay_id)
            # F means "cannot be judged": it caps nothing.
            if relay.reliability is not Reliability.F and (
                weakest is None or relay.reliability.rank > weakest.reliability.rank
            ):
                weakest = relay
        relayed = hedged if weakest is None else min(hedged, grades[weakest.reliability])
        capped = min(relayed, policy.stake_cap) if stake else relayed
        p = max(0.5, capped)
        shortfalls = []
        if stake:
            shortfalls.append(Shortfall.STAKE)
        if not source.reliability.at_least(policy.min_reliability):
            shortfalls.append(Shortfall.GRADE)
        if claim.certainty is not Certainty.CERTAIN:
            shortfalls.append(Shortfall.HEDGED)
        if p <= 0.5:
            shortfalls.append(Shortfall.EVEN_ODDS)
        contests = (
            not stake
            and source.reliability.at_least(policy.contest_reliability)
            and claim.certainty is not Certainty.POSSIBLE
            and p > 0.5
        )
        excluded = None
        if policy.as_of is not None and claim.said_on is not None and claim.said_on > policy.as_of:
            excluded = Exclusion.SAID_AFTER
        return Weighed(
            claim=claim,
            source=source,
            stake=stake,
            base=base,
            hedged=hedged,
            weakest_relay=weakest,
            relayed=relayed,
            capped=capped,
            p=p,
            excluded=excluded,
            shortfalls=tuple(shortfalls),
            contests=contests,
            accuracy=accuracy,
            suggested=suggested,
        )

    # -- rule 1: the claims that count ----------------------------------------

    def _counted(self, weighed: list[Weighed]) -> list[Weighed]:
        """Mark claims withdrawn through their source and claims superseded by its later word."""
        known = [w for w in weighed if w.excluded is None]
        # A withdrawal is the source's: it takes back every claim of that source
        # on that side said by then (undated ones too), whatever relay carried it.
        withdrawals: dict[tuple[str, Stance], list[Claim]] = {}
        for w in known:
            c = w.claim
            if c.withdrawn_on is not None and c.withdrawn_on <= self.cutoff:
                withdrawals.setdefault((c.source, c.stance), []).append(c)
        by_claim: dict[int, Weighed] = {}
        for key, withdrawing in withdrawals.items():
            withdrawing.sort(key=_withdrawal_order)
            for w in known:
                c = w.claim
                if (c.source, c.stance) != key:
                    continue
                own = c.withdrawn_on is not None and c.withdrawn_on <= self.cutoff
                by = c if own else _covering(withdrawing, c.said_on)
                if by is not None:
                    by_claim[id(w)] = attrs.evolve(w, excluded=Exclusion.WITHDRAWN, excluded_by=by)
        # A source's latest word stands, when every claim it still has here is dated.
        standing: dict[str, list[Weighed]] = {}
        for w in known:
            if id(w) not in by_claim:
                standing.setdefault(w.claim.source, []).append(w)
        for claims in standing.values():
            if len({w.claim.stance for w in claims}) < 2:
                continue
            if any(w.claim.said_on is None for w in claims):
                continue
            latest = max(w.claim.said_on for w in claims if w.claim.said_on is not None)
            last_word = {w.claim.stance for w in claims if w.claim.said_on == latest}
            if len(last_word) > 1:
                continue  # both sides on its latest date: all count
            (stance,) = last_word
            word = min(
                (w.claim for w in claims if w.claim.said_on == latest),
                key=_claim_order,
            )
            for w in claims:
                if w.claim.stance is not stance:
                    by_claim[id(w)] = attrs.evolve(
                        w, excluded=Exclusion.SUPERSEDED, excluded_by=word
                    )
        return [by_claim.get(id(w), w) for w in weighed]

    # -- rule 3: independence groups ------------------------------------------

    def _groups(self, weighed: list[Weighed], stance: Stance) -> tuple[Group, ...]:
        side = [w for w in weighed if w.counted and w.claim.stance is stance]
        if not side:
            return ()
        dependence = self.dependence
        local = _UnionFind()
        voices = {dependence.find(w.claim.source) for w in side}
        # A relayer joins the origins it relays only where it (or a source of
        # its group) also speaks on this side in its own voice.
        for w in side:
            key = dependence.find(w.claim.source)
            for relay in w.claim.via:
                relay_key = dependence.find(relay)
                if relay_key in voices:
                    local.union(key, relay_key)
        members: dict[str, list[Weighed]] = {}
        for w in side:
            members.setdefault(local.find(dependence.find(w.claim.source)), []).append(w)
        return tuple(self._group(stance, group, voices) for group in members.values())

    def _group(self, stance: Stance, members: list[Weighed], voices: set[str]) -> Group:
        p = max(w.p for w in members)
        free = [w.source.reliability for w in members if not w.stake]
        best = min(free, key=lambda r: r.rank) if free else None
        names = dict.fromkeys(w.source.name for w in members)
        links, inferred = self._why_joined(members, voices)
        return Group(
            stance=stance,
            members=tuple(members),
            p=p,
            weight=logit(p),
            best=best,
            stake=best is None,
            qualified=any(not w.shortfalls for w in members),
            contesting=any(w.contests for w in members),
            links=links,
            label=" + ".join(names),
            inferred=inferred,
        )

    def _why_joined(
        self, members: list[Weighed], voices: set[str]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Plain-language reasons why these claims are one voice, and those of
        them that come from inferred copying."""
        ledger, dependence = self.ledger, self.dependence
        reasons: dict[str, bool] = {}  # an ordered set, with whether each is inferred
        speaker_of: dict[str, Weighed] = {}
        for w in members:
            speaker_of.setdefault(dependence.find(w.claim.source), w)
        counts: dict[str, int] = {}
        for w in members:
            counts[w.source.id] = counts.get(w.source.id, 0) + 1
            key = dependence.find(w.source.id)
            for relay_id in w.claim.via:
                relay_key = dependence.find(relay_id)
                relay = ledger.source(relay_id)
                if relay_key == key:
                    reasons.setdefault(*self._dependent(relay, w.source))
                elif relay_key in voices:
                    speaker = speaker_of[relay_key]
                    verb = w.claim.stance.value
                    if speaker.source.id == relay_id:
                        reasons.setdefault(
                            f"{relay.name} relays {w.source.name} and {verb} it in its own voice",
                            False,
                        )
                    else:
                        reasons.setdefault(
                            f"{relay.name} relays {w.source.name}, and {speaker.source.name},"
                            f" of its group, {verb} it in its own voice",
                            False,
                        )
                        reasons.setdefault(*self._dependent(relay, speaker.source))
        for source_id, n in counts.items():
            if n > 1:
                reasons.setdefault(f"{ledger.source(source_id).name} speaks {n} times", False)
        first_of: dict[str, Source] = {}
        for w in members:
            first = first_of.setdefault(dependence.find(w.source.id), w.source)
            if first.id != w.source.id:
                reasons.setdefault(*self._dependent(first, w.source))
        if self.copying:
            # Every inferred pair within the group, with its evidence.
            ids = {w.source.id for w in members}
            found = {
                id(pair): pair
                for source_id in ids
                for pair in self.copying.get(source_id, ())
                if pair.source.id in ids and pair.other.id in ids
            }
            declared = self.declared
            for pair in sorted(found.values(), key=lambda c: (c.source.id, c.other.id)):
                # A pair already declared dependent is joined by the declaration.
                inferred = declared.find(pair.source.id) != declared.find(pair.other.id)
                reasons.setdefault(pair.words, inferred)
        return tuple(reasons), tuple(text for text, inferred in reasons.items() if inferred)

    def _dependent(self, a: Source, b: Source) -> tuple[str, bool]:
        """Why two sources of one dependence group are not independent, and
        whether that is inferred copying."""
        if (
            a.affiliation is not None
            and b.affiliation is not None
            and party_key(a.affiliation) == party_key(b.affiliation)
        ):
            return f"{a.name} and {b.name} share the affiliation {b.affiliation}", False
        if self.copying and self.declared.find(a.id) != self.declared.find(b.id):
            for pair in self.copying.get(a.id, ()):
                if b.id in (pair.source.id, pair.other.id):
                    return pair.words, True
            return (
                f"{a.name} and {b.name} are joined through copying inferred between others",
                True,
            )
        return f"{a.name} and {b.name} are declared dependent", False


def _withdrawal_order(claim: Claim) -> tuple[dt.date, str]:
    assert claim.withdrawn_on is not None
    return (claim.withdrawn_on, repr(claim))


def _claim_order(claim: Claim) -> str:
    return repr(claim)


def _covering(withdrawing: list[Claim], said_on: dt.date | None) -> Claim | None:
    """The earliest withdrawal (sorted by date) that covers a claim said on `said_on`."""
    for claim in withdrawing:
        assert claim.withdrawn_on is not None
        if said_on is None or said_on <= claim.withdrawn_on:
            return claim
    return None


def _records(weighed: Iterable[Weighed]) -> Iterator[Weighed]:
    """Counted claims the public-record rule may rely on."""
    for w in weighed:
        if (
            w.counted
            and w.source.kind is SourceKind.RECORD
            and w.source.reliability is Reliability.A
            and not w.stake
            and w.claim.certainty is not Certainty.POSSIBLE
            and w.p > 0.5
        ):
            yield w


# -- rule 6: the status --------------------------------------------------------


def _decide(
    support: tuple[Group, ...],
    oppose: tuple[Group, ...],
    records: tuple[Weighed, ...],
    probability: float,
    policy: Policy,
) -> tuple[Status, Rule]:
    def qualified(side: tuple[Group, ...]) -> bool:
        return sum(g.qualified for g in side) >= policy.min_independent

    def on_record(stance: Stance) -> bool:
        return any(w.claim.stance is stance for w in records)

    # The public record stands in for the count of groups, never for the bar
    # or the absence of a contesting voice on the other side.
    if probability >= policy.establish_at and not any(g.contesting for g in oppose):
        if on_record(Stance.ASSERTS):
            return Status.ESTABLISHED, Rule.PUBLIC_RECORD
        if qualified(support):
            return Status.ESTABLISHED, Rule.CORROBORATION
    if probability <= 1.0 - policy.establish_at and not any(g.contesting for g in support):
        if on_record(Stance.DENIES):
            return Status.REFUTED, Rule.PUBLIC_RECORD_DENIES
        if qualified(oppose):
            return Status.REFUTED, Rule.REFUTATION
    if support and oppose:
        return Status.DISPUTED, Rule.BOTH_SIDES
    if support or oppose:
        return Status.REPORTED, Rule.ONE_SIDE
    return Status.UNSUPPORTED, Rule.NO_CLAIM


def _credibility(status: Status, probability: float, speakers: list[Source]) -> Credibility:
    if status is Status.ESTABLISHED:
        return Credibility.CONFIRMED
    if status is Status.REFUTED:
        return Credibility.IMPROBABLE
    if all(s.reliability is Reliability.F for s in speakers):
        return Credibility.CANNOT_BE_JUDGED
    if status is Status.DISPUTED and probability < 0.5:
        return Credibility.IMPROBABLE
    if probability >= 0.80:
        return Credibility.PROBABLY_TRUE
    if probability >= 0.55:
        return Credibility.POSSIBLY_TRUE
    return Credibility.DOUBTFUL
