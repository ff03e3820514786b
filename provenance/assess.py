"""Verdicts: from attributed claims to established facts, with reasons.

`assess` turns a ledger's claims into one `Assessment` per proposition under
a `Policy`, following the design's rules:

1. each claim gets a probability of being right, from the analyst's credence
   or its source's grade, shrunk toward even odds by the source's own
   hedging, and capped for a source with a stake in the proposition;
2. claims on each side fall into independence groups (same source, a shared
   affiliation, declared dependence, or a source and its relay chain), and a
   group weighs as its strongest member;
3. the groups' log-odds are pooled with the prior into a probability and its
   ICD 203 likelihood;
4. the proposition is established when enough qualified independent groups
   support it past the bar with no contesting denial (or an A-graded public
   record supports it), refuted in the mirror case, disputed when both sides
   speak and neither holds, reported otherwise.

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
import enum
import math
from collections.abc import Iterator, Sequence
from typing import overload

import attrs

from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger
from .model import Claim, Proposition, Source, SourceKind, Stance, party_key
from .policy import Policy

__all__ = [
    "Assessment",
    "Assessments",
    "Exclusion",
    "Explanation",
    "Group",
    "Rule",
    "Status",
    "Weighed",
    "assess",
    "explain",
]


class Status(enum.StrEnum):
    """A proposition's verdict.  Iterating gives the report's section order."""

    ESTABLISHED = "established"
    REPORTED = "reported"
    DISPUTED = "disputed"
    REFUTED = "refuted"
    UNSUPPORTED = "unsupported"

    @property
    def section(self) -> str:
        """The heading of the report section it lands in."""
        return _SECTIONS[self]


_SECTIONS = {
    Status.ESTABLISHED: "Established facts",
    Status.REPORTED: "Reported claims",
    Status.DISPUTED: "Disputed",
    Status.REFUTED: "Refuted",
    Status.UNSUPPORTED: "Unsupported",
}


class Rule(enum.StrEnum):
    """Which rule decided a proposition's status."""

    PUBLIC_RECORD = "public record"
    CORROBORATION = "independent corroboration"
    PUBLIC_RECORD_DENIES = "public record denies it"
    REFUTATION = "independent refutation"
    BOTH_SIDES = "claims on both sides, neither meets the bar"
    ONE_SIDE = "claims on one side, not enough to decide"
    NO_CLAIM = "no claim counted"


class Exclusion(enum.StrEnum):
    """Why a claim on a proposition is shown but not counted."""

    SAID_AFTER = "said after the as-of date"
    WITHDRAWN = "withdrawn"


