"""Ledger-wide evidence: who copies whom, and each source's track record.

Two policy switches look at the whole ledger rather than one proposition
(and so set aside the rule that a verdict depends only on the claims about
its own proposition):

- `Policy.learn_reliability`: each source's accuracy is estimated from its
  record against the verdicts, a Beta prior centred on its grade's
  probability (weight `Policy.prior_weight`, 4 by default) updated with the
  claims it got right and wrong on settled (established or refuted)
  propositions; the estimate stands in for the grade as its claims' weight.
- `Policy.infer_copying`: two sources that share at least
  `Policy.copy_min_shared` propositions and agree on them far more often
  than independent sources of their estimated accuracy would (one-sided
  binomial tail below `Policy.copy_alpha`), or more often than that
  (tail below `Policy.copy_alpha_led`) while one of them speaks first far
  more often than their habits of speaking first would explain (the same
  bar; even odds without `Policy.copy_lead_habits`), are treated as
  dependent, one voice, like a declared dependence.

Both are estimated in rounds (`Policy.evidence_rounds`): assess, estimate,
re-assess with the estimate, and so on; the last estimate is the one the
verdicts use, and the one `track_records` and `copies` return.

Pairs come from co-occurrence: for each proposition, the sources that speak
on it in their own voice.  The cost is linear in the number of claims for a
bounded number of speakers per proposition; no pair of sources that never
meet is ever looked at.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> sources = [Source("wire", "Wire", reliability="D"), Source("echo", "Echo", reliability="D")]
>>> props = [Proposition(f"p{i}", f"Statement {i}.") for i in range(16)]
>>> claims = [Claim(p.id, s.id, stance="asserts" if i % 3 else "denies")
...           for i, p in enumerate(props) for s in sources]
>>> ledger = Ledger.from_objects(sources, props, claims)
>>> [pair.words for pair in copies(ledger)]  # doctest: +NORMALIZE_WHITESPACE
['Echo and Wire likely copy one another or a common origin: agree on 16 of 16
  shared propositions; independent sources of their record would agree on about 8']
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import attrs

from .assess import _effective, _Engine, logit, sigmoid
from .assessment import Assessment
from .grading import Reliability
from .ledger import Ledger
from .model import Source, Stance
from .policy import Policy

__all__ = [
    "Copying",
    "Evidence",
    "TrackRecord",
    "beta_quantile",
    "binomial_tail",
    "copies",
    "settle",
    "track_records",
]

#: The credible interval of an accuracy estimate: 90 %, equal-tailed.
INTERVAL = 0.90


# -- numbers ---------------------------------------------------------------


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly in log space.

    >>> round(binomial_tail(34, 34, 0.65) / 0.65**34, 9)
    1.0
    >>> round(binomial_tail(1, 2, 0.5), 9)
    0.75
    """
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    lgn = math.lgamma(n + 1)
    terms = [
        lgn - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * math.fsum(math.exp(t - top) for t in terms))


def _beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b).

    Its continued fraction (Abramowitz & Stegun 26.5.8), evaluated by the
    modified Lentz method, on the side where it converges fast.
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _beta_cdf(1.0 - x, b, a)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-14:
            break
    return math.exp(log_front) * fraction / a


def beta_quantile(q: float, a: float, b: float) -> float:
    """The `q` quantile of a Beta(a, b) distribution, by bisection on its CDF.

    >>> round(beta_quantile(0.5, 2.0, 2.0), 6)
    0.5
    """
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2.0
        if _beta_cdf(middle, a, b) < q:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def suggested_grade(accuracy: float, policy: Policy) -> Reliability:
    """The Admiralty letter (A-E) whose probability is nearest `accuracy`.

    Ties go to the worse letter: a record earns a grade, it is not lent one.
    """
    table = policy.reliability_p
    letters = [r for r in Reliability if r is not Reliability.F]
    return min(letters, key=lambda r: (abs(table[r] - accuracy), -r.rank))


# -- results ---------------------------------------------------------------


