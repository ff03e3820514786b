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
  binomial tail below `Policy.copy_alpha`) are treated as dependent, one
  voice, like a declared dependence.

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
    """

    source: Source
    other: Source
    shared: int
    agreed: int
    expected: float
    tail: float
    earlier: int
    later: int

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
        return (
            f"{who}: agree on {self.agreed} of {self.shared} shared propositions;"
            " independent sources of their record would agree on about"
            f" {round(self.expected * self.shared)}"
        )


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


def _voices(result: Sequence[Assessment]) -> dict[str, dict[str, tuple[Stance | None, object]]]:
    """Per proposition, each source speaking in its own voice: its side and first date.

    The side is None when the source's counted claims there take both sides.
    """
    voices: dict[str, dict[str, tuple[Stance | None, object]]] = {}
    for a in result:
        here: dict[str, tuple[Stance | None, object]] = {}
        for w in a.weighed:
            if not w.counted:
                continue
            c = w.claim
            if c.source not in here:
                here[c.source] = (c.stance, c.said_on)
                continue
            stance, first = here[c.source]
            if stance is not c.stance:
                stance = None
            if c.said_on is not None and (first is None or c.said_on < first):  # type: ignore[operator]
                first = c.said_on
            here[c.source] = (stance, first)
        voices[a.proposition.id] = here
    return voices


def _records(
    ledger: Ledger,
    policy: Policy,
    result: Sequence[Assessment],
    voices: Mapping[str, Mapping[str, tuple[Stance | None, object]]],
) -> dict[str, TrackRecord]:
    right = dict.fromkeys((s.id for s in ledger.sources), 0)
    wrong = dict(right)
    made = dict(right)
    for a in result:
        for w in a.weighed:
            if w.counted:
                made[w.claim.source] += 1
        for source_id, truth in _settled_without(a, policy).items():
            stance = voices[a.proposition.id][source_id][0]
            if stance is truth:
                right[source_id] += 1
            elif stance is not None:
                wrong[source_id] += 1
    records = {}
    weight = policy.prior_weight
    for source in ledger.sources:
        p = policy.reliability_p[source.reliability]
        alpha = weight * p + right[source.id]
        beta = weight * (1.0 - p) + wrong[source.id]
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


def _settled_without(a: Assessment, policy: Policy) -> dict[str, Stance]:
    """The side the others settle, for each source speaking on `a`'s proposition.

    A source is judged by what the other independence groups settle without
    it: their pooled probability past `establish_at` (true) or at most
    1 - `establish_at` (false).  Judged by verdicts it helped reach, a
    source would confirm its own record; judged only where the verdict is
    established or refuted, a graded source that contests the other side
    would never be found wrong, since its denial blocks the verdict.
    """
    groups = [(g, 1.0) for g in a.support] + [(g, -1.0) for g in a.oppose]
    if not groups:
        return {}
    total = math.fsum([logit(policy.prior), *(sign * g.weight for g, sign in groups)])
    bar = policy.establish_at
    out: dict[str, Stance] = {}
    for group, sign in groups:
        p = sigmoid(total - sign * group.weight)
        if p >= bar:
            side = Stance.ASSERTS
        elif p <= 1.0 - bar:
            side = Stance.DENIES
        else:
            continue
        for w in group.members:
            out[w.claim.source] = side
    return out


def _pairs(
    ledger: Ledger,
    policy: Policy,
    records: Mapping[str, TrackRecord],
    voices: Mapping[str, Mapping[str, tuple[Stance | None, object]]],
) -> tuple[Copying, ...]:
    # [shared, agreed, first spoke first, second spoke first], keyed by ids in order.
    counts: dict[tuple[str, str], list[int]] = {}
    for here in voices.values():
        speakers = sorted((s, v) for s, v in here.items() if v[0] is not None)
        for i, (a, (stance_a, date_a)) in enumerate(speakers):
            for b, (stance_b, date_b) in speakers[i + 1 :]:
                tally = counts.get((a, b))
                if tally is None:
                    tally = counts[a, b] = [0, 0, 0, 0]
                tally[0] += 1
                tally[1] += stance_a is stance_b
                if date_a is not None and date_b is not None and date_a != date_b:
                    tally[2 if date_a < date_b else 3] += 1  # type: ignore[operator]
    found = []
    for (a, b), (shared, agreed, a_first, b_first) in sorted(counts.items()):
        if shared < policy.copy_min_shared:
            continue
        x, y = records[a].accuracy, records[b].accuracy
        expected = x * y + (1.0 - x) * (1.0 - y)
        if agreed <= expected * shared:
            continue  # no more agreement than expected: nothing to test
        tail = binomial_tail(agreed, shared, expected)
        if tail >= policy.copy_alpha:
            continue
        first, second = ledger.source(a), ledger.source(b)
        if a_first > b_first:  # a spoke first more often: b likely copies a
            copier, origin, earlier, later = second, first, a_first, b_first
        else:
            copier, origin, earlier, later = first, second, b_first, a_first
        found.append(Copying(copier, origin, shared, agreed, expected, tail, earlier, later))
    return tuple(found)


def _estimate(ledger: Ledger, policy: Policy, result: Sequence[Assessment]) -> Evidence:
    voices = _voices(result)
    records = _records(ledger, policy, result, voices)
    pairs = _pairs(ledger, policy, records, voices)
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
