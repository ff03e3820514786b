"""Scale run: how assess (and, when given --files, load and save) grow with ledger size.

Run by hand, not part of the test suite:

    python benchmarks/bench_assess.py            # 1k, 10k, 100k claims
    python benchmarks/bench_assess.py --files    # also dumps/loads in TOML and JSON

Each ledger has one proposition per ten claims, one source per five claims,
sources spread over a handful of parties, relay chains and declared
dependences, so that grouping does real work.  Prints the best of three
timings for each size and the time per claim, which should stay flat if the
cost is linear.
"""

from __future__ import annotations

import argparse
import random
import time

from provenance import Claim, Ledger, Proposition, Source
from provenance.assess import assess

PARTIES = ["DPRK", "Russia", "USA", "ROK", "China", "UN", "EU", None, None, None]
GRADES = "ABCDEF"


def synthetic(n_claims: int, seed: int = 1) -> Ledger:
    """A valid ledger with `n_claims` claims and realistic structure."""
    rng = random.Random(seed)
    n_sources = max(2, n_claims // 5)
    n_props = max(1, n_claims // 10)
    sources = []
    for i in range(n_sources):
        depends = [f"s{rng.randrange(i)}"] if i and rng.random() < 0.1 else []
        sources.append(
            Source(
                f"s{i}",
                f"Source {i}",
                kind=rng.choice(["wire", "outlet", "government", "record", "expert"]),
                affiliation=rng.choice(PARTIES),
                reliability=rng.choice(GRADES),
                depends_on=depends,
            )
        )
    propositions = [
        Proposition(f"p{j}", f"Proposition {j}", about=rng.sample(["DPRK", "Russia", "USA"], 2))
        for j in range(n_props)
    ]
    claims = []
    for k in range(n_claims):
        source = rng.randrange(n_sources)
        relays = {f"s{r}" for r in rng.sample(range(n_sources), 2)} - {f"s{source}"}
        claims.append(
            Claim(
                f"p{k % n_props}",
                f"s{source}",
                stance=rng.choice(["asserts", "asserts", "asserts", "denies"]),
                certainty=rng.choice(["certain", "probable", "possible"]),
                via=sorted(relays) if rng.random() < 0.3 else [],
            )
        )
    return Ledger.from_objects(sources, propositions, claims, title="synthetic")


def best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    """The shortest wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--files", action="store_true", help="also time dumps and loads")
    parser.add_argument(
        "--learn", action="store_true", help="also time assess with both ledger-wide switches"
    )
    args = parser.parse_args()
    print(f"{'claims':>8} {'assess s':>9} {'us/claim':>9}", end="")
    if args.learn:
        print(f" {'--learn s':>9} {'ratio':>6}", end="")
    if args.files:
        print(
            f" {'dumps toml':>10} {'loads toml':>10} {'dumps json':>10} {'loads json':>10}", end=""
        )
    print()
    for n in args.sizes:
        ledger = synthetic(n)
        t = best_of(3, lambda ledger=ledger: assess(ledger))
        print(f"{n:>8} {t:>9.3f} {t / n * 1e6:>9.1f}", end="")
        if args.learn:
            from provenance.policy import Policy

            learn = Policy(infer_copying=True, learn_reliability=True)
            tl = best_of(3, lambda ledger=ledger, learn=learn: assess(ledger, learn))
            print(f" {tl:>9.3f} {tl / t:>6.1f}", end="")
        if args.files:
            from provenance.files import dumps, loads

            for fmt in ("toml", "json"):
                text = dumps(ledger, fmt)
                td = best_of(3, lambda ledger=ledger, fmt=fmt: dumps(ledger, fmt))
                size = len(text.encode()) + 1
                tl = best_of(
                    3, lambda text=text, fmt=fmt, size=size: loads(text, fmt, max_bytes=size)
                )
                print(f" {td:>10.3f} {tl:>10.3f}", end="")
        print()


if __name__ == "__main__":
    main()