def logit(p: float) -> float:
    """Log-odds of a probability strictly between 0 and 1."""
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    """The inverse of `logit`, computed without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@attrs.frozen
class Weighed:
    """One claim as the assessment saw it.

    Attributes:
        claim: The claim.
        source: Its source.
        stake: Whether the source's affiliation is a party the proposition is about.
        base: Its probability of being right, from the credence or the grade.
        hedged: After the source's own hedging.
        p: After the stake cap and the floor at even odds: its weight.
        excluded: Why it does not count, or None when it counts.
    """

    claim: Claim
    source: Source
    stake: bool
    base: float
    hedged: float
    p: float
    excluded: Exclusion | None

    @property
    def counted(self) -> bool:
        """Whether it counts towards the verdict."""
        return self.excluded is None

    @property
    def reason(self) -> str | None:
        """Why it does not count, in words, or None when it counts."""
        if self.excluded is Exclusion.SAID_AFTER:
            assert self.claim.said_on is not None
            return f"said on {self.claim.said_on.isoformat()}, after the as-of date"
        if self.excluded is Exclusion.WITHDRAWN:
            assert self.claim.withdrawn_on is not None
            return f"withdrawn on {self.claim.withdrawn_on.isoformat()}"
        return None


@attrs.frozen
class Group:
    """One independence group on one side: claims that speak as one voice.

    Attributes:
        stance: The side it is on.
        members: Its counted claims.
        p: Its strongest member's p; the group weighs as that one claim.
        weight: logit(p), its contribution to the log-odds.
        best: The best grade among its members with no stake (None: all have one).
        stake: Whether every member has a stake.
        qualified: Whether it counts towards a verdict for its side.
        contesting: Whether it blocks a verdict for the other side.
        links: Why its members were joined.
        label: Its members' names, e.g. ``"KCNA + AFP"``.
    """

    stance: Stance
    members: tuple[Weighed, ...]
    p: float
    weight: float
    best: Reliability | None
    stake: bool
    qualified: bool
    contesting: bool
    links: tuple[str, ...]
    label: str


@attrs.frozen
class Assessment:
    """The verdict on one proposition under one policy.

    Attributes:
        proposition: What was assessed.
        status: The verdict.
        probability: Pooled probability that it is true, in [0, 1].
        likelihood: Its ICD 203 band.
        credibility: The derived Admiralty credibility digit.
        rating: Best supporting source's grade and the credibility, e.g. B1.
        support: The supporting independence groups.
        oppose: The denying independence groups.
        weighed: Every claim on it, in ledger order, counted or not.
        counted: The claims that count.
        withdrawn: Claims withdrawn by the date of the assessment.
        ignored: Claims said after `as_of`.
        basis: One line on what the verdict rests on.
        missing: What would establish it; None when it is established.
        rule: Which rule decided the status.
    """

    proposition: Proposition
    status: Status
    probability: float
    likelihood: Likelihood
    credibility: Credibility
    rating: Rating
    support: tuple[Group, ...]
    oppose: tuple[Group, ...]
    weighed: tuple[Weighed, ...]
    counted: tuple[Claim, ...]
    withdrawn: tuple[Claim, ...]
    ignored: tuple[Claim, ...]
    basis: str
    missing: str | None
    rule: Rule


class Assessments(Sequence[Assessment]):
    """The assessments of a ledger's propositions, in ledger order.

    Index by position or by proposition id: ``result["naryshkin-visit"]``.
    """

    def __init__(self, ledger: Ledger, policy: Policy, items: Sequence[Assessment]) -> None:
        self.ledger = ledger
        self.policy = policy
        self._items = tuple(items)
        self._by_id = {a.proposition.id: a for a in self._items}

    @overload
    def __getitem__(self, key: int | str) -> Assessment: ...
    @overload
    def __getitem__(self, key: slice) -> Sequence[Assessment]: ...
    def __getitem__(self, key: int | str | slice) -> Assessment | Sequence[Assessment]:
        if isinstance(key, str):
            try:
                return self._by_id[key]
            except KeyError:
                raise KeyError(key) from None
        return self._items[key]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self._items)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._by_id
        return item in self._items

    def by_status(self, status: Status) -> tuple[Assessment, ...]:
        """The assessments with this status, in ledger order."""
        return tuple(a for a in self._items if a.status is status)

    def __repr__(self) -> str:
        counts = ", ".join(f"{s.value} {len(self.by_status(s))}" for s in Status)
        return f"<Assessments of {len(self)} propositions: {counts}>"


class _Links:
    """A union-find over source ids that remembers why it joined them."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

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


def _dependence(ledger: Ledger) -> _Links:
    """Join sources that share an affiliation or declare a dependence: one pass."""
    links = _Links()
    by_party: dict[str, str] = {}
    for source in ledger.sources:
        links.find(source.id)
        if source.affiliation is not None:
            first = by_party.setdefault(party_key(source.affiliation), source.id)
            links.union(first, source.id)
        for dependency in source.depends_on:
            links.union(source.id, dependency)
    return links


def assess(ledger: Ledger, policy: Policy | None = None) -> Assessments:
    """Assess every proposition of `ledger` under `policy`.

    Args:
        ledger: The ledger.
        policy: The house rules; None: the ledger's own (`Policy.from_ledger`).

    Returns:
        One `Assessment` per proposition, in ledger order.  The cost grows
        linearly with the number of claims.
    """
    policy = Policy.from_ledger(ledger) if policy is None else policy
    dependence = _dependence(ledger)
    today = dt.date.today()
    items = [
        _assess_one(ledger, proposition, policy, dependence, today)
        for proposition in ledger.propositions
    ]
    return Assessments(ledger, policy, items)


