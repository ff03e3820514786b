"""Who said what, through whom: a ledger as a graph (Graphviz DOT, Mermaid, SVG, PNG).

Sources, claims and propositions are nodes.  Each claim has an edge from
the source that made it ("said") and a dashed edge from each source that
relayed it ("relay"; numbered along a longer chain: "relay 1", "relay 2"), and an
edge to the proposition it asserts (an arrow) or denies (a bar).  With
assessments, propositions are coloured by status and labelled with their
rating and likelihood, and a claim that does not count says why; drawn
for one proposition, the claims of each independence group sit in a box
that says why they were joined.  Sources are shaped by kind (`SHAPES`).

Every piece of ledger text goes through `provenance._text.visible` (no
control character, bidirectional override or line break survives) and is
then escaped for the format: backslashes, quotes and ``&`` for DOT; every
character outside a small safe set as a ``#NNN;`` entity code for Mermaid,
so that no text can end a label, open markup or start a directive.

`dot` and `mermaid` return text; `render` runs Graphviz's ``dot`` for SVG
and PNG; `svg` is the inline SVG an HTML page can embed, or None when
Graphviz is not installed.

>>> from provenance import Claim, Ledger, Proposition, Source
>>> ledger = Ledger.from_objects(
...     [Source("kcna", "KCNA", kind="state-media", reliability="E"),
...      Source("afp", "AFP", kind="wire", reliability="B")],
...     [Proposition("visit", 'Naryshkin "visited" Pyongyang.')],
...     [Claim("visit", "kcna", via=["afp"])])
>>> print(mermaid(ledger).splitlines()[3])
  p0["Naryshkin #34;visited#34; Pyongyang."]
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from .._text import visible, wrap
from ..errors import ProvenanceError
from ..ledger import Ledger
from ..model import Claim, SourceKind, Stance

if TYPE_CHECKING:
    from ..assess import Assessment, Assessments

__all__ = [
    "COLOURS",
    "FORMATS",
    "INSTALL_GRAPHVIZ",
    "SHAPES",
    "GraphvizError",
    "dot",
    "has_graphviz",
    "mermaid",
    "render",
    "svg",
]

#: The formats `render` writes.
FORMATS = ("dot", "mermaid", "svg", "png")

#: What to do when Graphviz's ``dot`` program is missing.
INSTALL_GRAPHVIZ = (
    "install Graphviz: 'apt-get install graphviz' (Debian, Ubuntu),"
    " 'dnf install graphviz' (Fedora), 'brew install graphviz' (macOS),"
    " or see https://graphviz.org/download/"
)

#: A proposition's fill colour by status (without assessments: white).
COLOURS = {
    "established": "#a6dba0",
    "reported": "#fee08b",
    "disputed": "#fdae61",
    "refuted": "#f4a6a6",
    "unsupported": "#e0e0e0",
}

#: A source's shape by kind: (Graphviz shape, Mermaid opening and closing brackets).
SHAPES: dict[SourceKind, tuple[str, str, str]] = {
    SourceKind.STATE_MEDIA: ("hexagon", "{{", "}}"),
    SourceKind.GOVERNMENT: ("house", "[/", "\\]"),
    SourceKind.OFFICIAL: ("ellipse", "([", "])"),
    SourceKind.WIRE: ("box", "[", "]"),
    SourceKind.OUTLET: ("note", "[[", "]]"),
    SourceKind.INTELLIGENCE: ("octagon", ">", "]"),
    SourceKind.MILITARY: ("parallelogram", "[/", "/]"),
    SourceKind.RECORD: ("cylinder", "[(", ")]"),
    SourceKind.NGO: ("component", "(", ")"),
    SourceKind.EXPERT: ("ellipse", "([", "])"),
    SourceKind.ANONYMOUS: ("ellipse", "([", "])"),
    SourceKind.OTHER: ("box", "[", "]"),
}

STANCE_COLOURS = {Stance.ASSERTS: "#1a7837", Stance.DENIES: "#b2182b"}

# Label widths, in display columns, and the longest text a label shows.
WIDTH = 36
GROUP_WIDTH = 48
LONGEST = 240

# Characters Mermaid shows as they are inside a quoted label; every other
# ASCII character becomes an entity code.
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 .,:()'!?+*=@$^~/_-]")


class GraphvizError(ProvenanceError, RuntimeError):
    """Graphviz's ``dot`` is not installed, or it failed to draw the graph."""


# -- the graph, whatever the format ----------------------------------------


