"""How fast, and how far, a failing property over `provenance.strategies.ledgers` shrinks.

Run by hand, not part of the test suite:

    python benchmarks/bench_shrink.py              # every rule, seeds 0-2
    python benchmarks/bench_shrink.py --seeds 5 --rules no_denied_fact

Each "house rule" below is deliberately false; a property that asserts it
over `ledgers()` fails, and hypothesis shrinks the ledger that broke it.
For each rule and seed the script prints the time from the start of the
run to the end of shrinking, and the size of the ledger hypothesis reports
(sources / propositions / claims).  A well-shrinking strategy ends at a
source or two, one proposition and the claims that matter, in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable

import hypothesis
from hypothesis import HealthCheck, Phase, given, seed, settings

from provenance import Ledger, Stance, Status, assess
from provenance.strategies import ledgers


def nothing_is_disputed(ledger: Ledger) -> bool:
    """Nothing is ever disputed."""
    return all(a.status is not Status.DISPUTED for a in assess(ledger))


def no_denied_fact(ledger: Ledger) -> bool:
    """No proposition with a denial is established."""
    return not any(
        a.status is Status.ESTABLISHED
        and any(c.stance is Stance.DENIES for c in ledger.claims_on(a.proposition.id))
        for a in assess(ledger)
    )


def three_sources_per_fact(ledger: Ledger) -> bool:
    """Every established proposition has at least three sources."""
    return all(
        len({c.source for c in ledger.claims_on(a.proposition.id)}) >= 3
        for a in assess(ledger)
        if a.status is Status.ESTABLISHED
    )


def nothing_is_refuted(ledger: Ledger) -> bool:
    """Nothing is ever refuted."""
    return all(a.status is not Status.REFUTED for a in assess(ledger))


RULES: tuple[Callable[[Ledger], bool], ...] = (
    nothing_is_disputed,
    no_denied_fact,
    three_sources_per_fact,
    nothing_is_refuted,
)


def shrink(
    rule: Callable[[Ledger], bool], at: int, *, explain: bool = True
) -> tuple[float, Ledger | None]:
    """Seconds until hypothesis has shrunk a counterexample to `rule`, and that counterexample.

    With `explain` false, hypothesis's explain phase is left out (see main).
    """
    failing: list[Ledger] = []

    @seed(at)
    @settings(
        max_examples=1000,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        phases=[phase for phase in Phase if explain or phase is not Phase.explain],
    )
    @given(ledgers())
    def check(ledger: Ledger) -> None:
        if not rule(ledger):
            failing.append(ledger)
            raise AssertionError(rule.__doc__)

    start = time.perf_counter()
    with contextlib.suppress(AssertionError):
        check()
    # Hypothesis replays the minimal example last.
    return time.perf_counter() - start, failing[-1] if failing else None


def main() -> None:
    """Run every rule with a few seeds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rules", nargs="+", choices=[rule.__name__ for rule in RULES])
    parser.add_argument(
        "--no-explain",
        action="store_true",
        help="leave out hypothesis's explain phase (its line tracing is slow before Python 3.12)",
    )
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, hypothesis {hypothesis.__version__}", end="")
    print(", explain phase off" if args.no_explain else "")
    print(f"{'rule':<24} {'seed':>4} {'seconds':>8}  sources/propositions/claims")
    for rule in RULES:
        if args.rules and rule.__name__ not in args.rules:
            continue
        times = []
        for at in range(args.seeds):
            seconds, ledger = shrink(rule, at, explain=not args.no_explain)
            times.append(seconds)
            size = (
                "no counterexample"
                if ledger is None
                else f"{len(ledger.sources)}/{len(ledger.propositions)}/{len(ledger.claims)}"
            )
            print(f"{rule.__name__:<24} {at:>4} {seconds:>8.1f}  {size}", flush=True)
        print(f"{rule.__name__:<24} {'med':>4} {statistics.median(times):>8.1f}", flush=True)


if __name__ == "__main__":
    main()
