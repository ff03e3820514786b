"""Simulated coverage with known truth: how well do verdicts find it?

Run by hand, not part of the test suite:

    python benchmarks/worlds.py                      # the reported scenarios, seeds 1-5
    python benchmarks/worlds.py --seeds 101 102 103  # other worlds (for tuning)
    python benchmarks/worlds.py --cost 12000         # time --learn on ~120k claims
    python benchmarks/worlds.py --diagnose           # where --learn loses against the oracle
    python benchmarks/worlds.py --batches 10         # the targets on ten batches of five worlds

Each world has propositions that are true or false at random, and:

- independent sources of accuracy drawn from [.55, .95], each speaking on
  about a third of the propositions, taking the true side with that
  probability; an analyst grades each one with the Admiralty letter nearest
  its accuracy plus some noise;
- copier outlets, each repeating one origin's claims (a few days later);
  only some of the copies name the origin as a relay (`via`), the others
  read as the outlet's own word; the analyst grades outlets B to D;
- parties with a stake, which assert or deny whatever serves them on the
  propositions about them, whatever the truth.

Methods scored: the verdict rules (v2), the rules with ``--learn`` (copying
inferred and reliability learned), majority vote of the sources speaking in
their own voice (a hard vote: P(true) is 1, 0, or .5 on a tie), their vote
share (the same vote with its margin), and TruthFinder (Yin, Han & Yu,
"Truth discovery with multiple conflicting information providers on the
web", KDD 2007).  The
last row, "oracle", is not a method but a bound: the Bayes posterior of one
who knows what the world hides (each independent source's true accuracy,
who copies whom, that the parties' stances say nothing of the truth).

``--diagnose`` measures where ``--learn`` loses against the oracle: the
inferred pairs against the true copying, the learned accuracies against
the true ones, and the rules told the true copying (with records counted
against the true answers, or with the true accuracies) instead of
inferring them.

``--batches N`` repeats the reported measurement on N batches of five
worlds (seeds 1 to 5N) for ``--learn`` and the oracle, and counts the
batches in which each meets the targets.

Tuning is done on other seeds (``--seeds 101 ... 160``); seeds 1-5 are the
reported worlds, run on the final code only.

Scores, over propositions with at least one claim: accuracy on decided ones
(probability not exactly .5), Brier score, calibration error (expected
calibration error over 10 equal-width bins), and for the rules the share of
"established" that are true and of "refuted" that are false.

The calibration error of a few hundred propositions is noisy: a method
that is perfectly calibrated still scores above zero, most of it from the
thinly filled middle bins.  The "calibration floor" column gives, for each
method, the mean calibration error a perfectly calibrated method giving the
same probabilities would score (outcomes drawn from those probabilities, 20
draws per world): a method is over- or under-confident only by as much as
its calibration error exceeds its floor.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence

import attrs

from provenance import Claim, Ledger, Proposition, Source, Stance
from provenance.assess import assess
from provenance.assessment import Status
from provenance.policy import Policy

AS_OF = dt.date(2025, 1, 1)
START = dt.date(2024, 1, 1)
LETTERS = [("A", 0.95), ("B", 0.80), ("C", 0.65), ("D", 0.55)]


def _grade(accuracy: float, rng: random.Random, noise: float) -> str:
    seen = accuracy + rng.gauss(0.0, noise)
    return min(LETTERS, key=lambda item: abs(item[1] - seen))[0]


@dataclasses.dataclass(frozen=True)
class Hidden:
    """What the world knows and a method must infer: who is how accurate, who copies whom."""

    accuracy: dict[str, float]  # each independent source's true accuracy
    origin: dict[str, str]  # each copier outlet's origin
    parties: tuple[str, ...]  # the parties with a stake


def world(
    seed: int,
    *,
    propositions: int = 300,
    independents: int = 10,
    copiers: int = 25,
    visible: float = 0.2,
    parties: int = 3,
    noise: float = 0.1,
) -> tuple[Ledger, dict[str, bool], Hidden]:
    """One simulated world: its ledger, the truth of each proposition, and its hidden structure."""
    rng = random.Random(seed)
    truth = {f"p{i}": rng.random() < 0.5 for i in range(propositions)}
    party_names = [f"Party {j}" for j in range(parties)]
    about = {p: [rng.choice(party_names)] if rng.random() < 0.3 else [] for p in truth}
    serves = {p: rng.random() < 0.5 for p in truth}
    day = {p: START + dt.timedelta(days=rng.randrange(200)) for p in truth}
    sources: list[Source] = []
    claims: list[Claim] = []
    said: dict[str, list[tuple[str, bool, dt.date]]] = {}
    accuracies: dict[str, float] = {}
    origins: dict[str, str] = {}
    for i in range(independents):
        sid = f"ind{i}"
        accuracy = accuracies[sid] = rng.uniform(0.55, 0.95)
        sources.append(
            Source(sid, f"Independent {i}", "outlet", reliability=_grade(accuracy, rng, noise))
        )
        said[sid] = []
        for p, true in truth.items():
            if rng.random() < 1 / 3:
                side = true if rng.random() < accuracy else not true
                when = day[p] + dt.timedelta(days=rng.randrange(3))
                said[sid].append((p, side, when))
                claims.append(Claim(p, sid, "asserts" if side else "denies", said_on=when))
    for j in range(copiers):
        sid = f"copy{j}"
        origin = origins[sid] = f"ind{rng.randrange(independents)}"
        sources.append(Source(sid, f"Copier outlet {j}", "outlet", reliability=rng.choice("BCD")))
        for p, side, when in said[origin]:
            if rng.random() < 0.8:
                later = when + dt.timedelta(days=1 + rng.randrange(3))
                stance = "asserts" if side else "denies"
                if rng.random() < visible:
                    claims.append(Claim(p, origin, stance, via=[sid], said_on=later))
                else:
                    claims.append(Claim(p, sid, stance, said_on=later))
    for j, party in enumerate(party_names):
        sid = f"party{j}"
        sources.append(Source(sid, party, "government", affiliation=party, reliability="C"))
        for p in truth:
            if about[p] == [party] and rng.random() < 0.7:
                stance = "asserts" if serves[p] else "denies"
                claims.append(Claim(p, sid, stance, said_on=day[p]))
    props = [Proposition(p, f"Proposition {p}.", about=about[p]) for p in truth]
    ledger = Ledger.from_objects(sources, props, claims, title=f"world {seed}", as_of=AS_OF)
    hidden = Hidden(accuracies, origins, tuple(f"party{j}" for j in range(parties)))
    return ledger, truth, hidden


# -- methods: each gives, per proposition with a claim, P(true) and a status or None ----

Scores = dict[str, tuple[float, Status | None]]


def rules(ledger: Ledger, policy: Policy) -> Scores:
    """The verdict rules under `policy`."""
    return {
        a.proposition.id: (a.probability, a.status) for a in assess(ledger, policy) if a.counted
    }


def _votes(ledger: Ledger) -> dict[str, dict[str, bool]]:
    """Per proposition, each source speaking in its own voice and its side (last claim wins)."""
    votes: dict[str, dict[str, bool]] = {}
    for c in ledger.claims:
        votes.setdefault(c.proposition, {})[c.source] = c.stance.value == "asserts"
    return votes


def oracle(ledger: Ledger, hidden: Hidden) -> Scores:
    """The Bayes posterior of one who knows the world's hidden structure.

    It knows each independent source's true accuracy and who copies whom:
    it counts each origin once (a copy, hidden or visible, repeats a claim
    its origin makes on the same proposition, so it adds nothing), ignores
    the parties (what serves them is drawn independently of the truth), and
    pools the log-odds of the independent voices with the even prior.  No
    method can do better on average: its scores bound what is reachable.
    """
    sides: dict[str, dict[str, bool]] = {}
    for c in ledger.claims:
        sides.setdefault(c.proposition, {})
        if c.source in hidden.accuracy:  # an origin, in its own voice or relayed
            sides[c.proposition][c.source] = c.stance.value == "asserts"
    out: Scores = {}
    for p, voices in sides.items():
        x = math.fsum(
            (1.0 if side else -1.0) * _logit(hidden.accuracy[s]) for s, side in voices.items()
        )
        out[p] = (1.0 / (1.0 + math.exp(-x)), None)
    return out


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def majority(ledger: Ledger) -> Scores:
    """Majority vote: P(true) is 1 when more sources assert than deny, 0 when fewer, .5 on a tie."""
    out: Scores = {}
    for p, sides in _votes(ledger).items():
        asserting = sum(sides.values())
        denying = len(sides) - asserting
        out[p] = (1.0 if asserting > denying else 0.0 if asserting < denying else 0.5, None)
    return out


def vote_share(ledger: Ledger) -> Scores:
    """The share of sources asserting, read as P(true): majority vote with its margin."""
    out: Scores = {}
    for p, sides in _votes(ledger).items():
        out[p] = (sum(sides.values()) / len(sides), None)
    return out


def truthfinder(
    ledger: Ledger, *, gamma: float = 0.3, rho: float = 0.5, start: float = 0.9, rounds: int = 20
) -> Scores:
    """TruthFinder (Yin, Han & Yu 2007) on binary propositions.

    The two facts of a proposition ("true", "false") imply each other with
    weight -1 (they are mutually exclusive); gamma is the dampening factor,
    rho the weight of implication, `start` every source's initial trust.
    P(true) is the confidence of "true" over the sum of both confidences.
    """
    votes = _votes(ledger)
    trust = {s.id: start for s in ledger.sources}
    confidence: dict[tuple[str, bool], float] = {}
    for _ in range(rounds):
        score = {sid: -math.log(1.0 - min(t, 0.9999)) for sid, t in trust.items()}
        confidence = {}
        for p, sides in votes.items():
            sigma = {
                v: math.fsum(score[s] for s, side in sides.items() if side is v)
                for v in (True, False)
            }
            for v in (True, False):
                adjusted = sigma[v] - rho * sigma[not v]
                confidence[p, v] = 1.0 / (1.0 + math.exp(-gamma * adjusted))
        provided: dict[str, list[float]] = {}
        for p, sides in votes.items():
            for s, side in sides.items():
                provided.setdefault(s, []).append(confidence[p, side])
        new = {
            s: (math.fsum(given) / len(given) if (given := provided.get(s)) else trust[s])
            for s in trust
        }
        change = max(abs(new[s] - trust[s]) for s in trust)
        trust = new
        if change < 1e-6:
            break
    return {
        p: (confidence[p, True] / (confidence[p, True] + confidence[p, False]), None) for p in votes
    }


# -- scoring ---------------------------------------------------------------


def calibration_error(items: Sequence[tuple[float, bool]]) -> float:
    """Expected calibration error over 10 equal-width bins of (probability, truth) pairs."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for prob, true in items:
        bins.setdefault(min(int(prob * 10), 9), []).append((prob, true))
    return math.fsum(
        abs(math.fsum(p for p, _ in b) - sum(t for _, t in b)) for b in bins.values()
    ) / len(items)