@attrs.frozen
class _Node:
    id: str
    lines: tuple[str, ...]
    kind: str  # "source", "claim" or "proposition"
    style: str  # a source kind, a status, "claim", "excluded" or "plain"
    tooltip: str


@attrs.frozen
class _Edge:
    tail: str
    head: str
    label: str
    style: str  # "said", "relay", "asserts" or "denies"


@attrs.frozen
class _Cluster:
    id: str
    lines: tuple[str, ...]
    members: tuple[str, ...]


@attrs.frozen
class _Graph:
    title: str | None
    nodes: tuple[_Node, ...]
    edges: tuple[_Edge, ...]
    clusters: tuple[_Cluster, ...]


def _lines(text: str, width: int = WIDTH) -> tuple[str, ...]:
    shown = visible(text)
    if len(shown) > LONGEST:
        shown = shown[: LONGEST - 1].rstrip() + "…"
    return tuple(wrap(shown, width).split("\n"))


def _build(ledger: Ledger, assessments: Assessments | None, proposition: str | None) -> _Graph:
    if assessments is not None and assessments.ledger != ledger:
        raise ValueError("the assessments are not of this ledger")
    propositions = ledger.propositions
    if proposition is not None:
        propositions = (ledger.proposition(proposition),)
    verdicts = {a.proposition.id: a for a in assessments} if assessments is not None else {}
    nodes: list[_Node] = []
    edges: list[_Edge] = []
    clusters: list[_Cluster] = []
    claims = [(c, p) for p in propositions for c in ledger.claims_on(p.id)]
    speaking = {s for claim, _ in claims for s in claim.speakers()}
    source_ids: dict[str, str] = {}
    for source in ledger.sources:
        if proposition is not None and source.id not in speaking:
            continue
        node = f"s{len(source_ids)}"
        source_ids[source.id] = node
        detail = f"{source.reliability.value} · {source.kind.value}"
        if source.affiliation:
            detail += f" · {visible(source.affiliation)}"
        nodes.append(
            _Node(
                node,
                (*_lines(source.name), *_lines(detail)),
                "source",
                source.kind.value,
                visible(source.name),
            )
        )
    proposition_ids: dict[str, str] = {}
    for index, item in enumerate(propositions):
        node = f"p{index}"
        proposition_ids[item.id] = node
        lines = _lines(item.text)
        verdict = verdicts.get(item.id)
        if verdict is not None:
            lines += _lines(
                f"{verdict.status.value} · {verdict.rating} · {verdict.likelihood}"
                f" ({verdict.probability:.0%})"
            )
        style = verdict.status.value if verdict is not None else "plain"
        nodes.append(_Node(node, lines, "proposition", style, visible(item.text)))
    claim_ids: dict[int, str] = {}
    for index, (claim, item) in enumerate(claims):
        node = f"c{index}"
        claim_ids[id(claim)] = node
        verdict = verdicts.get(item.id)
        lines, excluded = _claim_lines(claim, verdict)
        tooltip = visible(claim.quote) if claim.quote else " ".join(lines)
        nodes.append(_Node(node, lines, "claim", "excluded" if excluded else "claim", tooltip))
        edges.append(_Edge(source_ids[claim.source], node, "said", "said"))
        for step, relay in enumerate(claim.via, 1):
            # A chain of one step needs no number: the dashed edge says it all.
            label = f"relay {step}" if len(claim.via) > 1 else "relay"
            edges.append(_Edge(source_ids[relay], node, label, "relay"))
        edges.append(_Edge(node, proposition_ids[item.id], claim.stance.value, claim.stance.value))
    if proposition is not None and proposition in verdicts:
        clusters = _clusters(verdicts[proposition], claim_ids)
    return _Graph(
        visible(ledger.title) if ledger.title else None,
        tuple(nodes),
        tuple(edges),
        tuple(clusters),
    )


def _claim_lines(claim: Claim, verdict: Assessment | None) -> tuple[tuple[str, ...], bool]:
    lines = [f"{claim.stance.value}, {claim.certainty.value}"]
    if claim.said_on is not None:
        lines.append(claim.said_on.isoformat())
    excluded = False
    if verdict is not None:
        for weighed in verdict.weighed:
            if weighed.claim is claim:
                if weighed.counted:
                    stake = ", stake" if weighed.stake else ""
                    lines.append(f"p {weighed.p:.2f}{stake}")
                else:
                    excluded = True
                    lines.extend(_lines(f"not counted: {weighed.reason}"))
                break
    elif claim.withdrawn_on is not None:
        lines.append(f"withdrawn {claim.withdrawn_on.isoformat()}")
    return tuple(lines), excluded


