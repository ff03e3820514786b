"""Parse our Mermaid graphs with Mermaid's own parser and count what it finds.

Draws the Mermaid graph of many ledgers from `provenance.strategies.ledgers`
(hostile text throughout) and of the tests' hostile ledger, each whole and
for one proposition, then has Mermaid (run by Node, with jsdom standing in
for a browser) parse every one and count its vertices, edges and
subgraphs.  Any graph Mermaid refuses, or whose counts differ from the
ledger's sources, propositions, claims, relay steps and independence
groups, is printed; exit status 1 if there is one.

    npm install --prefix /tmp/mermaid mermaid@11 jsdom@24
    python benchmarks/mermaid_parse.py --node-modules /tmp/mermaid --examples 300
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from provenance import assess
from provenance.interop import graph
from provenance.ledger import Ledger
from provenance.strategies import ledgers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_interop_graph import hostile

CHECK = """\
import { JSDOM } from "jsdom";
import fs from "fs";
const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const [directory] = process.argv.slice(2);
const expected = JSON.parse(fs.readFileSync(`${directory}/expected.json`, "utf8"));
let bad = 0;
for (const [name, want] of Object.entries(expected)) {
  const text = fs.readFileSync(`${directory}/${name}.mmd`, "utf8");
  try {
    await mermaid.parse(text);
    const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
    const vertices = db.getVertices();
    const got = {
      vertices: vertices instanceof Map ? vertices.size : Object.keys(vertices).length,
      edges: db.getEdges().length,
      subgraphs: db.getSubGraphs().length,
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      bad++;
      console.log(`${name}: found ${JSON.stringify(got)}, drew ${JSON.stringify(want)}`);
    }
  } catch (error) {
    bad++;
    console.log(`${name}: ${String(error).slice(0, 300)}`);
  }
}
console.log(`${Object.keys(expected).length} graphs parsed, ${bad} wrong`);
process.exit(bad ? 1 : 0);
"""


def drawn(ledger: Ledger, proposition: str | None) -> tuple[str, dict[str, int]]:
    """A ledger's Mermaid graph, and the vertices, edges and subgraphs it should hold."""
    assessments = assess(ledger)
    text = graph.mermaid(ledger, assessments, proposition)
    shown = [p for p in ledger.propositions if proposition in (None, p.id)]
    claims = [c for p in shown for c in ledger.claims_on(p.id)]
    speakers = {s for c in claims for s in c.speakers()}
    sources = len(ledger.sources) if proposition is None else len(speakers)
    groups = 0
    if proposition is not None:
        verdict = assessments[proposition]
        groups = sum(1 for g in (*verdict.support, *verdict.oppose) if g.members)
    counts = {
        "vertices": sources + len(shown) + len(claims),
        "edges": sum(2 + len(c.via) for c in claims),
        "subgraphs": groups,
    }
    return text, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--node-modules", required=True, help="where mermaid and jsdom are installed"
    )
    parser.add_argument("--examples", type=int, default=300)
    args = parser.parse_args()
    expected: dict[str, dict[str, int]] = {}
    directory = Path(tempfile.mkdtemp(prefix="mermaid-"))

    def emit(name: str, ledger: Ledger, proposition: str | None = None) -> None:
        text, counts = drawn(ledger, proposition)
        (directory / f"{name}.mmd").write_text(text, encoding="utf-8")
        expected[name] = counts

    evil = hostile()
    emit("hostile", evil)
    for proposition in evil.propositions:
        emit(f"hostile-{proposition.id}", evil, proposition.id)

    @settings(max_examples=args.examples, database=None, suppress_health_check=list(HealthCheck))
    @given(ledgers(min_claims=1))
    def draw(ledger: Ledger) -> None:
        number = len(expected)
        emit(f"ledger{number}", ledger)
        emit(f"ledger{number}-one", ledger, ledger.claims[0].proposition)

    draw()
    (directory / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    check = Path(args.node_modules) / "check-mermaid.mjs"
    check.write_text(CHECK, encoding="utf-8")
    return subprocess.run(["node", str(check), str(directory)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