def _weigh(
    claim: Claim, source: Source, proposition: Proposition, policy: Policy, today: dt.date
) -> Weighed:
    stake = source.has_stake_in(proposition)
    base = (
        claim.credence if claim.credence is not None else policy.reliability_p[source.reliability]
    )
    hedged = sigmoid(logit(base) * policy.hedging[claim.certainty])
    p = max(0.5, min(hedged, policy.stake_cap) if stake else hedged)
    excluded = None
    cutoff = policy.as_of or today
    if policy.as_of is not None and claim.said_on is not None and claim.said_on > policy.as_of:
        excluded = Exclusion.SAID_AFTER
    elif claim.withdrawn_on is not None and claim.withdrawn_on <= cutoff:
        excluded = Exclusion.WITHDRAWN
    return Weighed(claim, source, stake, base, hedged, p, excluded)


def _groups(
    ledger: Ledger, weighed: list[Weighed], stance: Stance, policy: Policy, dependence: _Links
) -> tuple[Group, ...]:
    side = [w for w in weighed if w.counted and w.claim.stance is stance]
    if not side:
        return ()
    local = _Links()
    for w in side:
        key = dependence.find(w.claim.source)
        for relay in w.claim.via:
            local.union(key, dependence.find(relay))
    members: dict[str, list[Weighed]] = {}
    for w in side:
        members.setdefault(local.find(dependence.find(w.claim.source)), []).append(w)
    return tuple(_group(ledger, stance, group, policy, dependence) for group in members.values())


def _group(
    ledger: Ledger, stance: Stance, members: list[Weighed], policy: Policy, dependence: _Links
) -> Group:
    p = max(w.p for w in members)
    free = [w.source.reliability for w in members if not w.stake]
    best = min(free, key=lambda r: r.rank) if free else None
    names = dict.fromkeys(w.source.name for w in members)
    return Group(
        stance=stance,
        members=tuple(members),
        p=p,
        weight=logit(p),
        best=best,
        stake=best is None,
        qualified=best is not None and best.at_least(policy.min_reliability),
        contesting=best is not None and best.at_least(policy.contest_reliability),
        links=_why_joined(ledger, members, dependence),
        label=" + ".join(names),
    )


def _why_joined(ledger: Ledger, members: list[Weighed], dependence: _Links) -> tuple[str, ...]:
    """Plain-language reasons why these claims are one voice."""
    reasons: dict[str, None] = {}  # an ordered set: long relay chains stay linear

    def add(reason: str) -> None:
        reasons.setdefault(reason)

    counts: dict[str, int] = {}
    for w in members:
        counts[w.source.id] = counts.get(w.source.id, 0) + 1
        for relay in w.claim.via:
            add(f"{ledger.source(relay).name} relays {w.source.name}")
    for source_id, n in counts.items():
        if n > 1:
            add(f"{ledger.source(source_id).name} speaks {n} times")
    by_key: dict[str, Source] = {}
    speakers = [ledger.source(s) for w in members for s in w.claim.speakers()]
    for source in speakers:
        first = by_key.setdefault(dependence.find(source.id), source)
        if first.id == source.id:
            continue
        if (
            first.affiliation is not None
            and source.affiliation is not None
            and party_key(first.affiliation) == party_key(source.affiliation)
        ):
            add(f"{first.name} and {source.name} share the affiliation {source.affiliation}")
        else:
            add(f"{first.name} and {source.name} are declared dependent")
    return tuple(reasons)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _records(groups: tuple[Group, ...]) -> list[Weighed]:
    return [
        w
        for g in groups
        for w in g.members
        if w.source.kind is SourceKind.RECORD
        and w.source.reliability is Reliability.A
        and not w.stake
    ]