@attrs.frozen
class TrackRecord:
    """How often a source has been right on settled propositions.

    Attributes:
        source: The source.
        claims: Its counted claims in its own voice (relayed ones included).
        right: Settled propositions (established or refuted) on which it
            took the side of the verdict.
        wrong: Settled propositions on which it took the other side.
        accuracy: The mean of its accuracy's Beta posterior: a prior
            centred on its grade's probability, of `prior_weight` claims,
            updated with `right` and `wrong`.
        alpha: The posterior's first parameter (prior plus right).
        beta: The posterior's second parameter (prior plus wrong).
        suggested: The grade its record suggests: the letter A-E whose
            probability is nearest `accuracy`; F when nothing it said is settled.
    """

    source: Source
    claims: int
    right: int
    wrong: int
    accuracy: float
    alpha: float
    beta: float
    suggested: Reliability

    @property
    def settled(self) -> int:
        """Its claims on settled propositions, one per proposition."""
        return self.right + self.wrong

    @property
    def given(self) -> Reliability:
        """The grade the analyst gave the source."""
        return self.source.reliability

    @property
    def interval(self) -> tuple[float, float]:
        """The 90 % equal-tailed credible interval of its accuracy."""
        tail = (1.0 - INTERVAL) / 2.0
        return (
            beta_quantile(tail, self.alpha, self.beta),
            beta_quantile(1.0 - tail, self.alpha, self.beta),
        )


@attrs.frozen
class Copying:
    """Two sources that agree far more often than independent ones would.

    The pair is named in id order unless the dates say who spoke first:
    then `other` is the likely origin and `source` the likely copier.

    Attributes:
        source: The likely copier (or the first of the pair by id).
        other: The likely origin (or the second of the pair by id).
        shared: Propositions on which both take one side in their own voice.
        agreed: Of those, the ones on which they take the same side.
        expected: The probability that independent sources of their
            estimated accuracies a and b agree: a*b + (1-a)*(1-b).
        tail: P(X >= agreed) for X ~ Binomial(shared, expected).
        earlier: Shared propositions, both dated, on which `other` spoke first.
        later: Shared propositions, both dated, on which `source` spoke first.
        led: Whether the pair was flagged by its lead: agreement tail below
            `Policy.copy_alpha_led` (not `copy_alpha`) and, of the dated
            shared propositions, one of them speaking first so often that
            independent sources with their habits of speaking first (even
            odds without `Policy.copy_lead_habits`) would do it with
            probability below `copy_alpha_led`.
    """

    source: Source
    other: Source
    shared: int
    agreed: int
    expected: float
    tail: float
    earlier: int
    later: int
    led: bool = False

    @property
    def origin(self) -> Source | None:
        """The likely origin: whichever of the two spoke first more often, if known."""
        return self.other if self.earlier > self.later else None

    @property
    def words(self) -> str:
        """The pair and its evidence, in a sentence."""
        if self.origin is not None:
            who = f"{self.source.name} likely copies {self.other.name}"
        else:
            who = (
                f"{self.source.name} and {self.other.name} likely copy one another"
                " or a common origin"
            )
        words = (
            f"{who}: agree on {self.agreed} of {self.shared} shared propositions;"
            " independent sources of their record would agree on about"
            f" {round(self.expected * self.shared)}"
        )
        if self.led:
            words += (
                f"; and {self.other.name} spoke first on {self.earlier}"
                f" of {self.earlier + self.later} dated ones"
            )
        return words


@attrs.frozen
class Evidence:
    """What the ledger as a whole says about its sources, as a verdict uses it.

    Attributes:
        records: Every source's track record, by id.
        pairs: Every suspected copying pair, found whether or not the policy
            infers copying, ordered by the pair's ids.
        copying: The pairs the verdicts treat as dependent (empty unless
            the policy infers copying).
        accuracy: The accuracy each source's claims are weighed by, by id
            (None unless the policy learns reliability).
    """

    records: Mapping[str, TrackRecord]
    pairs: tuple[Copying, ...]
    copying: tuple[Copying, ...]
    accuracy: Mapping[str, float] | None


# -- estimation ------------------------------------------------------------


@attrs.frozen
class _Voice:
    """One source speaking in its own voice on one proposition."""

    stance: Stance | None  # None when its counted claims there take both sides
    first: dt.date | None  # the earliest date of those claims
    group: int  # its independence group's index there (-1 when it takes both sides)


@attrs.frozen
class _Scene:
    """What one proposition's assessment says about the sources speaking on it."""

    total: float  # the pooled log-odds
    weights: tuple[float, ...]  # each group's signed log-odds, by index
    voices: Mapping[str, _Voice]

    def settled_without(self, first: int, second: int, bar: float) -> Stance | None:
        """The side the other groups settle without groups `first` and `second` (may
        be the same), or None; `bar` is logit(establish_at)."""
        x = self.total - self.weights[first]
        if second != first:
            x -= self.weights[second]
        if x >= bar:
            return Stance.ASSERTS
        if x <= -bar:
            return Stance.DENIES
        return None