def _clusters(verdict: Assessment, claim_ids: dict[int, str]) -> list[_Cluster]:
    out = []
    for index, group in enumerate((*verdict.support, *verdict.oppose)):
        members = tuple(claim_ids[id(w.claim)] for w in group.members if id(w.claim) in claim_ids)
        if not members:
            continue
        role = "qualified" if group.qualified else "does not qualify"
        lines = [*_lines(f"{group.stance.value}: {group.label} ({role})", GROUP_WIDTH)]
        for link in group.links:
            lines.extend(_lines(f"joined: {link}", GROUP_WIDTH))
        out.append(_Cluster(f"g{index}", tuple(lines), members))
    return out


# -- DOT ---------------------------------------------------------------------


def _dot_text(text: str) -> str:
    """Text for a quoted DOT string: backslashes, quotes and entities cannot act."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def _dot_label(lines: Iterable[str]) -> str:
    return '"' + "\\n".join(_dot_text(line) for line in lines) + '"'


def dot(
    ledger: Ledger,
    assessments: Assessments | None = None,
    proposition: str | None = None,
) -> str:
    """The graph as Graphviz DOT.

    Args:
        ledger: The ledger.
        assessments: Its verdicts; propositions are then coloured by status.
        proposition: Draw only this proposition's evidence, with its
            independence groups; by default the whole ledger.

    Raises:
        LedgerError: There is no such proposition.
    """
    graph = _build(ledger, assessments, proposition)
    out = [
        "digraph provenance {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=16, labelloc=t,'
        " nodesep=0.25, ranksep=0.9, newrank=true];",
        '  node [fontname="Helvetica", fontsize=11, style=filled, fillcolor=white];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    if graph.title:
        out.append(f"  label={_dot_label(_lines(graph.title, 80))};")
    for node in graph.nodes:
        out.append(
            f"  {node.id} [{_dot_node_style(node)}, label={_dot_label(node.lines)},"
            f" tooltip={_dot_label([node.tooltip])}];"
        )
    for cluster in graph.clusters:
        out.append(f"  subgraph cluster_{cluster.id} {{")
        out.append(
            f"    label={_dot_label(cluster.lines)}; labeljust=l; fontsize=10;"
            ' style="rounded,dashed"; color="#777777";'
        )
        out.append(f"    {'; '.join(cluster.members)};")
        out.append("  }")
    for edge in graph.edges:
        out.append(f"  {edge.tail} -> {edge.head} [{_dot_edge_style(edge)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node_style(node: _Node) -> str:
    if node.kind == "source":
        shape = SHAPES[SourceKind(node.style)][0]
        dashed = ', style="filled,dashed"' if node.style == SourceKind.ANONYMOUS else ""
        return f'shape={shape}, fillcolor="#eef3fb"{dashed}'
    if node.kind == "proposition":
        colour = COLOURS.get(node.style, "#ffffff")
        return f'shape=box, style="rounded,filled,bold", fillcolor="{colour}", fontsize=12'
    if node.style == "excluded":
        return 'shape=box, style="rounded,dashed", fontcolor="#777777", fontsize=9'
    return 'shape=box, style="rounded,filled", fillcolor="#f7f7f7", fontsize=9'


def _dot_edge_style(edge: _Edge) -> str:
    if edge.style == "relay":
        return f'label="{edge.label}", style=dashed'
    if edge.style in STANCE_COLOURS:
        colour = STANCE_COLOURS[Stance(edge.style)]
        head = "tee" if edge.style == Stance.DENIES else "normal"
        return f'label="{edge.label}", color="{colour}", fontcolor="{colour}", arrowhead={head}'
    return f'label="{edge.label}"'


# -- Mermaid -----------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: anything that could act is an entity code."""
    return "".join(c if ord(c) > 0x7F or _MERMAID_SAFE.match(c) else f"#{ord(c)};" for c in text)


def _mermaid_label(lines: Iterable[str]) -> str:
    return '"' + "<br>".join(_mermaid_text(line) for line in lines) + '"'


