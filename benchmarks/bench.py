"""Desk-scale benchmark: each stage, the whole command, peak memory, start-up, and `prov` beside it.

Run by hand, not part of the test suite (it takes minutes at 100k claims
and longer at a million):

    python benchmarks/bench.py --sizes 10000 100000 --runs 3 --markdown bench.md
    python benchmarks/bench.py --sizes 1000000 --runs 1 --skip toml prov

The ledgers come from `benchmarks/ledgers.py` (heavy-tailed source
activity, relay chains on a third of the claims, a few percent denials and
withdrawals), written once to ``--dir`` as ``.json``, ``.toml`` and
``.jsonl``.  Every measure runs in a fresh child process, so that each has
the interpreter to itself and its peak memory (the child's maximum resident
set size) can be read; each time is the median of ``--runs`` runs, and the
table says the machine's load average when it started.

Stages, timed inside the child after an untimed set-up: ``load json``,
``load toml``, ``load jsonl`` (`provenance.load`), ``assess``, ``render
json`` and ``render text`` (`provenance.render`, formats ``json`` and
``simple``), ``save json`` and ``save jsonl``; ``prov read`` is the `prov`
package (``pip install 'claim-provenance[prov]'``) reading the PROV-JSON
document of the same ledger (`provenance.interop.prov.to_prov`).  Whole
commands: ``provenance report FILE --format json`` and the text report,
from JSON and from JSON Lines, interpreter start included.  Start-up:
``python -m provenance report`` on the shipped seed ledger.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = (
    "load json",
    "load toml",
    "load jsonl",
    "assess",
    "render json",
    "render text",
    "save json",
    "save jsonl",
    "prov read",
)
COMMANDS = ("report json (json in)", "report json (jsonl in)", "report text (jsonl in)")
NO_LIMIT = 1 << 40


def _child_stage(stage: str, stem: str) -> float:
    """Run `stage` on the ledgers at `stem` in this process; return the seconds it took."""
    import provenance
    from provenance import files

    def load(fmt: str) -> provenance.Ledger:
        return files.load(f"{stem}.{fmt}", max_bytes=NO_LIMIT)

    if stage.startswith("load "):
        fmt = stage.split()[1]
        start = time.perf_counter()
        load(fmt)
        return time.perf_counter() - start
    if stage == "prov read":
        from prov.model import ProvDocument

        start = time.perf_counter()
        ProvDocument.deserialize(source=f"{stem}.provjson", format="json")
        return time.perf_counter() - start
    ledger = load("jsonl")
    if stage.startswith("save "):
        with tempfile.TemporaryDirectory() as directory:
            target = os.path.join(directory, "out." + stage.split()[1])
            start = time.perf_counter()
            files.save(ledger, target)
            return time.perf_counter() - start
    start = time.perf_counter()
    assessments = provenance.assess(ledger)
    if stage == "assess":
        return time.perf_counter() - start
    start = time.perf_counter()
    provenance.render(assessments, "json" if stage == "render json" else "simple", width=100)
    return time.perf_counter() - start


def _make_prov(stem: str) -> None:
    from provenance import files
    from provenance.interop.prov import to_prov, write

    ledger = files.load(f"{stem}.jsonl")
    Path(f"{stem}.provjson").write_text(write(to_prov(ledger), "prov-json"), encoding="utf-8")


def _run(argv: Sequence[str]) -> tuple[float, float, str]:
    """Run a child; return its wall time in seconds, its peak memory in MB and its stdout."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.stderr is not None
        error = process.stderr.read().decode()
        process.stderr.close()
        if process.returncode:
            raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}\n{error}")
        out.seek(0)
        # ru_maxrss is in kilobytes on Linux.
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def _median(runs: int, measure: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    results = [measure() for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def _stage(stage: str, stem: Path, runs: int) -> tuple[float, float]:
    def once() -> tuple[float, float]:
        _, peak, out = _run([sys.executable, __file__, "--child", stage, str(stem)])
        return float(out.strip().splitlines()[-1]), peak

    return _median(runs, once)


def _command(name: str, stem: Path, runs: int) -> tuple[float, float]:
    fmt = "json" if name.startswith("report json") else "simple"
    source = f"{stem}.{'jsonl' if 'jsonl in' in name else 'json'}"
    with tempfile.TemporaryDirectory() as directory:
        output = os.path.join(directory, "report.out")
        argv = [sys.executable, "-m", "provenance", "report", source, "--format", fmt]
        argv += ["--max-bytes", str(NO_LIMIT), "--width", "100", "-o", output]

        def once() -> tuple[float, float]:
            wall, peak, _ = _run(argv)
            return wall, peak

        return _median(runs, once)


def _startup(runs: int) -> tuple[float, float]:
    argv = [sys.executable, "-m", "provenance", "report", "-o", os.devnull]
    _run(argv)  # warm the file cache

    def once() -> tuple[float, float]:
        wall, peak, _ = _run(argv)
        return wall, peak

    return _median(max(runs, 10), once)


def _size_name(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure; the median is shown")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "prov-bench")
    parser.add_argument(
        "--skip", nargs="*", default=[], help="leave out stages or commands containing these words"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "STEM"), help=argparse.SUPPRESS)
    parser.add_argument("--make-prov", metavar="STEM", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_prov:
        _make_prov(args.make_prov)
        return
    if args.child:
        print(_child_stage(*args.child))
        return
    sys.path.insert(0, str(HERE))
    from ledgers import tree, write

    load = os.getloadavg()[0]
    results: dict[str, dict[int, tuple[float, float]]] = {}
    skipped = tuple(args.skip)
    for n in args.sizes:
        stem = args.dir / f"ledger-{_size_name(n)}"
        wanted = tuple(fmt for fmt in ("json", "toml", "jsonl") if fmt not in skipped)
        missing = tuple(f for f in wanted if not stem.with_suffix("." + f).exists())
        if missing:
            print(f"writing {stem} ({', '.join(missing)})", file=sys.stderr)
            write(tree(n), stem, missing)
        if "prov" not in skipped and not stem.with_suffix(".provjson").exists():
            print(f"writing {stem}.provjson", file=sys.stderr)
            _run([sys.executable, __file__, "--make-prov", str(stem)])
        for stage in STAGES:
            if any(word in stage for word in skipped):
                continue
            print(f"{_size_name(n)}: {stage}", file=sys.stderr)
            results.setdefault(stage, {})[n] = _stage(stage, stem, args.runs)
        for command in COMMANDS:
            if any(word in command for word in skipped):
                continue
            print(f"{_size_name(n)}: {command}", file=sys.stderr)
            results.setdefault(command, {})[n] = _command(command, stem, args.runs)
    if "startup" not in skipped:
        results["seed report, interpreter start included"] = {0: _startup(args.runs)}

    header = ["measure", *(f"{_size_name(n)} claims" for n in args.sizes)]
    rows = []
    for name, by_size in results.items():
        if 0 in by_size:
            t, peak = by_size[0]
            rows.append([name, f"{t:.3f} s, {peak:.0f} MB", *([""] * (len(args.sizes) - 1))])
            continue
        cells = [
            f"{by_size[n][0]:.2f} s, {by_size[n][1]:.0f} MB" if n in by_size else ""
            for n in args.sizes
        ]
        rows.append([name, *cells])
    for a, b in zip(args.sizes, args.sizes[1:], strict=False):
        ratios = {
            name: by_size[b][0] / by_size[a][0]
            for name, by_size in results.items()
            if a in by_size and b in by_size and name in STAGES
        }
        if ratios:
            worst = max(ratios, key=ratios.__getitem__)
            rows.append(
                [
                    f"largest stage ratio {_size_name(b)}/{_size_name(a)}",
                    f"{ratios[worst]:.1f} ({worst})",
                ]
                + [""] * (len(args.sizes) - 1)
            )
    for n in args.sizes:
        whole = results.get("report json (json in)", {}).get(n)
        prov = results.get("prov read", {}).get(n)
        if whole and prov:
            rows.append(
                [f"prov read / report json, {_size_name(n)}", f"{prov[0] / whole[0]:.1f}×"]
                + [""] * (len(args.sizes) - 1)
            )
    table = _table(rows, header)
    note = (
        f"Median of {args.runs} runs, each in a fresh process; memory is the peak resident"
        f" set size. Python {sys.version.split()[0]}, {os.cpu_count()} cores,"
        f" load average {load:.1f} at the start."
    )
    print(table)
    print(note)
    if args.markdown:
        args.markdown.write_text(table + "\n\n" + note + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