def _scene(a: Assessment, policy: Policy) -> _Scene:
    groups = [(g, 1.0) for g in a.support] + [(g, -1.0) for g in a.oppose]
    weights = tuple(sign * g.weight for g, sign in groups)
    total = math.fsum([logit(policy.prior), *weights])
    voices: dict[str, _Voice] = {}
    for index, (group, _) in enumerate(groups):
        for w in group.members:
            c = w.claim
            known = voices.get(c.source)
            if known is None:
                voices[c.source] = _Voice(c.stance, c.said_on, index)
                continue
            first = known.first
            if c.said_on is not None and (first is None or c.said_on < first):
                first = c.said_on
            same = known.stance is c.stance
            voices[c.source] = _Voice(
                c.stance if same else None, first, known.group if same else -1
            )
    return _Scene(total, weights, voices)


def _posterior(policy: Policy, source: Source, right: int, wrong: int) -> tuple[float, float]:
    p = policy.reliability_p[source.reliability]
    return policy.prior_weight * p + right, policy.prior_weight * (1.0 - p) + wrong


def _records(
    ledger: Ledger, policy: Policy, result: Sequence[Assessment], scenes: Sequence[_Scene]
) -> dict[str, TrackRecord]:
    """Each source judged where the other groups settle the proposition without its own.

    Judged by verdicts it helped reach, a source would confirm its own
    record; judged only where the verdict is established or refuted, a
    graded source that contests the other side would never be found wrong,
    since its denial blocks the verdict.
    """
    right = dict.fromkeys((s.id for s in ledger.sources), 0)
    wrong = dict(right)
    made = dict(right)
    bar = logit(policy.establish_at)  # compared in log-odds: no sigmoid per pair
    for a, scene in zip(result, scenes, strict=True):
        for w in a.weighed:
            if w.counted:
                made[w.claim.source] += 1
        for source_id, voice in scene.voices.items():
            if voice.stance is None:
                continue
            truth = scene.settled_without(voice.group, voice.group, bar)
            if truth is voice.stance:
                right[source_id] += 1
            elif truth is not None:
                wrong[source_id] += 1
    records = {}
    for source in ledger.sources:
        alpha, beta = _posterior(policy, source, right[source.id], wrong[source.id])
        accuracy = alpha / (alpha + beta)
        settled = right[source.id] + wrong[source.id]
        records[source.id] = TrackRecord(
            source=source,
            claims=made[source.id],
            right=right[source.id],
            wrong=wrong[source.id],
            accuracy=accuracy,
            alpha=alpha,
            beta=beta,
            suggested=suggested_grade(accuracy, policy) if settled else Reliability.F,
        )
    return records


def _pairs(ledger: Ledger, policy: Policy, scenes: Sequence[_Scene]) -> tuple[Copying, ...]:
    """Pairs that agree far more than independent sources of their records would.

    For the test of a pair, each one's record is judged without the voices
    of either: two sources that copy each other would otherwise vouch for
    each other's record, and the agreement expected of them would grow with
    the very copying under test.
    """
    # shared, agreed, first spoke first, second spoke first,
    # first right, first wrong, second right, second wrong; keyed by ids in order.
    counts: dict[tuple[str, str], list[int]] = {}
    bar = logit(policy.establish_at)  # compared in log-odds: no sigmoid per pair
    # A source on fewer propositions than copy_min_shared is in no pair worth testing.
    spoken: dict[str, int] = {}
    for scene in scenes:
        for source_id, voice in scene.voices.items():
            if voice.stance is not None:
                spoken[source_id] = spoken.get(source_id, 0) + 1
    least = policy.copy_min_shared
    for scene in scenes:
        speakers = sorted(
            (
                (s, v)
                for s, v in scene.voices.items()
                if v.stance is not None and spoken[s] >= least
            ),
            key=_first,
        )
        for i, (a, va) in enumerate(speakers):
            for b, vb in speakers[i + 1 :]:
                tally = counts.get((a, b))
                if tally is None:
                    tally = counts[a, b] = [0] * 8
                tally[0] += 1
                tally[1] += va.stance is vb.stance
                if va.first is not None and vb.first is not None and va.first != vb.first:
                    tally[2 if va.first < vb.first else 3] += 1
                truth = scene.settled_without(va.group, vb.group, bar)
                if truth is not None:
                    tally[4 if va.stance is truth else 5] += 1
                    tally[6 if vb.stance is truth else 7] += 1
    # Each source's habit of speaking first: dated encounters won and lost.
    won: dict[str, int] = {}
    lost: dict[str, int] = {}
    for (a, b), tally in counts.items():
        won[a] = won.get(a, 0) + tally[2]
        lost[a] = lost.get(a, 0) + tally[3]
        won[b] = won.get(b, 0) + tally[3]
        lost[b] = lost.get(b, 0) + tally[2]
    found = []
    for (a, b), tally in sorted(counts.items()):
        shared, agreed, a_first, b_first = tally[:4]
        if shared < policy.copy_min_shared:
            continue
        first, second = ledger.source(a), ledger.source(b)
        x = _mean(*_posterior(policy, first, tally[4], tally[5]))
        y = _mean(*_posterior(policy, second, tally[6], tally[7]))
        expected = x * y + (1.0 - x) * (1.0 - y)
        if agreed <= expected * shared:
            continue  # no more agreement than expected: nothing to test
        tail = binomial_tail(agreed, shared, expected)
        led = False
        if tail >= policy.copy_alpha:
            # The weaker agreement test, passed together with a one-sided lead,
            # against the odds of speaking first that independent sources with
            # their habits would have (even odds without copy_lead_habits).
            theta = 0.5
            if policy.copy_lead_habits:
                theta = _first_odds(won, lost, a, b, a_first, b_first)
            if a_first >= b_first:
                lead = binomial_tail(a_first, a_first + b_first, theta)
            else:
                lead = binomial_tail(b_first, a_first + b_first, 1.0 - theta)
            led = tail < policy.copy_alpha_led and lead < policy.copy_alpha_led
            if not led:
                continue
        if a_first > b_first:  # a spoke first more often: b likely copies a
            copier, origin, earlier, later = second, first, a_first, b_first
        else:
            copier, origin, earlier, later = first, second, b_first, a_first
        found.append(Copying(copier, origin, shared, agreed, expected, tail, earlier, later, led))
    return tuple(found)