def score(found: Scores, truth: dict[str, bool]) -> dict[str, float | None]:
    """Accuracy on decided, Brier, calibration error (10 bins), established/refuted right."""
    items = [(p, prob, status, truth[p]) for p, (prob, status) in found.items()]
    decided = [(prob > 0.5) == true for _, prob, _, true in items if prob != 0.5]
    brier = math.fsum((prob - true) ** 2 for _, prob, _, true in items) / len(items)
    established = [true for _, _, status, true in items if status is Status.ESTABLISHED]
    refuted = [not true for _, _, status, true in items if status is Status.REFUTED]
    return {
        "accuracy": sum(decided) / len(decided) if decided else None,
        "brier": brier,
        "calibration": calibration_error([(prob, true) for _, prob, _, true in items]),
        "established": sum(established) / len(established) if established else None,
        "refuted": sum(refuted) / len(refuted) if refuted else None,
        "n_established": len(established),
        "n_refuted": len(refuted),
    }


def calibration_floor(probabilities: Sequence[float], rng: random.Random, draws: int = 20) -> float:
    """The mean calibration error of outcomes drawn from these very probabilities."""
    total = 0.0
    for _ in range(draws):
        total += calibration_error([(prob, rng.random() < prob) for prob in probabilities])
    return total / draws