def mermaid(
    ledger: Ledger,
    assessments: Assessments | None = None,
    proposition: str | None = None,
) -> str:
    """The graph as a Mermaid flowchart.

    Args:
        ledger: The ledger.
        assessments: Its verdicts; propositions are then coloured by status.
        proposition: Draw only this proposition's evidence, with its
            independence groups; by default the whole ledger.

    Raises:
        LedgerError: There is no such proposition.
    """
    graph = _build(ledger, assessments, proposition)
    out = []
    if graph.title:
        # JSON with ASCII escapes is a YAML double-quoted string.
        out += ["---", f"title: {json.dumps(graph.title)}", "---"]
    out.append("flowchart LR")
    clustered = {member for cluster in graph.clusters for member in cluster.members}
    for node in graph.nodes:
        if node.id not in clustered:
            out.append(f"  {_mermaid_node(node)}")
    for cluster in graph.clusters:
        out.append(f"  subgraph {cluster.id} [{_mermaid_label(cluster.lines)}]")
        by_id = {node.id: node for node in graph.nodes}
        for member in cluster.members:
            out.append(f"    {_mermaid_node(by_id[member])}")
        out.append("  end")
    arrows = {"said": "-->", "relay": "-.->", "asserts": "-->", "denies": "--x"}
    for edge in graph.edges:
        out.append(f'  {edge.tail} {arrows[edge.style]}|"{edge.label}"| {edge.head}')
    styles = {node.style for node in graph.nodes if node.kind != "source"}
    for status, colour in COLOURS.items():
        if status in styles:
            out.append(f"  classDef {status} fill:{colour},stroke:#333,stroke-width:2px")
    out.append("  classDef source fill:#eef3fb,stroke:#345")
    out.append("  classDef claim fill:#f7f7f7,stroke:#999,font-size:11px")
    out.append("  classDef excluded fill:#ffffff,stroke:#999,stroke-dasharray:4,color:#777")
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        name = "source" if node.kind == "source" else node.style
        if name != "plain":
            classes.setdefault(name, []).append(node.id)
    for name, members in classes.items():
        out.append(f"  class {','.join(members)} {name}")
    for index, edge in enumerate(graph.edges):
        if edge.style in STANCE_COLOURS:
            colour = STANCE_COLOURS[Stance(edge.style)]
            out.append(f"  linkStyle {index} stroke:{colour},color:{colour}")
    return "\n".join(out) + "\n"


def _mermaid_node(node: _Node) -> str:
    if node.kind == "source":
        _, opening, closing = SHAPES[SourceKind(node.style)]
    elif node.kind == "proposition":
        opening, closing = "[", "]"
    else:
        opening, closing = "(", ")"
    return f"{node.id}{opening}{_mermaid_label(node.lines)}{closing}"


# -- rendering ---------------------------------------------------------------


def has_graphviz() -> bool:
    """Whether Graphviz's ``dot`` program is on the ``PATH``."""
    return shutil.which("dot") is not None


def _run_dot(text: str, format: str) -> bytes:
    program = shutil.which("dot")
    if program is None:
        raise GraphvizError(
            f"drawing {format.upper()} needs Graphviz's 'dot' program, which is not"
            f" installed; {INSTALL_GRAPHVIZ}; or write --to dot or --to mermaid"
        )
    done = subprocess.run(
        [program, f"-T{format}"], input=text.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizError(
            f"Graphviz's dot failed: {visible(message[0]) if message else done.returncode}"
        )
    return done.stdout


def render(
    ledger: Ledger,
    format: str,
    assessments: Assessments | None = None,
    proposition: str | None = None,
) -> str | bytes:
    """The graph in one of `FORMATS`: text for ``dot``, ``mermaid`` and ``svg``, bytes for ``png``.

    Raises:
        ValueError: The format is not one of `FORMATS`.
        GraphvizError: SVG or PNG is asked for and Graphviz's ``dot`` is
            missing (the message says how to install it) or fails.
        LedgerError: There is no such proposition.
    """
    if format == "dot":
        return dot(ledger, assessments, proposition)
    if format == "mermaid":
        return mermaid(ledger, assessments, proposition)
    if format not in FORMATS:
        raise ValueError(f"unknown graph format {format!r} (expected {', '.join(FORMATS)})")
    data = _run_dot(dot(ledger, assessments, proposition), format)
    return data.decode("utf-8") if format == "svg" else data


def svg(
    ledger: Ledger,
    assessments: Assessments | None = None,
    proposition: str | None = None,
) -> str | None:
    """The graph as an ``<svg>`` element to embed in an HTML page, or None without Graphviz.

    The XML declaration and document type are left out, so that the text
    can be placed as it is inside HTML; all ledger text in it is escaped.

    Raises:
        GraphvizError: Graphviz is installed but fails.
    """
    if not has_graphviz():
        return None
    text = render(ledger, "svg", assessments, proposition)
    assert isinstance(text, str)
    start = text.find("<svg")
    return text[start:] if start >= 0 else None