def _assess_one(
    ledger: Ledger,
    proposition: Proposition,
    policy: Policy,
    dependence: _Links,
    today: dt.date,
) -> Assessment:
    weighed = [
        _weigh(claim, ledger.source(claim.source), proposition, policy, today)
        for claim in ledger.claims_on(proposition.id)
    ]
    support = _groups(ledger, weighed, Stance.ASSERTS, policy, dependence)
    oppose = _groups(ledger, weighed, Stance.DENIES, policy, dependence)
    # fsum is exactly rounded, so the order of the claims cannot change the result.
    x = math.fsum([logit(policy.prior), *(g.weight for g in support), *(-g.weight for g in oppose)])
    probability = sigmoid(x)

    contest_for = any(g.contesting for g in support)
    contest_against = any(g.contesting for g in oppose)
    records_for = _records(support) if policy.public_record else []
    records_against = _records(oppose) if policy.public_record else []

    corroborated = _carried(support, oppose, probability >= policy.establish_at, policy)
    refuted_by_sources = _carried(oppose, support, probability <= 1.0 - policy.establish_at, policy)
    if records_for and not contest_against:
        status, rule = Status.ESTABLISHED, Rule.PUBLIC_RECORD
    elif corroborated:
        status, rule = Status.ESTABLISHED, Rule.CORROBORATION
    elif records_against and not contest_for:
        status, rule = Status.REFUTED, Rule.PUBLIC_RECORD_DENIES
    elif refuted_by_sources:
        status, rule = Status.REFUTED, Rule.REFUTATION
    elif support and oppose:
        status, rule = Status.DISPUTED, Rule.BOTH_SIDES
    elif support or oppose:
        status, rule = Status.REPORTED, Rule.ONE_SIDE
    else:
        status, rule = Status.UNSUPPORTED, Rule.NO_CLAIM

    counted = tuple(w.claim for w in weighed if w.counted)
    speakers = [w.source for w in weighed if w.counted]
    credibility = _credibility(status, probability, speakers)
    supporters = [w.source.reliability for g in support for w in g.members]
    letter = min(supporters, key=lambda r: r.rank) if supporters else Reliability.F

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
        counted=counted,
        withdrawn=tuple(w.claim for w in weighed if w.excluded is Exclusion.WITHDRAWN),
        ignored=tuple(w.claim for w in weighed if w.excluded is Exclusion.SAID_AFTER),
        basis=_basis(status, rule, support, oppose, records_for, records_against, weighed),
        missing=None
        if status is Status.ESTABLISHED
        else _missing(support, oppose, probability, policy, weighed),
        rule=rule,
    )


def _carried(
    side: tuple[Group, ...], other: tuple[Group, ...], past_bar: bool, policy: Policy
) -> bool:
    """Whether `side` carries the verdict by independent sources: enough qualified
    groups, no contesting group on the `other` side, and the probability past the bar."""
    return (
        sum(g.qualified for g in side) >= policy.min_independent
        and not any(g.contesting for g in other)
        and past_bar
    )


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


def _labels(groups: Sequence[Group]) -> str:
    return "; ".join(f"{g.label} (has a stake)" if g.stake else g.label for g in groups)


