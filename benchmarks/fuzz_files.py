"""Fuzz the ledger file reader for a set time, far faster than the hypothesis fuzz tests.

Valid ledgers (drawn once from `provenance.strategies.ledgers`, plus the
shipped ones) are mutated at random, byte by byte and value by value, and
fed to `provenance.files.loads` in both formats, as bytes and as text,
together with random bytes.  Only `ProvenanceError` may come out.  The
script counts the inputs, keeps the shortest input behind each other kind
of exception, and reports the slowest inputs (a reader that takes seconds
on a small input is a bug too).  Exit status 1 if anything else came out.

    python benchmarks/fuzz_files.py --seconds 600 --seed 1
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings

import claims
from provenance.errors import ProvenanceError
from provenance.files import dumps, loads
from provenance.ledger import Ledger
from provenance.strategies import ledgers

# The fuzz tests' list of what to insert, so that both fuzzers try the same things.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_fuzz import INSERTS

__all__: list[str] = []

FORMATS = ("toml", "json")
VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2,
    2**63,
    10**64,
    10**400,
    0.5,
    1.0,
    1e308,
    5e-324,
    float("nan"),
    float("inf"),
    "",
    " ",
    "kcna",
    "asserts",
    "certain",
    "record",
    "B",
    "g",
    "2024-02-30",
    "\ud800",
    "x" * 1000,
    [],
    [1, "a"],
    {},
    {"id": "a"},
    {"a": {"b": {"c": 1}}},
]
KEYS = ["id", "name", "source", "claims", "policy", "as_of", "credence", "via", "reliability_p"]


def seed_ledgers(count: int) -> list[Ledger]:
    """Valid ledgers to mutate: `count` drawn ones and the shipped ones."""
    drawn: list[Ledger] = []

    @settings(max_examples=count, database=None, suppress_health_check=list(HealthCheck))
    @given(ledgers())
    def draw(ledger: Ledger) -> None:
        drawn.append(ledger)

    draw()
    return drawn + [claims.load(name) for name in claims.names()]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(out))
        kind = rng.randrange(6)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del out[at:]
        elif kind == 2:
            out[at:at] = rng.choice(INSERTS)
        elif kind == 3:
            del out[at : at + rng.randint(1, 40)]
        elif kind == 4:
            out[at:at] = out[at : at + rng.randint(1, 40)] * rng.randint(2, 50)
        else:
            out[at:at] = rng.randbytes(rng.randint(1, 8))
    return bytes(out)


def places(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(tree, dict | list):
        for key, value in tree.items() if isinstance(tree, dict) else enumerate(tree):
            yield from places(value, (*path, key))


def mutate_tree(rng: random.Random, tree: dict[str, Any]) -> dict[str, Any]:
    tree = copy.deepcopy(tree)
    for _ in range(rng.randint(1, 3)):
        found = list(places(tree))[1:]
        path = rng.choice(found) if found else ("title",)
        parent: Any = tree
        for key in path[:-1]:
            parent = parent[key]
        action = rng.randrange(3) if found else 0
        if action == 0 or (action == 2 and not isinstance(parent, dict)):
            parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
        elif action == 1:
            del parent[path[-1]]
        else:
            parent[rng.choice(KEYS)] = copy.deepcopy(rng.choice(VALUES))
    return tree


def as_text(tree: dict[str, Any], fmt: str) -> str | None:
    try:
        return tomli_w.dumps(tree) if fmt == "toml" else json.dumps(tree)
    except (TypeError, ValueError):
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random mutations")
    parser.add_argument("--ledgers", type=int, default=200, help="how many ledgers to draw")
    parser.add_argument("--show-slowest", action="store_true", help="print the slowest input")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    seeds = seed_ledgers(args.ledgers)
    files = {fmt: [dumps(ledger, fmt).encode("utf-8") for ledger in seeds] for fmt in FORMATS}
    trees = [json.loads(dumps(ledger, "json")) for ledger in seeds]

    counts: Counter[str] = Counter()
    failures: dict[tuple[str, str], tuple[str, bytes | str, str]] = {}
    slowest: list[tuple[float, str, bytes | str]] = []

    def feed(kind: str, data: bytes | str, fmt: str) -> None:
        counts[kind] += 1
        started = time.perf_counter()
        try:
            loads(data, fmt)
            counts["read as a ledger"] += 1
        except ProvenanceError:
            pass
        except Exception as error:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            key = (type(error).__name__, f"{frame.filename}:{frame.lineno}")
            known = failures.get(key)
            if known is None or len(data) < len(known[1]):
                failures[key] = (fmt, data, repr(error)[:200])
        elapsed = time.perf_counter() - started
        slowest.append((elapsed, f"{kind} ({fmt})", data))
        if len(slowest) > 100:
            slowest.sort(key=lambda entry: entry[0], reverse=True)
            del slowest[5:]

    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        fmt = rng.choice(FORMATS)
        raw = mutate_bytes(rng, rng.choice(files[fmt]))
        feed("mutated bytes", raw, fmt)
        feed("mutated text", raw.decode("utf-8", "replace"), fmt)
        text = as_text(mutate_tree(rng, rng.choice(trees)), fmt)
        if text is not None:
            feed("mutated trees", text, fmt)
        feed("random bytes", rng.randbytes(rng.randint(0, 200)), fmt)

    total = sum(v for k, v in counts.items() if k != "read as a ledger")
    print(f"{total} inputs in {args.seconds:g} s (seed {args.seed}, {len(seeds)} ledgers):")
    for kind, count in sorted(counts.items()):
        print(f"  {kind}: {count}")
    slowest.sort(key=lambda entry: entry[0], reverse=True)
    print("slowest:", "; ".join(f"{t * 1000:.1f} ms {k} {len(d)} B" for t, k, d in slowest[:5]))
    if args.show_slowest:
        print(f"the slowest input: {slowest[0][2]!r}")
    for (name, where), (fmt, data, message) in failures.items():
        print(f"FAILURE {name} at {where} ({fmt}): {message}\n  input: {data[:300]!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
