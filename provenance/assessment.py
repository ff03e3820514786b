"""What an assessment is: the verdict on a proposition and everything it rests on.

These are the results `assess` computes and `explain`, the report and the
exports read: `Status` (the verdict), `Rule` (which rule decided it),
`Weighed` (one claim, each step of its weight, and whether it counts and
why not), `Group` (an independence group), `Assessment` (one proposition's
verdict) and `Assessments` (a ledger's, indexable by proposition id).
Decisions are data: enums for rules and reasons, words only for display.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

import attrs

from .grading import Credibility, Likelihood, Rating, Reliability
from .ledger import Ledger, suggest
from .model import Claim, Proposition, Source, Stance
from .policy import Policy

if TYPE_CHECKING:
    from .evidence import Evidence

__all__ = [
    "Assessment",
    "Assessments",
    "Exclusion",
    "Group",
    "Rule",
    "Shortfall",
    "Status",
    "Weighed",
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
    SUPERSEDED = "superseded"


class Shortfall(enum.StrEnum):
    """Why a counted claim does not corroborate (or contest) on its own."""

    STAKE = "its source has a stake"
    GRADE = "its source is graded below the bar"
    HEDGED = "it is hedged"
    EVEN_ODDS = "it weighs no more than even odds"


@attrs.frozen
class Weighed:
    """One claim as the assessment saw it: each step of its weight, and whether it counts.

    Attributes:
        claim: The claim.
        source: Its source.
        stake: Whether the source's affiliation is a party the proposition is about.
        base: Its probability of being right, from the credence or the grade.
        hedged: After the source's own hedging.
        weakest_relay: The lowest-graded relay (A-E) it reached us through,
            or None when no graded relay carried it.
        relayed: After the cap of its weakest relay.
        capped: After the stake cap (equal to `relayed` without a stake).
        p: After the floor at even odds: its weight.
        excluded: Why it does not count, or None when it counts.
        excluded_by: The claim whose withdrawal or later word excluded it
            (itself for its own withdrawal); None when it counts or was
            said after the as-of date.
        shortfalls: Why it cannot corroborate, under the policy; empty when it can.
        contests: Whether it can contest the other side, under the policy.
        accuracy: The source's accuracy estimated from its record, when the
            policy learns reliability and it stood in for the grade as
            `base`; None otherwise (see `provenance.evidence`).
        suggested: The grade the source's record suggests, beside the one it
            was given; None unless the policy learns reliability.
    """

    claim: Claim
    source: Source
    stake: bool
    base: float
    hedged: float
    weakest_relay: Source | None
    relayed: float
    capped: float
    p: float
    excluded: Exclusion | None = None
    excluded_by: Claim | None = None
    shortfalls: tuple[Shortfall, ...] = ()
    contests: bool = False
    accuracy: float | None = None
    suggested: Reliability | None = None

    @property
    def counted(self) -> bool:
        """Whether it counts towards the verdict."""
        return self.excluded is None

    @property
    def qualifies(self) -> bool:
        """Whether it can corroborate its side on its own: no shortfall."""
        return self.counted and not self.shortfalls

    @property
    def reason(self) -> str | None:
        """Why it does not count, in words, or None when it counts."""
        claim, by = self.claim, self.excluded_by
        if self.excluded is Exclusion.SAID_AFTER:
            assert claim.said_on is not None
            return f"said on {claim.said_on.isoformat()}, after the as-of date"
        if self.excluded is Exclusion.WITHDRAWN:
            assert by is not None and by.withdrawn_on is not None
            when = by.withdrawn_on.isoformat()
            if by is claim:
                return f"withdrawn on {when}"
            return f"withdrawn: {self.source.name} withdrew its claims on this side on {when}"
        if self.excluded is Exclusion.SUPERSEDED:
            assert by is not None and by.said_on is not None
            return (
                f"superseded: {self.source.name} {by.stance.value} it on {by.said_on.isoformat()}"
            )
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
        qualified: Whether a member corroborates its side: no stake, graded
            at least the policy's `min_reliability`, said firmly, above even odds.
        contesting: Whether a member blocks a verdict for the other side: no
            stake, graded at least `contest_reliability`, not hedged
            "possible", above even odds.
        links: Why its members were joined, in words.
        label: Its members' names, e.g. ``"KCNA + AFP"``.
        inferred: Those of `links` that come from copying inferred from
            the whole ledger (`Policy.infer_copying`), each with its
            evidence; the basis names them.
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
    inferred: tuple[str, ...] = ()


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
        superseded: Claims whose source's later word took the other side.
        records: Counted claims of A-graded public records with no stake,
            said firmly enough (not "possible"), that the public-record rule
            may rely on (empty when the policy turns the rule off).
        basis: One line on what the verdict rests on.
        missing: What it lacks to be established, true to its status;
            None when it is established.
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
    superseded: tuple[Claim, ...]
    records: tuple[Weighed, ...]
    basis: str
    missing: str | None
    rule: Rule


class Assessments(Sequence[Assessment]):
    """The assessments of a ledger's propositions, in ledger order.

    Index by position or by proposition id: ``result["naryshkin-visit"]``.
    An unknown id raises a `KeyError` that names the closest ids.
    """

    def __init__(
        self,
        ledger: Ledger,
        policy: Policy,
        items: Sequence[Assessment],
        evidence: Evidence | None = None,
    ) -> None:
        self.ledger = ledger
        self.policy = policy
        #: The ledger-wide evidence the verdicts used (a
        #: `provenance.evidence.Evidence`), or None when the policy uses none.
        self.evidence = evidence
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
                raise KeyError(f"no proposition {key!r}{suggest(key, self._by_id)}") from None
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