METHODS: dict[str, Callable[[Ledger, Hidden], Scores]] = {
    "rules v2": lambda ledger, _: rules(ledger, Policy()),
    "rules v2 --learn": lambda ledger, _: rules(
        ledger, Policy(infer_copying=True, learn_reliability=True)
    ),
    "majority vote": lambda ledger, _: majority(ledger),
    "vote share": lambda ledger, _: vote_share(ledger),
    "TruthFinder": lambda ledger, _: truthfinder(ledger),
    "oracle (knows the hidden structure)": oracle,
}


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return math.fsum(known) / len(known) if known else None


def _cell(value: float | None, percent: bool = False, digits: int = 3) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if percent else f"{value:.{digits}f}"


def run(name: str, seeds: Sequence[int], **options: int | float) -> None:
    """Score every method on the worlds of `seeds`; print a Markdown table.

    Accuracy, Brier score and the shares of verdicts right are means over
    the worlds; the calibration error is given both ways: the mean of each
    world's, and pooled over every proposition of every world (each with
    its floor: see the module's docstring).
    """
    results: dict[str, list[dict[str, float | None]]] = {m: [] for m in METHODS}
    pooled: dict[str, list[tuple[float, bool]]] = {m: [] for m in METHODS}
    timings: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    for seed in seeds:
        ledger, truth, hidden = world(seed, **options)  # type: ignore[arg-type]
        for method, fn in METHODS.items():
            start = time.perf_counter()
            found = fn(ledger, hidden)
            timings[method] += time.perf_counter() - start
            row = score(found, truth)
            row["floor"] = calibration_floor(
                [prob for prob, _ in found.values()], random.Random(seed)
            )
            results[method].append(row)
            pooled[method].extend((prob, truth[p]) for p, (prob, _) in found.items())
    print(f"\n{name} ({len(seeds)} worlds, seeds {', '.join(map(str, seeds))})\n")
    print(
        "| method | accuracy | Brier | calibration error (floor), per world"
        " | pooled | established right | refuted right | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for method, rows in results.items():
        mean = {k: _mean([r[k] for r in rows]) for k in rows[0]}
        est = _cell(mean["established"], True)
        ref = _cell(mean["refuted"], True)
        if mean["n_established"] is not None and method.startswith("rules"):
            est += f" (of {mean['n_established']:.0f})"
            ref += f" (of {mean['n_refuted']:.0f})"
        items = pooled[method]
        floor = calibration_floor([prob for prob, _ in items], random.Random(len(items)))
        print(
            f"| {method} | {_cell(mean['accuracy'])} | {_cell(mean['brier'])}"
            f" | {_cell(mean['calibration'])} ({_cell(mean['floor'])})"
            f" | {_cell(calibration_error(items))} ({_cell(floor)})"
            f" | {est} | {ref} | {timings[method]:.1f} |"
        )


#: The targets for the rules with --learn, many hidden copies, five worlds.
ACCURACY, BRIER, CALIBRATION, ESTABLISHED = 0.86, 0.10, 0.04, 0.97
TARGETS = (
    f"accuracy >= {ACCURACY}, Brier <= {BRIER}, calibration error <= {CALIBRATION},"
    f" established right >= {ESTABLISHED:.0%}"
)


def batches(count: int) -> None:
    """The targets' measurement repeated: `count` batches of five worlds, seeds 1 to 5 * count.

    Each batch is scored like the reported one (many hidden copies) for the
    rules with ``--learn`` and for the oracle, and checked against the
    targets; the calibration error both as the mean of the five worlds' and
    pooled over their propositions.  It shows how much a score measured on
    five worlds moves from one batch to the next, and how often even the
    oracle meets the targets.  Accuracy and Brier score get four digits: a
    batch can miss a target by less than the third.
    """
    methods = {
        "rules v2 --learn": METHODS["rules v2 --learn"],
        "oracle": METHODS["oracle (knows the hidden structure)"],
    }
    print(f"\nBatches of five worlds, many hidden copies; targets: {TARGETS}\n")
    print(
        "| seeds | method | accuracy | Brier | calibration error, per world | pooled"
        " | established right | targets met (calibration per world, pooled) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    met: dict[str, list[int]] = {m: [0, 0] for m in methods}
    totals: dict[str, list[dict[str, float | None]]] = {m: [] for m in methods}
    everything: dict[str, list[tuple[float, bool]]] = {m: [] for m in methods}
    for b in range(count):
        seeds = range(5 * b + 1, 5 * b + 6)
        worlds = [world(seed) for seed in seeds]
        for method, fn in methods.items():
            rows = []
            items: list[tuple[float, bool]] = []
            for ledger, truth, hidden in worlds:
                found = fn(ledger, hidden)
                rows.append(score(found, truth))
                items.extend((prob, truth[p]) for p, (prob, _) in found.items())
            totals[method].extend(rows)
            everything[method].extend(items)
            mean = {k: _mean([r[k] for r in rows]) for k in rows[0]}
            pooled = calibration_error(items)
            common = (mean["accuracy"] or 0.0) >= ACCURACY and (mean["brier"] or 1.0) <= BRIER
            if method.startswith("rules"):
                common = common and (mean["established"] or 0.0) >= ESTABLISHED
            per_world = common and (mean["calibration"] or 1.0) <= CALIBRATION
            overall = common and pooled <= CALIBRATION
            met[method][0] += per_world
            met[method][1] += overall
            est = _cell(mean["established"], True) if method.startswith("rules") else "-"
            print(
                f"| {seeds[0]}-{seeds[-1]} | {method} | {_cell(mean['accuracy'], digits=4)}"
                f" | {_cell(mean['brier'], digits=4)} | {_cell(mean['calibration'])}"
                f" | {_cell(pooled)} | {est}"
                f" | {'yes' if per_world else 'no'}, {'yes' if overall else 'no'} |"
            )
    print(f"\nOver all {5 * count} worlds (seeds 1-{5 * count}):\n")
    print(
        "| method | accuracy | Brier | calibration error, per world | pooled | established right"
        " | batches meeting the targets (calibration per world, pooled) |"
    )
    print("|---|---|---|---|---|---|---|")
    for method in methods:
        rows = totals[method]
        mean = {k: _mean([r[k] for r in rows]) for k in rows[0]}
        est = _cell(mean["established"], True) if method.startswith("rules") else "-"
        print(
            f"| {method} | {_cell(mean['accuracy'], digits=4)} | {_cell(mean['brier'], digits=4)}"
            f" | {_cell(mean['calibration'])} | {_cell(calibration_error(everything[method]))}"
            f" | {est} | {met[method][0]} of {count}, {met[method][1]} of {count} |"
        )


def _declared(ledger: Ledger, hidden: Hidden, *, credence: bool = False) -> Ledger:
    """The ledger with each copier declaring its origin (and, with `credence`, every
    claim of an independent or a copier carrying its origin's true accuracy)."""
    sources = [
        attrs.evolve(s, depends_on=[hidden.origin[s.id]]) if s.id in hidden.origin else s
        for s in ledger.sources
    ]
    claims = list(ledger.claims)
    if credence:
        accuracy = dict(hidden.accuracy)
        accuracy.update({c: hidden.accuracy[o] for c, o in hidden.origin.items()})
        claims = [
            attrs.evolve(c, credence=accuracy[c.source]) if c.source in accuracy else c
            for c in claims
        ]
    return ledger.rebuild(sources=sources, claims=claims)


def diagnose(seeds: Sequence[int], policies: dict[str, Policy]) -> None:
    """Where the rules with `--learn` lose against the oracle, measured on `seeds`.

    For each policy: the inferred pairs against the world's copying (a pair
    is true when both copy one origin, or one is the other's origin), the
    share of copiers joined to their origin, independents wrongly joined to
    one another, and the error of the independents' learned accuracies.
    Then the scores of the rules given the true copying (declared), and
    given the true accuracies too (as credences): what is lost to copy
    detection, to accuracy estimates, and to the rules' own pooling.
    """
    from provenance.assess import _UnionFind
    from provenance.evidence import settle

    print(f"\nDiagnosis ({len(seeds)} worlds, seeds {', '.join(map(str, seeds))})\n")
    print(
        "| policy | pairs flagged | of them true | copiers joined to their origin"
        " | independents wrongly joined | accuracy error of independents (mean, mean absolute) |"
    )
    print("|---|---|---|---|---|---|")
    for name, policy in policies.items():
        rows: dict[str, list[float]] = {}
        for seed in seeds:
            ledger, _, hidden = world(seed)
            evidence, _ = settle(ledger, policy)
            cluster = {s: s for s in hidden.accuracy} | hidden.origin
            pairs = [(c.source.id, c.other.id) for c in evidence.copying]
            true = [a for a, b in pairs if cluster.get(a, a) == cluster.get(b, b)]
            joined = _UnionFind()
            for a, b in pairs:
                joined.union(a, b)
            components: dict[str, set[str]] = {}
            for s, origin in cluster.items():
                components.setdefault(joined.find(s), set()).add(origin)
            errors = [evidence.records[s].accuracy - a for s, a in hidden.accuracy.items()]
            for key, value in (
                ("flagged", len(pairs)),
                ("true", len(true)),
                (
                    "joined",
                    sum(joined.find(c) == joined.find(o) for c, o in hidden.origin.items())
                    / len(hidden.origin),
                ),
                ("merged", sum(len(c) - 1 for c in components.values())),
                ("bias", math.fsum(errors) / len(errors)),
                ("mae", math.fsum(map(abs, errors)) / len(errors)),
            ):
                rows.setdefault(key, []).append(value)
        m = {k: math.fsum(v) / len(v) for k, v in rows.items()}
        print(
            f"| {name} | {m['flagged']:.1f} | {m['true']:.1f} | {m['joined']:.1%}"
            f" | {m['merged']:.2f} | {m['bias']:+.3f}, {m['mae']:.3f} |"
        )
    variants: dict[str, Callable[[Ledger, dict[str, bool], Hidden], Scores]] = {
        **{f"rules v2 --learn ({name})": _bound(policy) for name, policy in policies.items()},
        "rules v2 + reliability learned, true copies declared": lambda ledger, _, hidden: rules(
            _declared(ledger, hidden), Policy(learn_reliability=True)
        ),
        "rules v2, true copies declared, records against the true answers": _against_truth,
        "rules v2, true copies declared, true accuracies as credences": lambda ledger, _, hidden: (
            rules(_declared(ledger, hidden, credence=True), Policy())
        ),
        "oracle (knows the hidden structure)": lambda ledger, _, hidden: oracle(ledger, hidden),
    }
    print("\n| method | accuracy | Brier | calibration error, per world | pooled |")
    print("|---|---|---|---|---|")
    for name, fn in variants.items():
        scores = []
        items: list[tuple[float, bool]] = []
        for seed in seeds:
            ledger, truth, hidden = world(seed)
            found = fn(ledger, truth, hidden)
            scores.append(score(found, truth))
            items.extend((prob, truth[p]) for p, (prob, _) in found.items())
        mean = {k: _mean([s[k] for s in scores]) for k in ("accuracy", "brier", "calibration")}
        print(
            f"| {name} | {_cell(mean['accuracy'])} | {_cell(mean['brier'])}"
            f" | {_cell(mean['calibration'])} | {_cell(calibration_error(items))} |"
        )


def _against_truth(ledger: Ledger, truth: dict[str, bool], hidden: Hidden) -> Scores:
    return rules(_true_records(ledger, truth, hidden), Policy())


def _true_records(ledger: Ledger, truth: dict[str, bool], hidden: Hidden) -> Ledger:
    """The ledger with the true copying declared and each claim of an independent
    (or of a copy of one) weighed by its origin's record against the true answers.

    The record is the one `learn_reliability` keeps (a Beta prior centred on
    the grade, of `Policy.prior_weight` claims), but counted against the
    truth of every proposition, leaving out the one the claim is on (its own
    answer would otherwise be in its weight).  It shows what estimating an
    accuracy from a record of a hundred or so claims costs by itself, apart
    from not knowing the answers.
    """
    policy = Policy()
    right = dict.fromkeys(hidden.accuracy, 0)
    wrong = dict(right)
    for c in ledger.claims:
        if c.source in hidden.accuracy and not c.via:
            if (c.stance is Stance.ASSERTS) == truth[c.proposition]:
                right[c.source] += 1
            else:
                wrong[c.source] += 1
    prior = {s.id: policy.reliability_p[s.reliability] for s in ledger.sources}

    def credence(c: Claim) -> float:
        origin = hidden.origin.get(c.source, c.source)
        own = (c.stance is Stance.ASSERTS) == truth[c.proposition]
        alpha = policy.prior_weight * prior[origin] + right[origin] - own
        beta = policy.prior_weight * (1.0 - prior[origin]) + wrong[origin] - (not own)
        return alpha / (alpha + beta)

    declared = _declared(ledger, hidden)
    claims = [
        attrs.evolve(c, credence=credence(c))
        if c.source in hidden.accuracy or c.source in hidden.origin
        else c
        for c in declared.claims
    ]
    return declared.rebuild(claims=claims)


def _bound(policy: Policy) -> Callable[[Ledger, dict[str, bool], Hidden], Scores]:
    return lambda ledger, _, __: rules(ledger, policy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument(
        "--cost",
        type=int,
        metavar="PROPOSITIONS",
        help="instead, time assess with and without --learn on one world this large",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="instead, measure where --learn loses against the oracle (many hidden copies)",
    )
    parser.add_argument(
        "--batches",
        type=int,
        metavar="N",
        help="instead, score --learn and the oracle on N batches of five worlds (seeds 1 to 5N)",
    )
    args = parser.parse_args()
    if args.batches:
        batches(args.batches)
        return
    if args.diagnose:
        learn = Policy(infer_copying=True, learn_reliability=True)
        diagnose(
            args.seeds,
            {
                "lead against even odds": attrs.evolve(learn, copy_lead_habits=False),
                "lead against habits (default)": learn,
            },
        )
        return
    if args.cost:
        ledger, _, _ = world(args.seeds[0], propositions=args.cost)
        learn = Policy(infer_copying=True, learn_reliability=True)
        times = []
        for policy in (None, learn):
            best = math.inf
            for _ in range(3):
                start = time.perf_counter()
                assess(ledger, policy)
                best = min(best, time.perf_counter() - start)
            times.append(best)
        print(
            f"{len(ledger.claims)} claims: assess {times[0]:.2f} s,"
            f" with --learn {times[1]:.2f} s ({times[1] / times[0]:.1f}x), best of 3"
        )
        return
    run("Many hidden copies: 25 copiers, 1 relay in 5 visible, 300 propositions", args.seeds)
    run("No copies: 300 propositions", args.seeds, copiers=0)


if __name__ == "__main__":
    main()
