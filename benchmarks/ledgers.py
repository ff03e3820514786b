"""Synthetic ledgers shaped like a wire desk's, for the benchmarks.

A desk's sources are not equally busy: a few wires and ministries say most
things, and a long tail says one thing each, so each claim's source is drawn
from a Pareto (heavy-tailed) weight.  There is one proposition per ten
claims, a third of the claims arrive through a relay chain of one to three
other sources, about four in a hundred deny their proposition, two in a
hundred are withdrawn, a third are hedged, and some carry a date and a quote.
The ledger is made as the plain tree a ledger file holds, so that a million
claims can be written without building the model first.

    python benchmarks/ledgers.py 100000 /tmp/bench/100k   # writes .json, .toml, .jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

PARTIES = ["DPRK", "Russia", "USA", "ROK", "China", "UN", "EU"]
KINDS = ["wire", "outlet", "government", "official", "record", "expert", "ngo", "state-media"]
GRADES = "ABCDEF"
START = dt.date(2024, 1, 1)

__all__ = ["tree", "write"]


def tree(n_claims: int, seed: int = 14) -> dict[str, Any]:
    """A valid ledger of `n_claims` claims, as the tree of a ledger file."""
    rng = random.Random(seed)
    n_sources = max(4, n_claims // 20)
    n_props = max(1, n_claims // 10)
    sources = []
    for i in range(n_sources):
        source: dict[str, Any] = {
            "id": f"s{i}",
            "name": f"Source number {i}",
            "kind": rng.choice(KINDS),
            "reliability": rng.choice(GRADES),
        }
        if rng.random() < 0.6:
            source["affiliation"] = rng.choice(PARTIES)
        if i and rng.random() < 0.05:
            source["depends_on"] = [f"s{rng.randrange(i)}"]
        sources.append(source)
    # Heavy-tailed activity: source i speaks in proportion to a Pareto draw.
    weights = [rng.paretovariate(1.2) for _ in range(n_sources)]
    speakers = rng.choices(range(n_sources), weights=weights, k=n_claims)
    propositions: list[dict[str, Any]] = [
        {
            "id": f"p{j}",
            "text": f"Proposition {j}: the delegation met officials on the {j % 28 + 1}th.",
            "about": rng.sample(PARTIES, 2),
        }
        for j in range(n_props)
    ]
    for k, speaker in enumerate(speakers):
        claim: dict[str, Any] = {"source": f"s{speaker}"}
        if rng.random() < 0.04:
            claim["stance"] = "denies"
        if rng.random() < 0.33:
            claim["certainty"] = rng.choice(["probable", "possible"])
        if rng.random() < 0.33:
            relays = {f"s{r}" for r in rng.sample(range(n_sources), rng.randint(1, 3))}
            claim["via"] = sorted(relays - {claim["source"]})
            if not claim["via"]:
                del claim["via"]
        said = START + dt.timedelta(days=rng.randrange(300))
        if rng.random() < 0.7:
            claim["said_on"] = said.isoformat()
        if rng.random() < 0.2:
            claim["quote"] = f"We confirm the meeting took place ({k})."
        if rng.random() < 0.02:
            claim["withdrawn_on"] = (said + dt.timedelta(days=rng.randrange(1, 30))).isoformat()
            claim["said_on"] = said.isoformat()
        propositions[k % n_props].setdefault("claims", []).append(claim)
    return {
        "title": f"Synthetic desk ledger, {n_claims} claims",
        "as_of": "2024-12-31",
        "lang": "en",
        "sources": sources,
        "propositions": propositions,
    }


def write(data: dict[str, Any], stem: Path, formats: tuple[str, ...]) -> list[Path]:
    """Write `data` as ``stem.json``, ``stem.toml`` and ``stem.jsonl`` (those in `formats`)."""
    from provenance import _jsonl
    from provenance._structure import toml_text

    written = []
    stem.parent.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = stem.with_suffix("." + fmt)
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        elif fmt == "toml":
            as_toml = json.loads(json.dumps(data))  # toml_text takes its tables apart
            text = toml_text(as_toml)
        else:
            text = "".join(_jsonl.lines_of_tree(data))
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("stem", type=Path, help="where to write, without the suffix")
    parser.add_argument("--formats", nargs="+", default=["json", "toml", "jsonl"])
    args = parser.parse_args()
    for path in write(tree(args.claims), args.stem, tuple(args.formats)):
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
