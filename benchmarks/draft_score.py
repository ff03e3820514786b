"""Score drafted ledgers against annotated articles (run by hand, not in the tests).

Each file under ``benchmarks/draft_corpus/<split>/<lang>/`` is an article
with its attributions marked inline: ``⟦reported content⟧`` followed (at
once or later in the sentence) by ``⟨source; cue; option …⟩``, where the
options are ``denies``, ``probable``, ``possible`` and ``via ID ID …``
(the relay chain, nearest the origin first, the article's wire included).
A first line ``⟪wire=ID⟫`` passes the wire to the drafter for an article
without a dateline.  Source ids in the annotations are the annotator's own:
the scorer aligns them one to one with the drafter's ids (the alignment
that agrees most), so what counts is that one speaker gets one id.

Attributions are matched by content overlap (at least half of the shorter
span, one to one, best overlap first).  Among matched ones the scorer
reports the accuracy of source, cue (compared without case or accents),
stance, certainty and relay chain, and the F1 of attributions with every
field right.  The outlet's own-voice statements are not scored.

    python benchmarks/draft_score.py                  # dev and held-out, both languages
    python benchmarks/draft_score.py --split dev -v   # with every mismatch
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from typing import TypeAlias

import attrs

from provenance.draft import Drafter
from provenance.draft.lexicon import fold

__all__ = ["Attribution", "Gold", "main", "parse", "score"]

CORPUS = pathlib.Path(__file__).parent / "draft_corpus"
SEED = pathlib.Path(__file__).parent.parent / "tests" / "data" / "article-svr-pyongyang.txt"
_MARK = re.compile(r"⟦|⟧|⟨[^⟩]*⟩")


@attrs.frozen
class Attribution:
    """One attribution in an article: annotated (gold) or drafted (a claim with a cue)."""

    start: int
    end: int
    source: str
    cue: str
    stance: str
    certainty: str
    via: tuple[str, ...]


#: The two sides of a comparison: what the annotator marked, what the draft found.
Gold: TypeAlias = Attribution
Predicted: TypeAlias = Attribution


def parse(raw: str) -> tuple[str, list[Gold], dict[str, str]]:
    """The plain text of an annotated article, its attributions and its options."""
    options: dict[str, str] = {}
    head = re.match(r"⟪([^⟫]*)⟫\n", raw)
    if head:
        for item in head.group(1).split():
            key, _, value = item.partition("=")
            options[key] = value
        raw = raw[head.end() :]
    text: list[str] = []
    length = 0
    opened: int | None = None
    spans: list[tuple[int, int]] = []
    golds: list[Gold] = []
    position = 0
    for match in _MARK.finditer(raw):
        piece = raw[position : match.start()]
        text.append(piece)
        length += len(piece)
        position = match.end()
        mark = match.group(0)
        if mark == "⟦":
            opened = length
        elif mark == "⟧":
            assert opened is not None, "⟧ without ⟦"
            spans.append((opened, length))
            opened = None
        else:
            fields = [f.strip() for f in mark[1:-1].split(";")]
            source, cue, rest = fields[0], fields[1], fields[2:]
            stance, certainty = "asserts", "certain"
            via: tuple[str, ...] = ()
            for option in rest:
                if option == "denies":
                    stance = "denies"
                elif option in ("probable", "possible"):
                    certainty = option
                elif option.startswith("via "):
                    via = tuple(option[4:].split())
                elif option:
                    raise ValueError(f"unknown option {option!r} in {mark}")
            start, end = spans.pop()
            golds.append(Gold(start, end, source, cue, stance, certainty, via))
    text.append(raw[position:])
    return "".join(text), golds, options


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def match(golds: list[Gold], predicted: list[Predicted]) -> list[tuple[Gold, Predicted]]:
    """Gold and drafted attributions paired by content overlap, best first, one to one."""
    pairs = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(predicted):
            overlap = _overlap((gold.start, gold.end), (pred.start, pred.end))
            if overlap >= 0.5:
                pairs.append((overlap, gi, pi))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    result = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        result.append((golds[gi], predicted[pi]))
    return result


def align(pairs: Iterable[tuple[Gold, Predicted]]) -> dict[str, str]:
    """A one-to-one map from drafted ids to annotated ids that agrees most often."""
    counts: Counter[tuple[str, str]] = Counter()
    for gold, pred in pairs:
        counts[pred.source, gold.source] += 1
        if len(gold.via) == len(pred.via):
            for p, g in zip(pred.via, gold.via, strict=True):
                counts[p, g] += 1
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for (pred_id, gold_id), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if pred_id in mapping or gold_id in taken:
            continue
        mapping[pred_id] = gold_id
        taken.add(gold_id)
    return mapping


@attrs.define
class Tally:
    """Counts over a set of articles."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    source: int = 0
    cue: int = 0
    stance: int = 0
    certainty: int = 0
    via: int = 0
    all_right: int = 0
    seconds: float = 0.0
    articles: int = 0

    def add(self, other: Tally) -> None:
        for field in attrs.fields(Tally):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def row(self) -> dict[str, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        pa = self.all_right / self.predicted if self.predicted else 0.0
        ra = self.all_right / self.gold if self.gold else 0.0
        fa = 2 * pa * ra / (pa + ra) if pa + ra else 0.0
        m = self.matched or 1
        return {
            "P": p,
            "R": r,
            "F1": f,
            "source": self.source / m,
            "cue": self.cue / m,
            "stance": self.stance / m,
            "certainty": self.certainty / m,
            "relays": self.via / m,
            "all-fields F1": fa,
        }


def score(path: pathlib.Path, drafter: Drafter, verbose: bool = False) -> Tally:
    """Draft one annotated article and count what it got right."""
    text, golds, options = parse(path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    ledger = drafter.draft(text, wire=options.get("wire"), name=path.name)
    seconds = time.perf_counter() - started
    predicted: list[Predicted] = []
    for claim in ledger.claims:
        if claim.cue is None or claim.quote is None:
            continue
        start = _locate(text, claim.quote, predicted)
        predicted.append(
            Predicted(
                start,
                start + len(claim.quote),
                claim.source,
                claim.cue,
                claim.stance.value,
                claim.certainty.value,
                claim.via,
            )
        )
    pairs = match(golds, predicted)
    mapping = align(pairs)
    tally = Tally(len(golds), len(predicted), len(pairs), seconds=seconds, articles=1)
    for gold, pred in pairs:
        checks = {
            "source": mapping.get(pred.source) == gold.source,
            "cue": fold(pred.cue) == fold(gold.cue),
            "stance": pred.stance == gold.stance,
            "certainty": pred.certainty == gold.certainty,
            "via": tuple(mapping.get(v, "?" + v) for v in pred.via) == gold.via,
        }
        for name, right in checks.items():
            setattr(tally, name, getattr(tally, name) + right)
        tally.all_right += all(checks.values())
        if verbose and not all(checks.values()):
            wrong = ", ".join(name for name, right in checks.items() if not right)
            print(f"  {path.name}: {wrong}: {text[gold.start : gold.end][:60]!r}")
            print(
                f"      gold {gold.source} / {gold.cue} / {gold.stance} / {gold.certainty}"
                f" / {gold.via}"
            )
            shown = tuple(mapping.get(v, "?" + v) for v in pred.via)
            print(
                f"      got  {pred.source}->{mapping.get(pred.source)} / {pred.cue} / {pred.stance}"
                f" / {pred.certainty} / {shown}"
            )
    if verbose:
        found = {id(p) for _, p in pairs}
        matched_gold = {id(g) for g, _ in pairs}
        for gold in golds:
            if id(gold) not in matched_gold:
                print(
                    f"  {path.name}: MISSED {gold.source} / {gold.cue}:"
                    f" {text[gold.start : gold.end][:70]!r}"
                )
        for pred in predicted:
            if id(pred) not in found:
                print(
                    f"  {path.name}: EXTRA {pred.source} / {pred.cue}:"
                    f" {text[pred.start : pred.end][:70]!r}"
                )
    return tally


def _locate(text: str, quote: str, before: list[Predicted]) -> int:
    """Where a quote sits in the text: its first occurrence not already taken."""
    taken = {p.start for p in before}
    start = text.find(quote)
    while start in taken:
        following = text.find(quote, start + 1)
        if following < 0:
            break
        start = following
    return start


def _table(rows: list[tuple[str, str, Tally]]) -> str:
    header = [
        "split",
        "lang",
        "articles",
        "gold",
        "drafted",
        "P",
        "R",
        "F1",
        "source",
        "cue",
        "stance",
        "certainty",
        "relays",
        "all-fields F1",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for split, lang, tally in rows:
        row = tally.row()
        cells = [split, lang, str(tally.articles), str(tally.gold), str(tally.predicted)]
        cells += [f"{row[k]:.2f}" for k in header[5:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Score every annotated article and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    parser.add_argument("--lang", choices=["fr", "en"], action="append")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args(argv)
    splits = ["dev", "heldout"] if args.split == "all" else [args.split]
    langs = args.lang or ["fr", "en"]
    rows = []
    for lang in langs:
        drafter = Drafter(lang)
        started = time.perf_counter()
        drafter.load()
        load_time = time.perf_counter() - started
        print(f"{lang}: model loaded in {load_time:.1f} s", file=sys.stderr)
        for split in splits:
            total = Tally()
            for path in sorted((CORPUS / split / lang).glob("*.txt")):
                total.add(score(path, drafter, args.verbose))
            rows.append((split, lang, total))
    print(_table(rows))
    if SEED.exists() and "fr" in langs:
        drafter = Drafter("fr")
        drafter.load()
        text = SEED.read_text(encoding="utf-8")
        drafter.draft(text, outlet="le-figaro", wire="afp")
        started = time.perf_counter()
        for _ in range(5):
            drafter.draft(text, outlet="le-figaro", wire="afp")
        print(
            f"\nseed article drafted in {(time.perf_counter() - started) / 5:.2f} s"
            " after model load"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