def _first_odds(
    won: Mapping[str, int], lost: Mapping[str, int], a: str, b: str, a_first: int, b_first: int
) -> float:
    """The probability that `a` speaks before `b`, from their habits with everyone else.

    Each source's habit is its share of dated encounters it spoke first in,
    with every source but the other of the pair (Laplace's rule of
    succession: one win and one loss added); the two habits are set against
    each other on the log-odds scale, as in the Bradley-Terry model
    (Bradley & Terry, Biometrika 1952).
    """
    habit_a = (won[a] - a_first + 1.0) / (won[a] + lost[a] - a_first - b_first + 2.0)
    habit_b = (won[b] - b_first + 1.0) / (won[b] + lost[b] - a_first - b_first + 2.0)
    return sigmoid(logit(habit_a) - logit(habit_b))


def _first(item: tuple[str, _Voice]) -> str:
    return item[0]


def _mean(alpha: float, beta: float) -> float:
    return alpha / (alpha + beta)


def _estimate(ledger: Ledger, policy: Policy, result: Sequence[Assessment]) -> Evidence:
    scenes = [_scene(a, policy) for a in result]
    records = _records(ledger, policy, result, scenes)
    pairs = _pairs(ledger, policy, scenes)
    accuracy = (
        {source_id: r.accuracy for source_id, r in records.items()}
        if policy.learn_reliability
        else None
    )
    return Evidence(records, pairs, pairs if policy.infer_copying else (), accuracy)


def _run(ledger: Ledger, policy: Policy, evidence: Evidence | None) -> list[Assessment]:
    engine = _Engine(ledger, policy, evidence)
    return [engine.assess(p) for p in ledger.propositions]


def settle(ledger: Ledger, policy: Policy | None = None) -> tuple[Evidence, list[Assessment]]:
    """Estimate the ledger-wide evidence in rounds; return it with the verdicts that use it.

    Round 0 assesses with the grades alone; each of `Policy.evidence_rounds`
    rounds then estimates track records (and copying) from the verdicts
    and re-assesses with what the switches on use.  With both switches off
    the evidence is estimated once from the plain verdicts, which stand.
    """
    policy = _effective(ledger, policy)
    result = _run(ledger, policy, None)
    evidence = _estimate(ledger, policy, result)
    if not policy.ledger_wide:
        return evidence, result
    for round_ in range(policy.evidence_rounds):
        if round_:
            evidence = _estimate(ledger, policy, result)
        result = _run(ledger, policy, evidence)
    return evidence, result


def track_records(ledger: Ledger, policy: Policy | None = None) -> dict[str, TrackRecord]:
    """Each source's record against the verdicts, by source id, in ledger order.

    Under a policy with a ledger-wide switch on, the records are the ones
    its verdicts use; otherwise they are counted against the plain verdicts.
    """
    return dict(settle(ledger, policy)[0].records)


def copies(ledger: Ledger, policy: Policy | None = None) -> list[Copying]:
    """Every pair of sources suspected of copying, in the order of their ids.

    A pair is suspected when it shares at least `Policy.copy_min_shared`
    propositions and its agreement's binomial tail is below
    `Policy.copy_alpha`.  The policy need not infer copying: without the
    switch the pairs are reported and the verdicts left alone.
    """
    return list(settle(ledger, policy)[0].pairs)