def _basis(
    status: Status,
    rule: Rule,
    support: tuple[Group, ...],
    oppose: tuple[Group, ...],
    records_for: list[Weighed],
    records_against: list[Weighed],
    weighed: list[Weighed],
) -> str:
    if rule is Rule.PUBLIC_RECORD:
        return "public record: " + "; ".join(dict.fromkeys(w.source.name for w in records_for))
    if rule is Rule.PUBLIC_RECORD_DENIES:
        return "public record denies it: " + "; ".join(
            dict.fromkeys(w.source.name for w in records_against)
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
    dropped = [w.reason for w in weighed if w.reason]
    if dropped:
        return "no claim counted: " + "; ".join(dict.fromkeys(r for r in dropped if r))
    return "no claim bears on it"


def _missing(
    support: tuple[Group, ...],
    oppose: tuple[Group, ...],
    probability: float,
    policy: Policy,
    weighed: list[Weighed],
) -> str:
    needs: list[str] = []
    if not support:
        needs.append("no source asserts it")
    elif all(g.stake for g in support):
        needs.append("only parties with a stake have spoken")
    qualified = sum(g.qualified for g in support)
    short = policy.min_independent - qualified
    if short > 0:
        grade = policy.min_reliability.value
        more = "more " if qualified else ""
        needs.append(
            f"needs {short} {more}independent source{'s' if short > 1 else ''}"
            f" with no stake, graded {grade} or better"
        )
    contesting = [g for g in oppose if g.contesting]
    if contesting:
        needs.append("contested by " + _labels(contesting))
    if short <= 0 and not contesting and probability < policy.establish_at:
        needs.append(f"probability {probability:.0%} is below the {policy.establish_at:.0%} bar")
    return "; ".join(needs)


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

    Args:
        ledger: The ledger.
        proposition_id: Which proposition.
        policy: The house rules; None: the ledger's own.

    Returns:
        An `Explanation`: each claim's probability before and after hedging
        and capping, the group it joined and why, each group's weight, the
        log-odds sum, and which rule fired and which did not.

    Raises:
        LedgerError: There is no such proposition.
    """
    policy = Policy.from_ledger(ledger) if policy is None else policy
    proposition = ledger.proposition(proposition_id)
    result = _assess_one(ledger, proposition, policy, _dependence(ledger), dt.date.today())
    steps = [f"{proposition.id}: {proposition.text}", f"policy: {policy.summary()}"]
    if proposition.about:
        steps.append("about: " + ", ".join(proposition.about))
    steps.append("claims:")
    for index, w in enumerate(result.weighed):
        chain = (
            " via " + ", ".join(ledger.source(r).name for r in w.claim.via) if w.claim.via else ""
        )
        origin = (
            "credence" if w.claim.credence is not None else f"grade {w.source.reliability.value}"
        )
        line = (
            f"  [{index}] {w.source.name}{chain} {w.claim.stance.value}"
            f" ({w.claim.certainty.value}): p {w.base:.2f} from {origin}"
            f", {w.hedged:.2f} after hedging"
        )
        capped = min(w.hedged, policy.stake_cap) if w.stake else w.hedged
        if w.stake:
            line += f", {capped:.2f} after the stake cap ({w.source.affiliation} has a stake)"
        if w.p != capped:
            line += f", {w.p:.2f}: a claim is never evidence for the other side"
        line += "" if w.counted else f"; not counted: {w.reason}"
        steps.append(line)
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


def _rules(result: Assessment, policy: Policy) -> list[str]:
    qualified = sum(g.qualified for g in result.support)
    contesting = [g.label for g in result.oppose if g.contesting]
    records = _records(result.support)
    lines = ["rules:"]
    if not policy.public_record:
        lines.append("  public record: off in this policy")
    elif records:
        blocked = f", but contested by {'; '.join(contesting)}" if contesting else ""
        lines.append(f"  public record: {records[0].source.name} is an A-graded record{blocked}")
    else:
        lines.append("  public record: no A-graded record with no stake supports it")
    verdict = "met" if qualified >= policy.min_independent else "not met"
    lines.append(
        f"  independent corroboration: {qualified} qualified group(s) of"
        f" {policy.min_independent} needed ({verdict})"
    )
    if contesting:
        lines.append("  contesting denials: " + "; ".join(contesting))
    bar = "met" if result.probability >= policy.establish_at else "not met"
    lines.append(f"  probability bar {policy.establish_at:.0%}: {bar}")
    denials = sum(g.qualified for g in result.oppose)
    floor = 1.0 - policy.establish_at
    refuted = _carried(result.oppose, result.support, result.probability <= floor, policy)
    lines.append(
        f"  independent refutation: {denials} qualified denying group(s),"
        f" probability {'at or below' if result.probability <= floor else 'above'} {floor:.0%}"
        f" ({'met' if refuted else 'not met'})"
    )
    return lines
